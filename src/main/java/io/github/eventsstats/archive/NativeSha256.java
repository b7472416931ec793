package io.github.eventsstats.archive;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** OpenSSL's one-shot {@code SHA256()} (libcrypto 3, present wherever OpenSSL is) over a mapped file, through FFM. */
record NativeSha256(MethodHandle sha256) {

    private static final Logger LOG = Logger.getLogger(NativeSha256.class);

    /** The library's entry point, or null when it is missing or native access is refused. */
    static final NativeSha256 LIB = load();

    private static NativeSha256 load() {
        try {
            SymbolLookup lib = SymbolLookup.libraryLookup("libcrypto.so.3", Arena.global());
            return new NativeSha256(Linker.nativeLinker().downcallHandle(lib.findOrThrow("SHA256"),
                    FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, ADDRESS)));
        } catch (IllegalArgumentException | UnsupportedOperationException | IllegalCallerException
                 | java.util.NoSuchElementException | LinkageError e) {
            LOG.debugf("sha256: MessageDigest (libcrypto.so.3 not usable: %s)", e);
            return null;
        }
    }

    byte[] digest(Path file) throws IOException {
        try (Arena arena = Arena.ofConfined();
             FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            MemorySegment data = size == 0 ? arena.allocate(1) : ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            MemorySegment md = arena.allocate(32);
            try {
                MemorySegment unused = (MemorySegment) sha256.invokeExact(data, size, md);
            } catch (Throwable t) {
                throw new IllegalStateException("SHA256 failed", t);
            }
            return md.toArray(JAVA_BYTE);
        }
    }
}
