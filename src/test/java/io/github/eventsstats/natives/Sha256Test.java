package io.github.eventsstats.natives;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sha256 agrees with MessageDigest; libcrypto does it where installed (CI has it) and only a libcrypto 3. */
class Sha256Test {

    @TempDir
    Path dir;

    @Test
    void digestsFilesLikeMessageDigest() throws Exception {
        Random random = new Random(7);
        for (int size : new int[]{0, 1, 55, 64, 1000, (1 << 20) + 1, 3_000_001}) {
            byte[] content = new byte[size];
            random.nextBytes(content);
            byte[] expected = MessageDigest.getInstance("SHA-256").digest(content);
            assertArrayEquals(expected, Sha256.of(Files.write(dir.resolve("f" + size), content)), "file of " + size);
        }
    }

    @Test
    void libcryptoIsUsedWhereItIsInstalled() {
        assertTrue(!FakeLibrary.installed("libcrypto.so.3") || Sha256.isNative(),
                "libcrypto.so.3 is installed but failed its check or was not found");
    }

    @Test
    void aLibcryptoOtherThanOpenSsl3IsNotUsed() throws Exception {
        Sha256.isNative(); // its own load first, so that only the one under test is logged
        Path fake = FakeLibrary.build(dir, "libcrypto.so.4", "unsigned long OpenSSL_version_num(void) { return 0x40000000UL; }");
        AtomicReference<Sha256.Native> bound = new AtomicReference<>();

        List<FakeLibrary.Line> lines = FakeLibrary.logged(() -> bound.set(Sha256.bind(List.of(fake.toString()))));

        assertNull(bound.get());
        assertEquals(1, lines.size(), lines.toString());
        assertEquals("sha256: MessageDigest, not libcrypto: " + fake.toRealPath() + " failed its check: it is OpenSSL 4.0.0,"
                + " and the EVP calls bound here are OpenSSL 3's", lines.getFirst().text());
    }

    @Test
    void aLibcrypto3WhoseDigestsAreWrongIsNotUsed() throws Exception {
        Sha256.isNative();
        // OpenSSL 3's EVP calls, all succeeding, with a digest of zeros.
        Path fake = FakeLibrary.build(dir, "libcrypto.so.3", """
                #include <stdlib.h>
                #include <string.h>
                unsigned long OpenSSL_version_num(void) { return 0x30000020UL; }
                static char md;
                const void *EVP_sha256(void) { return &md; }
                void *EVP_MD_CTX_new(void) { return malloc(8); }
                void EVP_MD_CTX_free(void *ctx) { free(ctx); }
                int EVP_DigestInit_ex(void *ctx, const void *type, void *engine) { return 1; }
                int EVP_DigestUpdate(void *ctx, const void *data, unsigned long n) { return 1; }
                int EVP_DigestFinal_ex(void *ctx, unsigned char *out, unsigned int *n) { memset(out, 0, 32); return 1; }
                """);
        AtomicReference<Sha256.Native> bound = new AtomicReference<>();

        List<FakeLibrary.Line> lines = FakeLibrary.logged(() -> bound.set(Sha256.bind(List.of(fake.toString()))));

        assertNull(bound.get());
        assertEquals(1, lines.size(), lines.toString());
        assertEquals("sha256: MessageDigest, not libcrypto: " + fake.toRealPath() + " failed its check: the SHA-256 of"
                + " \"abc\" comes out as " + "0".repeat(64), lines.getFirst().text());
    }
}
