package io.github.eventsstats.clickhouse;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * V028 on a database of its own that holds every file before it, with an hour counted and sealed
 * the old way (uniqExact states), as an older service left it; V028 runs twice, as when a start-up
 * dies after its statements but before it is recorded.
 */
@QuarkusTest
class RepoHourlyBitmapsMigrationTest extends MigrationTestBase {

    private static final String V028 = "V028__repo_hourly_bitmaps.sql";

    @Test
    void everyHourIsUnsealedAndCountedAgainIntoBitmapsThatTheViewStillCopies() {
        runFilesBefore(V028);
        db.query("""
                INSERT INTO {db:Identifier}.repo_hourly_detail
                SELECT 'o/r', '2025-06-01 10:00:00', 'WatchEvent', 2, uniqExactState(toUInt64(number)),
                       uniqExactState(toUInt64(0)), '2025-06-01 10:00:00', '2025-06-01 10:30:00', 2
                FROM numbers(2)""");
        db.query("INSERT INTO {db:Identifier}.repo_hours_sealed VALUES ('2025-06-01 10:00:00', 2, 0, now64(3))");
        db.query("INSERT INTO {db:Identifier}.repo_hour_top VALUES ('2025-06-01 10:00:00', 1, 'o/r', 2, 0, 2)");

        db.run(V028);
        db.run(V028);

        assertEquals(List.of("0 0"), db.rows("SELECT concat(toString((SELECT count() FROM {db:Identifier}.repo_hours_sealed)),"
                + " ' ', toString((SELECT count() FROM {db:Identifier}.repo_hour_top)))"), "no hour is sealed or ranked: each is counted again");
        assertEquals(List.of("AggregateFunction(groupBitmap, UInt64)"),
                db.rows("SELECT type FROM system.columns WHERE database = {db:String} AND table = 'repo_hourly_detail'"
                        + " AND name IN ('users', 'pushes') GROUP BY type"));
        db.query("""
                INSERT INTO {db:Identifier}.repo_hourly_detail
                SELECT 'o/r', '2025-06-01 11:00:00', 'WatchEvent', 3, groupBitmapState(toUInt64(number)),
                       groupBitmapState(toUInt64(0)), '2025-06-01 11:00:00', '2025-06-01 11:30:00', 3
                FROM numbers(3)""");
        assertEquals(List.of("3"), db.rows("SELECT toString(groupBitmapMerge(users)) FROM {db:Identifier}.repo_hourly_detail"));
        assertEquals(List.of("2025-06-01 11:00:00 3"),
                db.rows("SELECT concat(toString(hour), ' ', toString(events)) FROM {db:Identifier}.repo_hourly ORDER BY hour"),
                "repo_hourly is made anew, and the view copies the new table's rows into it");
    }
}
