package io.github.eventsstats.natives;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.FunctionDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Each binding checks the library it loads and falls back to its Java path, with one log line,
 * when the library is not one it was written for; the libraries CI installs pass.
 */
class NativeLibraryTest {

    private static final boolean CI = "true".equals(System.getenv("CI"));

    @TempDir
    Path dir;

    @BeforeAll
    static void bindingsLoadedFirst() {
        // Their own loads happen once, here, so that only the loads under test are logged below.
        IsalGzip.loaded();
        Object simd = SimdLines.NATIVE;
    }

    private static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    /** Loads with {@code load}, expecting no binding and exactly one WARN line that says what and why. */
    private static <T> T failsItsCheck(Supplier<T> load, Path library, String why) {
        AtomicReference<T> bound = new AtomicReference<>();
        List<FakeLibrary.Line> lines = FakeLibrary.logged(() -> bound.set(load.get()));
        assertNull(bound.get(), "a library that failed its check was bound");
        assertEquals(1, lines.size(), lines.toString());
        assertEquals("WARN", lines.getFirst().level().getName(), lines.toString());
        String line = lines.getFirst().text();
        assertTrue(line.contains(library.toString()) && line.contains(why), line);
        return bound.get();
    }

    @Test
    void theInstalledIsaLPassesItsCheckAndInflates() {
        assumeTrue(CI || FakeLibrary.installed("libisal.so.2"), "libisal2 is not installed");
        assertTrue(IsalGzip.loaded(), "libisal.so.2 is installed (CI installs libisal2) but failed its check or was not found");
    }

    @Test
    void theInstalledSimdjsonPassesItsCheckAndChecksLines() {
        assumeTrue(CI || SimdLines.LIBRARIES.stream().anyMatch(FakeLibrary::installed), "libsimdjson is not installed");
        assertNotNull(SimdLines.NATIVE, "libsimdjson is installed (CI installs libsimdjson14) but failed its check");
    }

    @Test
    void anIsaLWhoseStructHasAnotherLayoutIsNotUsedAndJavaUtilZipInflatesInstead() throws Exception {
        Path fake = FakeLibrary.build(dir, "libisal.so.2.0.30", FakeLibrary.ISAL, "-DFIRST=8");

        IsalGzip.Native bound = failsItsCheck(() -> IsalGzip.bind(List.of(fake.toString())), fake,
                "isal_inflate_init left 0xa5 at byte 0 of struct inflate_state, a field it sets in 2.25 to 2.32");

        byte[] data = "{\"id\":\"1\"}\n".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
        try (InputStream in = IsalGzip.open(new ByteArrayInputStream(gzip(data)), bound)) {
            assertInstanceOf(GZIPInputStream.class, in);
            assertArrayEquals(data, in.readAllBytes());
        }
    }

    static Stream<Arguments> isaLsThatAreNotOnesTheBindingKnows() {
        return Stream.of(
                Arguments.of(Named.of("one whose init writes after the known struct", "libisal.so.2.0.31"), "-DBIGGER",
                        "isal_inflate_init left 0x00 at byte 87368 of struct inflate_state, after the struct's 87368 bytes"),
                Arguments.of(Named.of("one that initialises as known but does not inflate", "libisal.so.2.0.30"), "-DFIRST=0",
                        "isal_inflate returned -1 (invalid deflate block) for a valid gzip member"),
                Arguments.of(Named.of("a later release, whatever its file is called", "libisal.so.2.0.30"), "-DVERSION=0x022800",
                        "it is ISA-L 2.40, and the layout of its struct inflate_state is known for 2.25 to 2.32 only"),
                Arguments.of(Named.of("one whose release cannot be told", "libisal-custom.so"), "-DFIRST=0",
                        "its version is unknown (no isal_get_version, no libisal.so.2.0.N file name, no dpkg record)"));
    }

    @ParameterizedTest
    @MethodSource("isaLsThatAreNotOnesTheBindingKnows")
    void anIsaLThatIsNotOneTheBindingKnowsIsNotUsed(String fileName, String define, String why) throws Exception {
        Path fake = FakeLibrary.build(dir, fileName, FakeLibrary.ISAL, define);

        failsItsCheck(() -> IsalGzip.bind(List.of(fake.toString())), fake, why);
    }

    @Test
    void aSimdjsonThatAcceptsInvalidUtf8IsNotUsed() throws Exception {
        Path fake = FakeLibrary.build(dir, "libsimdjson.so.14.0.0", FakeLibrary.SIMDJSON);

        failsItsCheck(() -> SimdLines.bind(List.of(fake.toString())), fake, "validate_utf8 accepts 80 (after 0 bytes)");
    }

    @Test
    void aSimdjsonOfAnUnknownSonameIsNotUsed() throws Exception {
        Path fake = FakeLibrary.build(dir, "libsimdjson.so.30.0.0", FakeLibrary.SIMDJSON);

        failsItsCheck(() -> SimdLines.bind(List.of(fake.toString())), fake,
                "its soname is libsimdjson.so.30, and validate_utf8 is known in libsimdjson.so.14 to .29 only");
    }

    @Test
    void aMissingLibraryIsOneInfoLineNamingThePackage() {
        AtomicReference<Object> bound = new AtomicReference<>();
        List<FakeLibrary.Line> lines = FakeLibrary.logged(() -> bound.set(IsalGzip.bind(List.of("libisal-absent.so.2"))));

        assertNull(bound.get());
        assertEquals(1, lines.size(), lines.toString());
        assertEquals("INFO", lines.getFirst().level().getName());
        assertEquals("gzip: java.util.zip (libisal-absent.so.2 not found; install the libisal2 package to inflate faster)",
                lines.getFirst().text());
    }

    @Test
    void aFailedCheckUnbindsTheLibraryWithOneWarnLine() {
        // Needs no compiler: the C library itself, with a check that fails.
        NativeLibrary.Binding binding = new NativeLibrary.Binding("test", "libc", "Java", "nothing to install",
                "strlen", "libc6");
        AtomicReference<Object> bound = new AtomicReference<>();
        List<FakeLibrary.Line> lines = FakeLibrary.logged(() -> bound.set(NativeLibrary.load(binding,
                List.of("libc.so.6"), library -> {
                    library.function("strlen", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
                    throw new NativeLibrary.Mismatch("its answer is not the known one");
                })));

        assertNull(bound.get());
        assertEquals(1, lines.size(), lines.toString());
        String line = lines.getFirst().text();
        assertTrue(line.startsWith("test: Java, not libc: /") && line.endsWith(" failed its check: its answer is not the known one"),
                line);
    }
}
