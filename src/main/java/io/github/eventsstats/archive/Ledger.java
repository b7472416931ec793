package io.github.eventsstats.archive;

import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.event.TypeSelection;
import io.github.eventsstats.natives.Sha256;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The `backfill_ledger` table: which file contents are loaded already, and with which event types
 * (`backfill_ledger_types`, V026). A file counts as loaded only for the types its load stored.
 */
@ApplicationScoped
class Ledger {

    private final ClickHouse clickHouse;

    Ledger(ClickHouse clickHouse) {
        this.clickHouse = clickHouse;
    }

    /** Whether a load of this content stored every type of {@code types}. */
    boolean loaded(String sha256, TypeSelection types) {
        return clickHouse.query("SELECT DISTINCT types FROM backfill_ledger_types WHERE sha256 = {h:FixedString(64)}",
                Map.of("h", sha256)).stream().anyMatch(r -> covers(r.getString("types"), types));
    }

    /** Whether a loaded file has this size: only then can a file's content be loaded already. */
    boolean anyOfSize(long size) {
        return clickHouse.query("SELECT count() AS c FROM backfill_ledger WHERE file_size = {s:UInt64}",
                Map.of("s", size)).getFirst().getLong("c") > 0;
    }

    /**
     * Which of these hour file names the sync has loaded with every type of {@code types}: rows it
     * recorded under a URL ending in the name, from any mirror. (Files given to the command by path,
     * such as the poller's raw hours of the same names, are other data and do not count.)
     */
    Set<String> syncedNames(List<String> names, TypeSelection types) {
        Set<String> found = new HashSet<>();
        clickHouse.query("""
                        SELECT DISTINCT replaceRegexpOne(file_name, '^.*/', '') AS n, types FROM backfill_ledger_types
                        WHERE match(file_name, '^https?://') AND n IN {names:Array(String)}""",
                Map.of("names", names)).forEach(r -> {
                    if (covers(r.getString("types"), types)) {
                        found.add(r.getString("n"));
                    }
                });
        return found;
    }

    private static boolean covers(String stored, TypeSelection asked) {
        return TypeSelection.parse(List.of(stored.split(","))).covers(asked);
    }

    /** Written once every kept event of the file is stored, so a crash before it means "load again". */
    void record(String name, long size, String sha256, FileCounts c, TypeSelection types) {
        clickHouse.query("""
                        INSERT INTO backfill_ledger (file_name, file_size, sha256, rows_read, rows_kept, rows_stored,
                            rows_duplicate, rows_bad, status)
                        VALUES ({name:String}, {size:UInt64}, {h:FixedString(64)}, {read:UInt64}, {kept:UInt64},
                            {stored:UInt64}, {dup:UInt64}, {bad:UInt64}, {status:String})""",
                Map.of("name", name, "size", size, "h", sha256, "read", c.read(), "kept", c.kept(),
                        "stored", c.stored.get(), "dup", c.duplicate.get(), "bad", c.bad(),
                        "status", c.partial() ? "partial" : "complete"));
        // Second: a crash between the two leaves an entry of unknown types, which is loaded again.
        clickHouse.query("""
                        INSERT INTO backfill_ledger_types (sha256, file_name, types)
                        VALUES ({h:FixedString(64)}, {name:String}, {types:String})""",
                Map.of("h", sha256, "name", name, "types", types.toString()));
    }

    /** The file's sha256, in hex. */
    static String sha256(Path file) throws IOException {
        return HexFormat.of().formatHex(Sha256.of(file));
    }
}
