package io.github.eventsstats.archive;

import io.github.eventsstats.natives.FakeLibrary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A backfill process whose dynamic loader finds an ISA-L and a simdjson that are not the ones the
 * bindings were written for (built here, first on LD_LIBRARY_PATH, under the real sonames) reads
 * with java.util.zip and the Java line pass, logs one line for each, and reads everything right,
 * including the non-UTF-8 line the fake simdjson would have let through.
 */
class NativeFallbackIT {

    @TempDir
    Path dir;

    @Test
    void aProcessWithLibrariesThatFailTheirChecksReadsInJavaAndSaysSoOnce() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        // Installed as the packages do: the soname a link to the versioned file.
        Path isal = FakeLibrary.build(lib, "libisal.so.2.0.30", FakeLibrary.ISAL, "-DFIRST=8");
        Files.createSymbolicLink(lib.resolve("libisal.so.2"), isal.getFileName());
        Path simdjson = FakeLibrary.build(lib, "libsimdjson.so.14.0.0", FakeLibrary.SIMDJSON);
        Files.createSymbolicLink(lib.resolve("libsimdjson.so.14"), simdjson.getFileName());

        Path plain = dir.resolve("hour.json");
        ArchiveGenerator.Manifest m = ArchiveGenerator.write(plain, 2000, 5, Instant.parse("2024-02-03T04:00:00Z"),
                1_000, "fallback-owner");
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(gz)) {
            out.write(Files.readAllBytes(plain));
            out.write(new byte[]{'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xFF, '"', '}', '\n'});
        }
        Path file = Files.write(dir.resolve("2024-02-03-4.json.gz"), gz.toByteArray());

        ProcessBuilder child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-cp", System.getProperty("java.class.path"), NativeFallbackChild.class.getName(), file.toString())
                .redirectErrorStream(true);
        child.environment().put("LD_LIBRARY_PATH", lib.toString());
        Process p = child.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);

        List<String> lines = out.lines().filter(l -> l.startsWith("read=") || l.startsWith("log: ")).toList();
        assertEquals(3, lines.size(), out);
        assertEquals("read=" + m.events() + " kept=" + m.kept().size() + " bad=1", lines.getFirst(), out);
        assertTrue(lines.contains("log: WARN gzip: java.util.zip, not ISA-L: " + isal.toRealPath() + " failed its check: "
                + "isal_inflate_init left 0xa5 at byte 0 of struct inflate_state, a field it sets in 2.25 to 2.32"), out);
        assertTrue(lines.contains("log: WARN line pass: Java, not simdjson: " + simdjson.toRealPath() + " failed its check: "
                + "validate_utf8 accepts 80 (after 0 bytes)"), out);
    }
}
