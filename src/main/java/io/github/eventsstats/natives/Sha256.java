package io.github.eventsstats.natives;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * SHA-256 of files (the backfill ledger's): with OpenSSL's libcrypto 3 through FFM where it is
 * there and passes its check, else with MessageDigest; both give the same digest. libcrypto uses
 * the CPU's SHA extensions from the first byte, where MessageDigest needs C2's intrinsic, which
 * the backfill's launcher leaves out ({@code -XX:TieredStopAtLevel=1}): there it hashes an 80 MB
 * hour about five times slower, on the cores the load needs (docs/benchmarks/natives-and-jit.md).
 *
 * <p>Before its first use the library is checked: OpenSSL_version_num must say 3.x (the EVP
 * digest calls bound here are those of OpenSSL 3's ABI), and known messages must hash to their
 * known digests.
 */
public final class Sha256 {

    private static final NativeLibrary.Binding BINDING = new NativeLibrary.Binding("sha256", "libcrypto",
            "MessageDigest", "install the libssl3 package to hash faster", "OpenSSL_version_num", "libssl3");
    static final List<String> LIBRARIES = List.of("libcrypto.so.3");
    private static final int BUFFER = 1 << 20;
    // Last: the check uses the constants before it.
    private static final Native NATIVE = bind(LIBRARIES);

    private Sha256() {
    }

    static Native bind(List<String> libraries) {
        return NativeLibrary.load(BINDING, libraries, Sha256::check);
    }

    /** Whether libcrypto does the hashing. */
    public static boolean isNative() {
        return NATIVE != null;
    }

    /**
     * The file's digest. It is read, not mapped: a mapped file that shrinks under the native call
     * would crash the JVM instead of failing the read.
     */
    public static byte[] of(Path file) throws IOException {
        if (NATIVE != null) {
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                return NATIVE.digest(in);
            }
        }
        MessageDigest sha = messageDigest();
        byte[] buf = new byte[BUFFER];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
            }
        }
        return sha.digest();
    }

    static MessageDigest messageDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has it
        }
    }

    private static NativeLibrary.Bound<Native> check(NativeLibrary library) throws NativeLibrary.Mismatch {
        long v = (long) NativeLibrary.call(library.function("OpenSSL_version_num", FunctionDescriptor.of(JAVA_LONG)));
        // 0xMNN00PP0: major, minor, patch.
        String version = (v >>> 28) + "." + ((v >>> 20) & 0xff) + "." + ((v >>> 4) & 0xff);
        if (v >>> 28 != 3) {
            throw new NativeLibrary.Mismatch("it is OpenSSL " + version + ", and the EVP calls bound here are OpenSSL 3's");
        }
        Native lib = new Native((MemorySegment) NativeLibrary.call(library.function("EVP_sha256", FunctionDescriptor.of(ADDRESS))),
                library.function("EVP_MD_CTX_new", FunctionDescriptor.of(ADDRESS)),
                library.function("EVP_MD_CTX_free", FunctionDescriptor.ofVoid(ADDRESS)),
                library.function("EVP_DigestInit_ex", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS)),
                library.function("EVP_DigestUpdate", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG)),
                library.function("EVP_DigestFinal_ex", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS)));
        lib.selfTest();
        return new NativeLibrary.Bound<>(lib, version);
    }

    /** libcrypto's EVP digest calls. */
    record Native(MemorySegment sha256, MethodHandle newCtx, MethodHandle freeCtx, MethodHandle init,
                  MethodHandle update, MethodHandle finish) {

        /**
         * Known answers of FIPS 180-2: "abc", the empty message, and a million "a"s (in many
         * updates, as a file is hashed).
         */
        void selfTest() throws NativeLibrary.Mismatch {
            byte[] million = new byte[1_000_000];
            Arrays.fill(million, (byte) 'a');
            record Case(String name, byte[] data, String digest) {
            }
            for (Case c : List.of(
                    new Case("\"abc\"", "abc".getBytes(StandardCharsets.US_ASCII),
                            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
                    new Case("the empty message", new byte[0],
                            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
                    new Case("a million \"a\"s", million,
                            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"))) {
                String got = HexFormat.of().formatHex(digest(c.data()));
                if (!got.equals(c.digest())) {
                    throw new NativeLibrary.Mismatch("the SHA-256 of " + c.name() + " comes out as " + got);
                }
            }
        }

        /** The digest of {@code data}, fed through the buffer as a file is. */
        byte[] digest(byte[] data) throws NativeLibrary.Mismatch {
            try {
                return digest(Channels.newChannel(new ByteArrayInputStream(data)));
            } catch (IOException e) {
                throw new IllegalStateException(e); // in memory: cannot happen
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
                    throw new IllegalStateException("EVP_MD_CTX_free failed", t);
                }
            }
        }

        private static void check(int status, String call) {
            if (status != 1) {
                throw new IllegalStateException(call + " failed");
            }
        }
    }
}
