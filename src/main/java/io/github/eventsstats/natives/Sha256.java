package io.github.eventsstats.natives;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * SHA-256 of files (the backfill ledger) and of byte arrays (the writer's dedup tokens): with
 * OpenSSL's libcrypto 3 through FFM where it is there, else with MessageDigest; both give the
 * same digest. libcrypto uses the CPU's SHA extensions from the first byte, where a fresh JVM's
 * MessageDigest runs slowly until the JIT has compiled it (~60 ms against ~130 ms for an 80 MB
 * archive hour, on the cores a backfill needs).
 */
public final class Sha256 {

    private static final Logger LOG = Logger.getLogger(Sha256.class);
    private static final Native NATIVE = Native.load();

    private Sha256() {
    }

    /** Whether libcrypto does the hashing. */
    public static boolean isNative() {
        return NATIVE != null;
    }

    public static byte[] of(byte[] data) {
        if (NATIVE != null) {
            return NATIVE.digest(data);
        }
        return digest().digest(data);
    }

    /**
     * The file's digest. It is read, not mapped: a mapped file that shrinks under the native call
     * would crash the JVM instead of failing the read.
     */
    public static byte[] of(Path file) throws IOException {
        if (NATIVE != null) {
            return NATIVE.digest(file);
        }
        MessageDigest sha = digest();
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
            }
        }
        return sha.digest();
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** libcrypto's EVP digest calls. */
    private record Native(MemorySegment sha256, MethodHandle oneShot, MethodHandle newCtx, MethodHandle freeCtx,
                          MethodHandle init, MethodHandle update, MethodHandle finish) {

        private static final int BUFFER = 1 << 20;

        static Native load() {
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup lib = SymbolLookup.libraryLookup("libcrypto.so.3", Arena.global());
                MethodHandle evpSha256 = linker.downcallHandle(lib.findOrThrow("EVP_sha256"), FunctionDescriptor.of(ADDRESS));
                return new Native((MemorySegment) evpSha256.invokeExact(),
                        // EVP_Digest only reads the data and writes the digest during the call: heap arrays will do.
                        linker.downcallHandle(lib.findOrThrow("EVP_Digest"), FunctionDescriptor.of(JAVA_INT,
                                ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, ADDRESS), Linker.Option.critical(true)),
                        linker.downcallHandle(lib.findOrThrow("EVP_MD_CTX_new"), FunctionDescriptor.of(ADDRESS)),
                        linker.downcallHandle(lib.findOrThrow("EVP_MD_CTX_free"), FunctionDescriptor.ofVoid(ADDRESS)),
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

        byte[] digest(byte[] data) {
            byte[] md = new byte[32];
            try {
                check((int) oneShot.invokeExact(MemorySegment.ofArray(data), (long) data.length, MemorySegment.ofArray(md),
                        MemorySegment.NULL, sha256, MemorySegment.NULL), "EVP_Digest");
            } catch (RuntimeException e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException("EVP_Digest failed", t);
            }
            return md;
        }

        byte[] digest(Path file) throws IOException {
            MemorySegment ctx = call(newCtx);
            if (ctx.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("EVP_MD_CTX_new returned NULL");
            }
            try (Arena arena = Arena.ofConfined();
                 FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
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

        private static MemorySegment call(MethodHandle h) {
            try {
                return (MemorySegment) h.invokeExact();
            } catch (Throwable t) {
                throw new IllegalStateException("EVP_MD_CTX_new failed", t);
            }
        }

        private static void check(int status, String call) {
            if (status != 1) {
                throw new IllegalStateException(call + " failed");
            }
        }
    }
}
