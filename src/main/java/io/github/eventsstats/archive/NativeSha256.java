package io.github.eventsstats.archive;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * SHA-256 with OpenSSL's libcrypto 3 (present wherever OpenSSL is; SHA extensions where the CPU
 * has them), through FFM. The file is read into a buffer rather than mapped: a mapped file that
 * shrinks under the native call would crash the JVM instead of failing the read.
 */
record NativeSha256(MethodHandle newCtx, MethodHandle freeCtx, MemorySegment sha256, MethodHandle init,
                    MethodHandle update, MethodHandle finish) {

    private static final Logger LOG = Logger.getLogger(NativeSha256.class);
    private static final int BUFFER = 1 << 20;

    /** The library's entry points, or null when it is missing or native access is refused. */
    static final NativeSha256 LIB = load();

    private static NativeSha256 load() {
        try {
            Linker linker = Linker.nativeLinker();
            SymbolLookup lib = SymbolLookup.libraryLookup("libcrypto.so.3", Arena.global());
            MethodHandle evpSha256 = linker.downcallHandle(lib.findOrThrow("EVP_sha256"), FunctionDescriptor.of(ADDRESS));
            return new NativeSha256(
                    linker.downcallHandle(lib.findOrThrow("EVP_MD_CTX_new"), FunctionDescriptor.of(ADDRESS)),
                    linker.downcallHandle(lib.findOrThrow("EVP_MD_CTX_free"), FunctionDescriptor.ofVoid(ADDRESS)),
                    (MemorySegment) evpSha256.invokeExact(),
                    linker.downcallHandle(lib.findOrThrow("EVP_DigestInit_ex"),
                            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS)),
                    linker.downcallHandle(lib.findOrThrow("EVP_DigestUpdate"),
                            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG)),
                    linker.downcallHandle(lib.findOrThrow("EVP_DigestFinal_ex"),
                            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS)));
        } catch (Throwable e) {
            // Not installed, native access refused or unsupported (the native image): MessageDigest.
            LOG.debugf("sha256: MessageDigest (libcrypto.so.3 not usable: %s)", e);
            return null;
        }
    }

    byte[] digest(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return digest(ch);
        }
    }

    byte[] digest(ReadableByteChannel in) throws IOException {
        MemorySegment ctx;
        try {
            ctx = (MemorySegment) newCtx.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("EVP_MD_CTX_new failed", t);
        }
        if (ctx.equals(MemorySegment.NULL)) {
            throw new IllegalStateException("EVP_MD_CTX_new returned NULL");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(BUFFER, 64);
            ByteBuffer view = buf.asByteBuffer();
            check((int) init.invokeExact(ctx, sha256, MemorySegment.NULL), "EVP_DigestInit_ex");
            int n;
            while ((n = in.read(view.clear())) >= 0) {
                check((int) update.invokeExact(ctx, buf, (long) n), "EVP_DigestUpdate");
            }
            MemorySegment md = arena.allocate(32);
            check((int) finish.invokeExact(ctx, md, MemorySegment.NULL), "EVP_DigestFinal_ex");
            return md.toArray(JAVA_BYTE);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("libcrypto call failed", t);
        } finally {
            try {
                freeCtx.invokeExact(ctx);
            } catch (Throwable t) {
                LOG.debugf("EVP_MD_CTX_free failed: %s", t);
            }
        }
    }

    private static void check(int status, String call) {
        if (status != 1) {
            throw new IllegalStateException(call + " failed");
        }
    }
}
