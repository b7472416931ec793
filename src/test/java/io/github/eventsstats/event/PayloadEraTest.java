package io.github.eventsstats.event;

import org.junit.jupiter.api.Test;

import java.time.InstantSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The payload columns from events shaped as GitHub sends them: the full payloads of GH Archive's
 * older hours, and the slim ones of the Events API since October 2025.
 */
class PayloadEraTest {

    private final EventMapper every = new EventMapper(TypeSelection.EVERY, InstantSource.system());

    private static final String ACTOR = """
            "actor":{"id":583231,"login":"octocat","display_login":"octocat","gravatar_id":"",
                     "url":"https://api.github.com/users/octocat","avatar_url":"https://avatars.githubusercontent.com/u/583231?"},
            "repo":{"id":1296269,"name":"octocat/Hello-World","url":"https://api.github.com/repos/octocat/Hello-World"},""";

    private EventRow row(String type, String payload, String createdAt) throws IOException {
        String json = "{\"id\":\"" + (payload.hashCode() & 0x7fffffff) + "\",\"type\":\"" + type + "\"," + ACTOR
                + "\"payload\":" + payload + ",\"public\":true,\"created_at\":\"" + createdAt + "\"}";
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        EventMapper.Mapped m = every.read(b, 0, b.length);
        assertTrue(m.kept(), m.problem());
        return m.row();
    }

    @Test
    void aPushBeforeOctober2025HasItsSizeAndOneSinceThenHasNone() throws IOException {
        EventRow old = row("PushEvent", """
                {"push_id":536864018,"size":2,"distinct_size":2,"ref":"refs/heads/master",
                 "head":"6dcb09b5b57875f334f61aebed695e2e4193db5e","before":"5a3b7b1b7b7d0b0f3f4e9c6d6b3e2a1c0b9a8f7e",
                 "commits":[{"sha":"6dcb09b5b57875f334f61aebed695e2e4193db5e","author":{"email":"o@example.com","name":"Octo"},
                             "message":"Fix all the bugs","distinct":true,"url":"https://api.github.com/repos/x/commits/6dcb"}]}""",
                "2015-01-01T15:00:03Z");
        assertEquals(536864018L, old.payload().pushId());
        assertEquals("refs/heads/master", old.payload().ref());
        assertEquals("6dcb09b5b57875f334f61aebed695e2e4193db5e", old.payload().head());
        assertEquals("5a3b7b1b7b7d0b0f3f4e9c6d6b3e2a1c0b9a8f7e", old.payload().before());
        assertEquals(2, old.payload().size());
        assertEquals("", old.action());

        EventRow slim = row("PushEvent", """
                {"repository_id":1296269,"push_id":27234567890,"ref":"refs/heads/main",
                 "head":"a1b2c3d4e5f60718293a4b5c6d7e8f9012345678","before":"0000000000000000000000000000000000000000"}""",
                "2026-11-30T08:01:02Z");
        assertEquals(27234567890L, slim.payload().pushId());
        assertEquals("refs/heads/main", slim.payload().ref());
        assertEquals("a1b2c3d4e5f60718293a4b5c6d7e8f9012345678", slim.payload().head());
        assertEquals(-1, slim.payload().size(), "no size since October 2025: NULL, not 0");
    }

    @Test
    void aMergeIsTheActionMergedInBothEras() throws IOException {
        EventRow old = row("PullRequestEvent", """
                {"action":"closed","number":36,"pull_request":{"url":"https://api.github.com/repos/octocat/Hello-World/pulls/36",
                 "id":26557431,"number":36,"state":"closed","title":"Update README","user":{"login":"hubot","id":2},
                 "body":"merged: false in the body is text","merged":true,"merged_at":"2015-01-01T15:10:00Z",
                 "head":{"ref":"patch-1","sha":"abc"},"base":{"ref":"master","sha":"def"}}}""",
                "2015-01-01T15:10:00Z");
        assertEquals("merged", old.action());
        assertTrue(old.payload().merged());
        assertEquals(36, old.payload().number());

        EventRow slim = row("PullRequestEvent", """
                {"action":"merged","number":42,"pull_request":{"url":"https://api.github.com/repos/octocat/Hello-World/pulls/42",
                 "id":2876543210,"number":42,"head":{"ref":"feature","sha":"1a2b","repo":{"id":1296269,"url":"u","name":"Hello-World"}},
                 "base":{"ref":"main","sha":"3c4d","repo":{"id":1296269,"url":"u","name":"Hello-World"}}}}""",
                "2026-11-30T08:01:02Z");
        assertEquals("merged", slim.action());
        assertTrue(slim.payload().merged());
        assertEquals(42, slim.payload().number());
    }

    @Test
    void closedIsClosedWithoutAMergeInBothEras() throws IOException {
        EventRow old = row("PullRequestEvent", """
                {"action":"closed","number":37,"pull_request":{"id":1,"number":37,"state":"closed","merged":false,"merged_at":null}}""",
                "2019-05-05T05:05:05Z");
        EventRow slim = row("PullRequestEvent", """
                {"action":"closed","number":43,"pull_request":{"url":"u","id":2,"number":43,"head":{"ref":"x","sha":"y"},"base":{"ref":"main","sha":"z"}}}""",
                "2026-11-30T08:01:02Z");
        for (EventRow r : new EventRow[] {old, slim}) {
            assertEquals("closed", r.action());
            assertFalse(r.payload().merged());
        }
        assertEquals(37, old.payload().number());
        assertEquals(43, slim.payload().number());
    }

    @Test
    void issuesCommentsAndReviewsKeepTheirNumbers() throws IOException {
        EventRow issue = row("IssuesEvent", """
                {"action":"opened","issue":{"url":"u","id":1,"number":1347,"title":"Found a bug","labels":[],"state":"open"}}""",
                "2024-02-02T02:02:02Z");
        assertEquals(1347, issue.payload().number());
        assertEquals("opened", issue.action());

        EventRow comment = row("IssueCommentEvent", """
                {"action":"created","issue":{"number":1347,"user":{"id":9,"login":"x"}},
                 "comment":{"id":1729088252,"user":{"id":3,"login":"y"},"body":"Me too"}}""", "2024-02-02T02:03:02Z");
        assertEquals(1347, comment.payload().number());
        assertEquals(1729088252L, comment.payload().commentId());

        EventRow review = row("PullRequestReviewEvent", """
                {"action":"created","review":{"id":80,"user":{"login":"z"},"state":"approved","body":null},
                 "pull_request":{"url":"u","id":3,"number":42,"head":{"ref":"f","sha":"1"},"base":{"ref":"main","sha":"2"}}}""",
                "2026-11-30T08:01:02Z");
        assertEquals(42, review.payload().number());
        assertEquals("approved", review.payload().reviewState());
        assertFalse(review.payload().merged(), "merged belongs to PullRequestEvent");
    }

    @Test
    void refsTagsForksReleasesAndMembersHaveTheirColumns() throws IOException {
        EventRow create = row("CreateEvent", """
                {"ref":"v2.0.0","ref_type":"tag","full_ref":"refs/tags/v2.0.0","master_branch":"main","description":null,
                 "pusher_type":"user"}""", "2026-11-30T08:01:02Z");
        assertEquals("v2.0.0", create.payload().ref());
        assertEquals("tag", create.payload().refType());
        assertEquals("refs/tags/v2.0.0", create.payload().fullRef());

        EventRow oldDelete = row("DeleteEvent", """
                {"ref":"feature","ref_type":"branch","pusher_type":"user"}""", "2016-03-03T03:03:03Z");
        assertEquals("feature", oldDelete.payload().ref());
        assertEquals("", oldDelete.payload().fullRef(), "no full_ref in older payloads");

        EventRow fork = row("ForkEvent", """
                {"action":"forked","forkee":{"id":28688600,"node_id":"MDEw","name":"Hello-World","full_name":"hubot/Hello-World",
                 "owner":{"login":"hubot","id":2},"private":false,"fork":true}}""", "2026-11-30T08:01:02Z");
        assertEquals("forked", fork.action());
        assertEquals(28688600L, fork.payload().forkeeId());
        assertEquals("hubot/Hello-World", fork.payload().forkeeName());

        EventRow release = row("ReleaseEvent", """
                {"action":"published","release":{"url":"u","id":1,"tag_name":"v1.0.0","name":"First","draft":false,
                 "author":{"login":"octocat"},"assets":[]}}""", "2024-02-02T02:02:02Z");
        assertEquals("v1.0.0", release.payload().tagName());

        EventRow member = row("MemberEvent", """
                {"member":{"login":"carol","id":7},"action":"added"}""", "2024-02-02T02:02:02Z");
        assertEquals("carol", member.payload().memberLogin());
        assertEquals("added", member.action());
    }

    @Test
    void unknownFieldsAndTypesAreIgnoredNeverAnError() throws IOException {
        EventRow r = row("SomeEventGitHubAddsNextYear", """
                {"action":"made","brand_new":{"nested":[1,{"x":null}],"number":"not ours"},"number":"7","size":-3,
                 "push_id":{"odd":true},"release":"not an object"}""", "2026-12-01T00:00:00Z");
        assertEquals("SomeEventGitHubAddsNextYear", r.type());
        assertEquals("made", r.action());
        assertEquals(7, r.payload().number(), "a number as a string of digits, as ids come");
        assertEquals(-1, r.payload().size(), "a negative size is none");
        assertEquals(0, r.payload().pushId());
        assertEquals("", r.payload().tagName());
    }
}
