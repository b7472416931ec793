package io.github.eventsstats.natives;

import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.LogContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Shared libraries that look like the ones the bindings load but are not, built from C with gcc
 * in a test's directory (a test that needs one is skipped where gcc is missing), and the log lines
 * of the natives package while a binding loads.
 */
public final class FakeLibrary {

    private FakeLibrary() {
    }

    /** Stands in for ISA-L's three functions; which fields init sets is the layout under test. */
    public static final String ISAL = """
            #include <string.h>
            #ifndef FIRST
            #define FIRST 0
            #endif
            /* ISA-L 2.25-2.32 zero bytes [0, 40) and [21160, 21216); FIRST moves both, as a new field would. */
            void isal_inflate_init(void *state) {
                memset((char *) state + FIRST, 0, 40);
                memset((char *) state + 21160 + FIRST, 0, 56);
            #ifdef BIGGER
                memset((char *) state + 87368, 0, 8);
            #endif
            }
            void isal_inflate_reset(void *state) { isal_inflate_init(state); }
            int isal_inflate(void *state) { return -1; }
            #ifdef VERSION
            unsigned isal_get_version(void) { return VERSION; }
            #endif
            """;

    /** simdjson's validate_utf8, by its mangled name, saying yes to everything. */
    public static final String SIMDJSON = """
            #include <stdbool.h>
            #include <stddef.h>
            bool validate_utf8(const char *b, size_t n) __asm__("_ZN8simdjson13validate_utf8EPKcm");
            bool validate_utf8(const char *b, size_t n) { return true; }
            """;

    public static boolean gccPresent() {
        try {
            Process p = new ProcessBuilder("gcc", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code dir/fileName}, compiled from {@code c} (with {@code defines}, e.g. "-DVERSION=1"). */
    public static Path build(Path dir, String fileName, String c, String... defines) throws Exception {
        assumeTrue(gccPresent(), "gcc is not installed");
        Path source = dir.resolve(fileName + ".c");
        Files.writeString(source, c);
        Path library = dir.resolve(fileName);
        List<String> command = new ArrayList<>(List.of("gcc", "-shared", "-fPIC", "-O1", "-o",
                library.toString(), source.toString()));
        command.addAll(List.of(defines));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        return library;
    }

    /** A line logged by the natives package: its level and text. */
    public record Line(Level level, String text) {
    }

    /** The lines the natives package logs at INFO or above while {@code load} runs. */
    public static List<Line> logged(Runnable load) {
        List<Line> lines = new CopyOnWriteArrayList<>();
        ExtHandler capture = new ExtHandler() {
            @Override
            protected void doPublish(ExtLogRecord record) {
                if (record.getLoggerName().startsWith("io.github.eventsstats.natives")
                        && record.getLevel().intValue() >= Level.INFO.intValue()) {
                    lines.add(new Line(record.getLevel(), record.getFormattedMessage()));
                }
            }
        };
        var root = LogContext.getLogContext().getLogger("");
        root.addHandler(capture);
        try {
            load.run();
        } finally {
            root.removeHandler(capture);
        }
        return lines;
    }

    /** Whether the system's library directories hold {@code soname}, as installed by its package. */
    public static boolean installed(String soname) {
        return Files.exists(Path.of("/usr/lib/x86_64-linux-gnu", soname)) || Files.exists(Path.of("/lib/x86_64-linux-gnu", soname))
                || Files.exists(Path.of("/usr/lib64", soname)) || Files.exists(Path.of("/usr/lib", soname));
    }
}
