package io.github.eventsstats.archive;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** libcrypto's digest of a file equals MessageDigest's; runs where libcrypto.so.3 is (Debian's libssl3). */
class NativeSha256Test {

    @TempDir
    Path dir;

    @Test
    void digestsFilesLikeMessageDigest() throws Exception {
        assumeTrue(NativeSha256.LIB != null, "libcrypto.so.3 not installed");
        Random random = new Random(7);
        for (int size : new int[]{0, 1, 55, 64, 1000, 3_000_001}) {
            byte[] content = new byte[size];
            random.nextBytes(content);
            Path file = Files.write(dir.resolve("f" + size), content);
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)),
                    HexFormat.of().formatHex(NativeSha256.LIB.digest(file)), "size " + size);
        }
    }
}
