package io.github.eventsstats.natives;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The line pass's two byte loops done with SIMD in native code, through the FFM API on the block's
 * own array (no copy): simdjson's {@code validate_utf8} checks a whole block at once (Debian package
 * {@code libsimdjson14}), and glibc's {@code strcspn} with the one-byte set {@code "\n"} (a
 * vectorised {@code strchrnul}) finds each line's end. Together they are about ten times the Java
 * loop's speed, which on two cores is what lets the parser keep up with the inflater.
 * Without simdjson, or with one that fails its check, {@link #NATIVE} is null and the archive's
 * LineScanner does both in Java.
 *
 * <p>{@code validate_utf8} is a C++ function, bound by its mangled name, which encodes its
 * parameters ({@code const char*, size_t}) but not its result. Before its first use the library is
 * checked ({@link #check}): its soname must be one of the simdjson releases whose
 * {@code validate_utf8(const char*, size_t)} returns a {@code bool} (3.0 to 4.2), and both
 * functions must give the known answers for valid and invalid UTF-8 and for line ends.
 */
public final class SimdLines {

    private static final NativeLibrary.Binding BINDING = new NativeLibrary.Binding("line pass", "simdjson",
            "Java", "install the libsimdjson14 package to check lines faster", SimdLines.VALIDATE_UTF8, "libsimdjson");
    // The C++ free function simdjson::validate_utf8(const char*, size_t), stable since simdjson 0.4.
    static final String VALIDATE_UTF8 = "_ZN8simdjson13validate_utf8EPKcm";
    // Sonames of the releases read: 14 is simdjson 3.0 (Debian 12), 19 is 3.6 (Ubuntu 24.04), 25 is
    // 3.12 (Debian 13), 29 is 4.2; the unversioned name is a development install's link.
    static final int OLDEST_SONAME = 14;
    static final int NEWEST_SONAME = 29;
    static final List<String> LIBRARIES = List.of("libsimdjson.so.14", "libsimdjson.so.19", "libsimdjson.so.25",
            "libsimdjson.so");

    private static final Pattern SONAME = Pattern.compile("libsimdjson\\.so\\.(\\d+)(?:\\.\\d+)*");

    // Last: the check uses the constants before it.
    public static final SimdLines NATIVE = bind(LIBRARIES);

    private final MethodHandle validateUtf8;
    private final MethodHandle strcspn;
    private final MemorySegment newline;

    private SimdLines(MethodHandle validateUtf8, MethodHandle strcspn, MemorySegment newline) {
        this.validateUtf8 = validateUtf8;
        this.strcspn = strcspn;
        this.newline = newline;
    }

    /** The first of {@code libraries} that opens, if it passes {@link #check}; else null (the Java pass). */
    static SimdLines bind(List<String> libraries) {
        return NativeLibrary.load(BINDING, libraries, SimdLines::check);
    }

    private static NativeLibrary.Bound<SimdLines> check(NativeLibrary library) throws NativeLibrary.Mismatch {
        // The soname is in the file's name (libsimdjson.so.14.0.0), or in the name it was opened by.
        Matcher m = library.file() != null ? SONAME.matcher(library.file().getFileName().toString()) : null;
        if (m == null || !m.matches()) {
            m = SONAME.matcher(Path.of(library.name()).getFileName().toString());
        }
        if (!m.matches()) {
            throw new NativeLibrary.Mismatch("its soname is unknown (no libsimdjson.so.N in its file name)");
        }
        int soname = Integer.parseInt(m.group(1));
        if (soname < OLDEST_SONAME || soname > NEWEST_SONAME) {
            throw new NativeLibrary.Mismatch("its soname is libsimdjson.so." + soname + ", and validate_utf8 is known "
                    + "in libsimdjson.so." + OLDEST_SONAME + " to ." + NEWEST_SONAME + " only");
        }
        // Both only read the array during the call, which "critical" allows for heap memory.
        Linker.Option critical = Linker.Option.critical(true);
        SimdLines s = new SimdLines(
                library.function(VALIDATE_UTF8, FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS, JAVA_LONG), critical),
                NativeLibrary.libc("strcspn", FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS), critical),
                Arena.global().allocateFrom("\n"));
        s.selfTest();
        return new NativeLibrary.Bound<>(s, "libsimdjson.so." + soname);
    }

    /**
     * Known answers, each at offsets and lengths that put the byte that decides it inside a SIMD
     * word and at its edges, and with an invalid byte just past the length, which must not count.
     */
    void selfTest() throws NativeLibrary.Mismatch {
        String valid = "ascii, café, 日本語, 🚀, U+10FFFF \uDBFF\uDFFF, U+FFFF \uFFFF";
        byte[][] invalid = {
                {(byte) 0x80}, // a continuation byte alone
                {(byte) 0xC0, (byte) 0x80}, // overlong NUL
                {(byte) 0xE0, (byte) 0x80, (byte) 0x80}, // overlong
                {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // a surrogate
                {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
                {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, // five bytes
                {(byte) 0xE2, (byte) 0x82}, // cut short at the end
                {(byte) 0xFF}};
        for (int pad : new int[]{0, 1, 31, 63, 64, 200}) {
            byte[] ok = ("x".repeat(pad) + valid).getBytes(StandardCharsets.UTF_8);
            byte[] b = Arrays.copyOf(ok, ok.length + 1);
            b[ok.length] = (byte) 0xFF; // after the length: not part of the data
            if (!validUtf8(b, ok.length)) {
                throw new NativeLibrary.Mismatch("validate_utf8 rejects valid UTF-8 (after " + pad + " bytes)");
            }
            for (byte[] bad : invalid) {
                byte[] text = new byte[pad + bad.length];
                Arrays.fill(text, 0, pad, (byte) 'x');
                System.arraycopy(bad, 0, text, pad, bad.length);
                if (validUtf8(text, text.length)) {
                    throw new NativeLibrary.Mismatch("validate_utf8 accepts " + NativeLibrary.hex(bad)
                            + " (after " + pad + " bytes)");
                }
            }
        }
        byte[] lines = "ab\n\ncd\0e\nlast".getBytes(StandardCharsets.US_ASCII);
        byte[] block = Arrays.copyOf(lines, lines.length + 1);
        int[] expected = {2, 3, 8, lines.length};
        for (int i = 0, pos = 0; i < expected.length; pos = expected[i++] + 1) {
            if (lineEnd(block, pos, lines.length) != expected[i]) {
                throw new NativeLibrary.Mismatch("strcspn finds the line from " + pos + " ending at "
                        + lineEnd(block, pos, lines.length) + ", not " + expected[i]);
            }
        }
    }

    /** Whether {@code b[0, length)} is valid UTF-8. */
    public boolean validUtf8(byte[] b, int length) {
        try {
            return (boolean) validateUtf8.invokeExact(MemorySegment.ofArray(b), (long) length);
        } catch (Throwable e) {
            throw new IllegalStateException("simdjson validate_utf8 failed", e);
        }
    }

    /**
     * The index of the first '\n' at or after {@code from}, or {@code end}; {@code b[end]} must be
     * 0, which stops the search there. A NUL byte inside the data only restarts the search after it.
     */
    public int lineEnd(byte[] b, int from, int end) {
        MemorySegment all = MemorySegment.ofArray(b);
        int i = from;
        while (true) {
            long n;
            try {
                n = (long) strcspn.invokeExact(all.asSlice(i), newline);
            } catch (Throwable e) {
                throw new IllegalStateException("strcspn failed", e);
            }
            i += (int) n;
            if (i >= end || b[i] == '\n') {
                return Math.min(i, end);
            }
            i++; // a NUL byte in the data
        }
    }
}
