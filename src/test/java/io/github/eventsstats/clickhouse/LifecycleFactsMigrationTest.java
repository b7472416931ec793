package io.github.eventsstats.clickhouse;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * V032 on a database of its own that holds every file before it and a loaded history, as an older
 * service left it: the facts of every item are filled from it; V032 runs twice, as when a
 * start-up dies after its statements but before it is recorded.
 */
@QuarkusTest
class LifecycleFactsMigrationTest extends MigrationTestBase {

    private static final String V032 = "V032__lifecycle_facts.sql";

    @Test
    void theHistoriesLoadedBeforeItGetTheirFactsOnceEach() {
        runFilesBefore(V032);
        // #1 closed, then reopened at a later sync; #2 merged, answered by its author, a bot, then bob;
        // #3 an issue nobody answered; a comment on #4, whose item is not stored.
        db.query("""
                INSERT INTO {db:Identifier}.lifecycle_items VALUES
                ('o/r', 1, 'issue', '2026-01-01 00:00:00', '2026-01-02 00:00:00', '2026-01-02 00:00:00', NULL, 'ann', 0, now64(3)),
                ('o/r', 2, 'pull', '2026-01-05 00:00:00', '2026-01-06 00:00:00', '2026-01-06 00:00:00', '2026-01-06 00:00:00', 'ann', 0, now64(3)),
                ('o/r', 3, 'issue', '2026-01-07 00:00:00', '2026-01-07 00:00:00', NULL, NULL, 'dependabot[bot]', 1, now64(3))""");
        // A later sync, in a part of its own as the sync writes it (one insert's rows are folded as they are stored).
        db.query("""
                INSERT INTO {db:Identifier}.lifecycle_items VALUES
                ('o/r', 1, 'issue', '2026-01-01 00:00:00', '2026-01-03 00:00:00', NULL, NULL, 'ann', 0, now64(3))""");
        db.query("""
                INSERT INTO {db:Identifier}.lifecycle_comments VALUES
                ('o/r', 2, 'issue_comment', 10, '2026-01-05 01:00:00', 'ann', 0, now64(3)),
                ('o/r', 2, 'issue_comment', 11, '2026-01-05 02:00:00', 'ci[bot]', 1, now64(3)),
                ('o/r', 2, 'review_comment', 12, '2026-01-05 03:00:00', 'bob', 0, now64(3)),
                ('o/r', 4, 'issue_comment', 13, '2026-01-08 00:00:00', 'bob', 0, now64(3))""");

        db.run(V032);
        db.run(V032);

        assertEquals(List.of(
                        "1 issue 2026-01-01 00:00:00 \\N \\N 0 \\N",
                        "2 pull 2026-01-05 00:00:00 2026-01-06 00:00:00 2026-01-06 00:00:00 0 2026-01-05 03:00:00",
                        "3 issue 2026-01-07 00:00:00 \\N \\N 1 \\N"),
                db.rows("""
                        SELECT concat(toString(number), ' ', toString(kind), ' ', toString(created_at), ' ',
                                      ifNull(toString(closed_at), '\\\\N'), ' ', ifNull(toString(merged_at), '\\\\N'), ' ',
                                      toString(author_bot), ' ', ifNull(toString(responded_at), '\\\\N'))
                        FROM {db:Identifier}.lifecycle_facts FINAL ORDER BY number"""));
    }
}
