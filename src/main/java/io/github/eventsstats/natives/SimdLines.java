package io.github.eventsstats.natives;

import org.jboss.logging.Logger;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The line pass's two byte loops done with SIMD in native code, through the FFM API on the block's
 * own array (no copy): simdjson's {@code validate_utf8} checks a whole block at once (Debian package
 * {@code libsimdjson14}), and glibc's {@code strcspn} with the one-byte set {@code "\n"} (a
 * vectorised {@code strchrnul}) finds each line's end. Together they are about ten times the Java
 * loop's speed, which on two cores is what lets the parser keep up with the inflater.
 * Without simdjson, {@link #load} gives null and the archive's LineScanner does both in Java.
 */
public final class SimdLines {

    private static final Logger LOG = Logger.getLogger(SimdLines.class);
    // The C++ free function simdjson::validate_utf8(const char*, size_t), stable since simdjson 0.4.
    private static final String VALIDATE_UTF8 = "_ZN8simdjson13validate_utf8EPKcm";
    private static final List<String> LIBRARIES = List.of("libsimdjson.so.14", "libsimdjson.so.19",
            "libsimdjson.so.25", "libsimdjson.so");

    public static final SimdLines NATIVE = load();

    private final MethodHandle validateUtf8;
    private final MethodHandle strcspn;
    private final MemorySegment newline;

    private SimdLines(MethodHandle validateUtf8, MethodHandle strcspn, MemorySegment newline) {
        this.validateUtf8 = validateUtf8;
        this.strcspn = strcspn;
        this.newline = newline;
    }

    private static SimdLines load() {
        try {
            Linker linker = Linker.nativeLinker();
            // Both only read the array during the call, which "critical" allows for heap memory.
            Linker.Option critical = Linker.Option.critical(true);
            for (String name : LIBRARIES) {
                SymbolLookup lib;
                try {
                    lib = SymbolLookup.libraryLookup(name, Arena.global());
                } catch (IllegalArgumentException e) {
                    continue; // not this name; try the next
                }
                SimdLines s = new SimdLines(
                        linker.downcallHandle(lib.findOrThrow(VALIDATE_UTF8),
                                FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS, JAVA_LONG), critical),
                        linker.downcallHandle(linker.defaultLookup().findOrThrow("strcspn"),
                                FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS), critical),
                        Arena.global().allocateFrom("\n"));
                LOG.debugf("line pass: simdjson (%s) and strcspn", name);
                return s;
            }
            LOG.infof("line pass: Java (libsimdjson not found; install the libsimdjson14 package to check lines faster)");
        } catch (RuntimeException | LinkageError e) {
            // Native access refused (or unsupported, as in the native image), or a library without the symbol.
            LOG.infof("line pass: Java (simdjson unusable: %s)", e);
        }
        return null;
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
