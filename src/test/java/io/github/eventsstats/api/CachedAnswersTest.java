package io.github.eventsstats.api;

import io.github.eventsstats.platform.FakeClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The answer cache on, as in production: this process's writes are seen at once, others' after the TTL. */
@QuarkusTest
@TestProfile(ApiGuardsProfile.class)
class CachedAnswersTest extends ApiTestBase {

    @Inject
    FakeClock clock;

    private static int prCount(String repo) {
        return getOk("/metrics/pr-average/" + repo).getInt("pr_count");
    }

    @Test
    void writeInThisProcessMakesTheNextAnswerFresh() {
        String repo = uniqueRepo("cache-org");
        Instant at = Instant.parse("2026-11-30T10:00:00Z");
        write(List.of(pr(repo, "opened", at)));
        assertEquals(1, prCount(repo));
        write(List.of(pr(repo, "opened", at.plusSeconds(60))));
        assertEquals(2, prCount(repo));
    }

    @Test
    void writeByAnotherProcessIsSeenOnceTheTtlHasPassed() {
        String repo = uniqueRepo("cache-org");
        write(List.of(pr(repo, "opened", Instant.parse("2026-11-30T10:00:00Z"))));
        assertEquals(1, prCount(repo));
        // Another process's insert: straight into the table, past this process's writer.
        clickHouse.query("""
                INSERT INTO events (event_id, event_type, repo_id, repo_name, actor_id, actor_login, action, created_at)
                SELECT {id:UInt64}, 'PullRequestEvent', 1, {repo:String}, 1, 'octocat', 'opened', '2026-11-30 10:05:00'
                """, Map.of("id", uniqueId(), "repo", repo));
        assertEquals(1, prCount(repo));
        clock.advance(Duration.ofMillis(1999));
        assertEquals(1, prCount(repo));
        clock.advance(Duration.ofMillis(1));
        assertEquals(2, prCount(repo));
    }
}
