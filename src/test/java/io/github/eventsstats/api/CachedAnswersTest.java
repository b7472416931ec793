package io.github.eventsstats.api;

import io.github.eventsstats.metrics.LifecycleStore;
import io.github.eventsstats.platform.FakeClock;
import io.github.eventsstats.watch.HistoryStore;
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
    @Inject
    HistoryStore history;
    @Inject
    LifecycleStore lifecycle;

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

    /**
     * complete_since (a repository's first item) is kept between this process's writes of items;
     * another replica that loads the repository's history writes past them (an issue transferred in,
     * older than the first item known), and this one answers it once the TTL has passed, as any answer.
     */
    @Test
    void anEarlierFirstItemWrittenByAnotherProcessIsSeenOnceTheTtlHasPassed() {
        String repo = uniqueRepo("cache-org");
        Instant first = Instant.parse("2026-11-20T10:00:00Z");
        history.insertItems(List.of(new HistoryStore.Item(repo, 2, HistoryStore.ItemKind.ISSUE, first, first, null, null,
                "ann", false)), first);
        assertEquals(first, lifecycle.firstItems(List.of(repo)).get(repo));
        // Another process's write: straight into the table, past this process's writer and its count.
        Instant earlier = first.minus(Duration.ofDays(30));
        clickHouse.query("""
                INSERT INTO lifecycle_items (repo_name, number, kind, created_at, updated_at, author_login, author_bot, fetched_at)
                SELECT {repo:String}, 1, 'issue', {at:DateTime('UTC')}, {at:DateTime('UTC')}, 'bob', 0, now64(3)
                """, Map.of("repo", repo, "at", io.github.eventsstats.clickhouse.ClickHouse.dateTime(earlier)));
        clock.advance(Duration.ofMillis(1999));
        assertEquals(first, lifecycle.firstItems(List.of(repo)).get(repo), "kept for the TTL");
        clock.advance(Duration.ofMillis(1));
        assertEquals(earlier, lifecycle.firstItems(List.of(repo)).get(repo), "the other process's item, after the TTL");
    }
}
