package io.github.eventsstats.archive;

import io.github.eventsstats.store.ClickHouse;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/** The `backfill_ledger` table: which file contents are loaded already. */
@ApplicationScoped
class Ledger {

    private final ClickHouse clickHouse;

    Ledger(ClickHouse clickHouse) {
        this.clickHouse = clickHouse;
    }

    boolean loaded(String sha256) {
        return clickHouse.query("SELECT count() AS c FROM backfill_ledger WHERE sha256 = {h:FixedString(64)}",
                Map.of("h", sha256)).getFirst().getLong("c") > 0;
    }

    /** Whether a loaded file has this size: only then can a file's content be loaded already. */
    boolean anyOfSize(long size) {
        return clickHouse.query("SELECT count() AS c FROM backfill_ledger WHERE file_size = {s:UInt64}",
                Map.of("s", size)).getFirst().getLong("c") > 0;
    }

    /** Written once every kept event of the file is stored, so a crash before it means "load again". */
    void record(Path file, long size, String sha256, FileCounts c) {
        clickHouse.query("""
                        INSERT INTO backfill_ledger (file_name, file_size, sha256, rows_read, rows_kept, rows_stored,
                            rows_duplicate, rows_bad, status)
                        VALUES ({name:String}, {size:UInt64}, {h:FixedString(64)}, {read:UInt64}, {kept:UInt64},
                            {stored:UInt64}, {dup:UInt64}, {bad:UInt64}, {status:String})""",
                Map.of("name", file.toString(), "size", size, "h", sha256, "read", c.read(), "kept", c.kept(),
                        "stored", c.stored.get(), "dup", c.duplicate.get(), "bad", c.bad(),
                        "status", c.partial() ? "partial" : "complete"));
    }

    /**
     * The file's sha256, in hex: with OpenSSL's libcrypto where it is there (SHA extensions, no JIT
     * warm-up: ~60 ms for an 80 MB hour, against ~130 ms from a fresh JVM's MessageDigest, on the
     * cores the load needs), else with MessageDigest.
     */
    static String sha256(Path file) throws IOException {
        byte[] digest = NativeSha256.LIB != null ? NativeSha256.LIB.digest(file) : javaSha256(file);
        return HexFormat.of().formatHex(digest);
    }

    private static byte[] javaSha256(Path file) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
            }
        }
        return sha.digest();
    }
}
