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
}
