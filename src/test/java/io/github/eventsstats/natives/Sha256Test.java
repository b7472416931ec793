package io.github.eventsstats.natives;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sha256 agrees with MessageDigest for arrays and files; libcrypto does it where installed (CI has it). */
class Sha256Test {

    @TempDir
    Path dir;

    @Test
    void digestsArraysAndFilesLikeMessageDigest() throws Exception {
        Random random = new Random(7);
        for (int size : new int[]{0, 1, 55, 64, 1000, 3_000_001}) {
            byte[] content = new byte[size];
            random.nextBytes(content);
            byte[] expected = MessageDigest.getInstance("SHA-256").digest(content);
            assertArrayEquals(expected, Sha256.of(content), "array of " + size);
            assertArrayEquals(expected, Sha256.of(Files.write(dir.resolve("f" + size), content)), "file of " + size);
        }
    }

    @Test
    void libcryptoIsUsedWhereItIsInstalled() {
        boolean installed = Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libcrypto.so.3"))
                || Files.exists(Path.of("/lib/x86_64-linux-gnu/libcrypto.so.3"));
        assertTrue(!installed || Sha256.isNative(), "libcrypto.so.3 is installed but not used");
    }
}
