package io.github.eventsstats.natives;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Gzip inflation with Intel's ISA-L ({@code libisal.so.2}, Debian package {@code libisal2}) through
 * the Foreign Function &amp; Memory API: about three times zlib's speed, which on two cores is the
 * largest single cost of a backfill. Without the library, or with one that fails its check,
 * {@link #open} falls back to {@link GZIPInputStream}; both read concatenated members, report a
 * truncated stream with an {@link EOFException} and a corrupt one with a {@link ZipException}, and
 * end the data quietly at trailing bytes that are not a gzip member.
 *
 * <p>ISA-L's {@code struct inflate_state} is read and written here at fixed offsets, so before
 * its first use the library is checked ({@link #check}): its version must be one whose
 * {@code igzip_lib.h} gives these offsets; {@code isal_inflate_init} on a buffer of sentinel bytes
 * must set exactly the fields it sets in those versions and nothing after the struct; and a known
 * gzip member must inflate to its bytes and checksum, and one with a wrong checksum must fail.
 */
public final class IsalGzip extends InputStream {

    private static final NativeLibrary.Binding BINDING = new NativeLibrary.Binding("gzip", "ISA-L",
            "java.util.zip", "install the libisal2 package to inflate faster", "isal_inflate_init", "libisal");
    static final List<String> LIBRARIES = List.of("libisal.so.2");

    // struct inflate_state of igzip_lib.h on x86-64, the same in every release from 2.25.0 to 2.32.1
    // (each release's header compiled with offsetof), and the minor versions of those releases.
    static final int OLDEST_MINOR = 25;
    static final int NEWEST_MINOR = 32;
    static final long STATE_SIZE = 87_368;
    static final long NEXT_OUT = 0;
    static final long AVAIL_OUT = 8;
    static final long NEXT_IN = 16;
    static final long AVAIL_IN = 32;
    static final long BLOCK_STATE = 21_160;
    static final long CRC_FLAG = 21_172;
    static final long CRC = 21_176;
    static final int ISAL_GZIP = 1;
    static final int ISAL_BLOCK_FINISH = 5;
    static final int ISAL_INCORRECT_CHECKSUM = -6;
    /**
     * The bytes isal_inflate_init sets, all to zero, in those releases: the fields before the
     * Huffman tables (next_out to read_in_length) and those between the tables and the buffers
     * (block_state to tmp_out_processed). It leaves the rest as it was.
     */
    private static final long[][] SET_BY_INIT = {{0, 40}, {BLOCK_STATE, 21_216}};
    /** Room after the struct (and after the check's output) that the library must not write. */
    private static final long GUARD = 1 << 16;
    private static final byte SENTINEL = (byte) 0xA5;

    private static final int IN_SIZE = 1 << 18;
    private static final int OUT_SIZE = 1 << 18;

    private static final Pattern FILE_VERSION = Pattern.compile("libisal\\.so\\.2\\.0\\.(\\d+)");
    private static final Pattern DEBIAN_VERSION = Pattern.compile("(?:\\d+:)?2\\.(\\d+)\\b.*");

    // Last: the check above uses all the constants before it.
    static final Native NATIVE = bind(LIBRARIES);

    /** The library's entry points. */
    record Native(MethodHandle init, MethodHandle reset, MethodHandle inflate) {
    }

    /** The first of {@code libraries} that opens, if it passes {@link #check}; else null (java.util.zip). */
    static Native bind(List<String> libraries) {
        return NativeLibrary.load(BINDING, libraries, IsalGzip::check);
    }

    /**
     * A gzip stream over {@code compressed}: ISA-L when {@code preferIsal} and the library is there,
     * else java.util.zip.
     */
    public static InputStream open(InputStream compressed, boolean preferIsal) throws IOException {
        return open(compressed, preferIsal ? NATIVE : null);
    }

    /** With {@code lib}, or with java.util.zip when it is null. */
    static InputStream open(InputStream compressed, Native lib) throws IOException {
        return lib != null ? new IsalGzip(compressed, lib) : new GZIPInputStream(compressed, 1 << 16);
    }

    static boolean loaded() {
        return NATIVE != null;
    }

    private static NativeLibrary.Bound<Native> check(NativeLibrary library) throws NativeLibrary.Mismatch {
        String version = version(library);
        Native lib = new Native(
                library.function("isal_inflate_init", FunctionDescriptor.ofVoid(ADDRESS)),
                library.function("isal_inflate_reset", FunctionDescriptor.ofVoid(ADDRESS)),
                library.function("isal_inflate", FunctionDescriptor.of(JAVA_INT, ADDRESS)));
        checkInit(lib);
        checkInflate(lib);
        return new NativeLibrary.Bound<>(lib, version);
    }

    /**
     * The library's release, "2.N": from {@code isal_get_version} (2.32 on), else from the file's
     * name ({@code libisal.so.2.0.N}: libtool's revision is the minor version), else from the dpkg
     * package that installed it; it must be one of the releases with the layout above.
     */
    static String version(NativeLibrary library) throws NativeLibrary.Mismatch {
        int major = 2;
        int minor;
        Matcher file;
        Matcher debian;
        if (library.has("isal_get_version")) {
            int v = (int) NativeLibrary.call(library.function("isal_get_version", FunctionDescriptor.of(JAVA_INT)));
            major = v >>> 16;
            minor = (v >>> 8) & 0xff;
        } else if (library.file() != null
                && (file = FILE_VERSION.matcher(library.file().getFileName().toString())).matches()) {
            minor = Integer.parseInt(file.group(1));
        } else if (library.debianVersion() != null
                && (debian = DEBIAN_VERSION.matcher(library.debianVersion())).matches()) {
            minor = Integer.parseInt(debian.group(1));
        } else {
            throw new NativeLibrary.Mismatch("its version is unknown (no isal_get_version, no libisal.so.2.0.N file "
                    + "name, no dpkg record)");
        }
        if (major != 2 || minor < OLDEST_MINOR || minor > NEWEST_MINOR) {
            throw new NativeLibrary.Mismatch("it is ISA-L " + major + "." + minor + ", and the layout of its struct "
                    + "inflate_state is known for 2." + OLDEST_MINOR + " to 2." + NEWEST_MINOR + " only");
        }
        return major + "." + minor;
    }

    /** isal_inflate_init, on sentinel bytes, sets the fields it sets in the known releases, and no others. */
    static void checkInit(Native lib) throws NativeLibrary.Mismatch {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(STATE_SIZE + GUARD, 64).fill(SENTINEL);
            MemorySegment expected = arena.allocate(STATE_SIZE + GUARD).fill(SENTINEL);
            for (long[] range : SET_BY_INIT) {
                expected.asSlice(range[0], range[1] - range[0]).fill((byte) 0);
            }
            call(lib.init, state);
            long at = state.mismatch(expected);
            if (at >= 0) {
                String where = at >= STATE_SIZE ? "after the struct's " + STATE_SIZE + " bytes"
                        : expected.get(JAVA_BYTE, at) == 0 ? "a field it sets in 2." + OLDEST_MINOR + " to 2." + NEWEST_MINOR
                        : "outside the fields it sets in 2." + OLDEST_MINOR + " to 2." + NEWEST_MINOR;
                throw new NativeLibrary.Mismatch(String.format(
                        "isal_inflate_init left 0x%02x at byte %d of struct inflate_state, %s", state.get(JAVA_BYTE, at), at,
                        where));
            }
        }
    }

    /**
     * A known gzip member inflates, in outputs of varied sizes (small ones go through the state's
     * own buffers), to its bytes and its CRC, with the state's fields where they are expected and
     * nothing written after the struct or the output; with its checksum broken, it fails as such.
     */
    static void checkInflate(Native lib) throws NativeLibrary.Mismatch {
        byte[] data = sample();
        byte[] gz = gzip(data);
        int status = inflate(lib, gz, data);
        if (status != 0) {
            throw new NativeLibrary.Mismatch("isal_inflate returned " + status + " (" + problem(status)
                    + ") for a valid gzip member");
        }
        gz[gz.length - 8] ^= 0x55; // the trailer's CRC
        status = inflate(lib, gz, data);
        if (status != ISAL_INCORRECT_CHECKSUM) {
            throw new NativeLibrary.Mismatch("isal_inflate returned " + status + ", not " + ISAL_INCORRECT_CHECKSUM
                    + " (incorrect checksum), for a member with a wrong CRC");
        }
    }

    /** Inflates {@code gz}, which must hold {@code data}: 0, or the first failing status. */
    private static int inflate(Native lib, byte[] gz, byte[] data) throws NativeLibrary.Mismatch {
        int[] rooms = {4093, 1, 65_536, 13, 1000, 200_000};
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(STATE_SIZE + GUARD, 64).fill(SENTINEL);
            MemorySegment in = arena.allocateFrom(JAVA_BYTE, gz);
            MemorySegment out = arena.allocate(data.length + GUARD).fill(SENTINEL);
            call(lib.init, state);
            state.set(JAVA_INT, CRC_FLAG, ISAL_GZIP);
            state.set(ADDRESS, NEXT_IN, in);
            state.set(JAVA_INT, AVAIL_IN, gz.length);
            long written = 0;
            for (int i = 0; state.get(JAVA_INT, BLOCK_STATE) != ISAL_BLOCK_FINISH; i++) {
                if (i == 1000) {
                    throw new NativeLibrary.Mismatch("isal_inflate did not finish a " + gz.length + "-byte member");
                }
                int room = (int) Math.min(rooms[i % rooms.length], data.length - written);
                state.set(ADDRESS, NEXT_OUT, out.asSlice(written));
                state.set(JAVA_INT, AVAIL_OUT, room);
                int status = isalInflate(lib, state);
                if (status < 0) {
                    return status;
                }
                int given = room - state.get(JAVA_INT, AVAIL_OUT);
                if (given < 0 || given > room) {
                    throw new NativeLibrary.Mismatch("isal_inflate left avail_out at " + state.get(JAVA_INT, AVAIL_OUT)
                            + " of " + room);
                }
                written += given;
            }
            String wrong = written != data.length ? "wrote " + written + " bytes, not " + data.length
                    : out.asSlice(0, data.length).mismatch(MemorySegment.ofArray(data)) >= 0 ? "wrote other bytes"
                    : state.get(JAVA_INT, CRC) != (int) crc(data) ? "left another CRC"
                    : state.get(JAVA_INT, AVAIL_IN) != 0 || state.get(ADDRESS, NEXT_IN).address() != in.address() + gz.length
                    ? "did not take the whole member"
                    : !untouched(state.asSlice(STATE_SIZE), arena) ? "wrote after the struct's " + STATE_SIZE + " bytes"
                    : !untouched(out.asSlice(data.length), arena) ? "wrote after the output" : null;
            if (wrong != null) {
                throw new NativeLibrary.Mismatch("isal_inflate, on a known member, " + wrong);
            }
            return 0;
        }
    }

    private static long crc(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        return crc.getValue();
    }

    private static boolean untouched(MemorySegment s, Arena arena) {
        return s.mismatch(arena.allocate(s.byteSize()).fill(SENTINEL)) < 0;
    }

    /** 160 KB of JSON-like lines with varied numbers: several dynamic Huffman blocks, long matches and short. */
    private static byte[] sample() {
        StringBuilder text = new StringBuilder(170_000);
        long x = 42;
        while (text.length() < 160_000) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            text.append("{\"id\":\"").append(x >>> 20).append("\",\"type\":\"")
                    .append((x & 3) == 0 ? "WatchEvent" : "PushEvent").append("\",\"n\":").append(x >>> 58).append("}\n");
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
        return bytes.toByteArray();
    }

    /** isal_inflate: 0, or a negative status. */
    private static int isalInflate(Native lib, MemorySegment state) {
        try {
            return (int) lib.inflate.invokeExact(state);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static void call(MethodHandle h, MemorySegment state) {
        try {
            h.invokeExact(state);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private final InputStream in;
    private final Native lib;
    private final Arena arena = Arena.ofShared(); // opened by one thread, read by the inflating one
    private final MemorySegment state;
    private final MemorySegment input;
    private final MemorySegment output;
    private final byte[] chunk = new byte[IN_SIZE];
    private final byte[] one = new byte[1];
    private int outPos;
    private int outLen;
    private boolean inputEnded;
    private boolean memberEnded;
    private boolean ended;

    IsalGzip(InputStream compressed, Native lib) {
        this.in = compressed;
        this.lib = Objects.requireNonNull(lib, "ISA-L is not available");
        state = arena.allocate(STATE_SIZE, 64);
        input = arena.allocate(IN_SIZE, 64);
        output = arena.allocate(OUT_SIZE, 64);
        call(lib.init, state);
        state.set(JAVA_INT, CRC_FLAG, ISAL_GZIP);
        state.set(ADDRESS, NEXT_IN, input);
        state.set(JAVA_INT, AVAIL_IN, 0);
    }

    @Override
    public int read() throws IOException {
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (outPos == outLen) {
            if (ended) {
                return -1;
            }
            inflate();
        }
        int n = Math.min(len, outLen - outPos);
        MemorySegment.copy(output, JAVA_BYTE, outPos, b, off, n);
        outPos += n;
        return n;
    }

    /** Inflates into the output buffer until it holds something or the data ended. */
    private void inflate() throws IOException {
        outPos = 0;
        outLen = 0;
        while (outLen == 0) {
            if (memberEnded && !nextMember()) {
                ended = true;
                return;
            }
            int availIn = state.get(JAVA_INT, AVAIL_IN);
            if (availIn == 0 && !inputEnded) {
                refill();
                availIn = state.get(JAVA_INT, AVAIL_IN);
            }
            state.set(ADDRESS, NEXT_OUT, output);
            state.set(JAVA_INT, AVAIL_OUT, OUT_SIZE);
            int status = isalInflate(lib, state);
            if (status < 0) {
                throw new ZipException(problem(status));
            }
            outLen = OUT_SIZE - state.get(JAVA_INT, AVAIL_OUT);
            if (state.get(JAVA_INT, BLOCK_STATE) == ISAL_BLOCK_FINISH) {
                memberEnded = true;
            } else if (outLen == 0 && state.get(JAVA_INT, AVAIL_IN) == availIn) {
                // Nothing taken, nothing given: only more input can help.
                if (inputEnded) {
                    throw new EOFException("Unexpected end of gzip input");
                }
                if (availIn == IN_SIZE) {
                    throw new ZipException("inflate made no progress");
                }
                refill();
            }
        }
    }

    /** After a member's trailer: starts the next member, or reports that the data ended. */
    private boolean nextMember() throws IOException {
        // The magic bytes decide, as with GZIPInputStream: anything else after a member is ignored.
        while (state.get(JAVA_INT, AVAIL_IN) < 2 && !inputEnded) {
            refill();
        }
        MemorySegment nextIn = state.get(ADDRESS, NEXT_IN);
        int availIn = state.get(JAVA_INT, AVAIL_IN);
        MemorySegment magic = nextIn.reinterpret(2);
        if (availIn < 2 || (magic.get(JAVA_BYTE, 0) & 0xff) != 0x1f || (magic.get(JAVA_BYTE, 1) & 0xff) != 0x8b) {
            return false;
        }
        call(lib.reset, state);
        state.set(JAVA_INT, CRC_FLAG, ISAL_GZIP);
        state.set(ADDRESS, NEXT_IN, nextIn);
        state.set(JAVA_INT, AVAIL_IN, availIn);
        memberEnded = false;
        return true;
    }

    /** Moves the unread input to the buffer's start and appends what the file has next. */
    private void refill() throws IOException {
        int availIn = state.get(JAVA_INT, AVAIL_IN);
        if (availIn > 0) {
            long from = state.get(ADDRESS, NEXT_IN).address() - input.address();
            MemorySegment.copy(input, from, input, 0, availIn);
        }
        int n = in.read(chunk, 0, IN_SIZE - availIn);
        if (n < 0) {
            inputEnded = true;
        } else {
            MemorySegment.copy(chunk, 0, input, JAVA_BYTE, availIn, n);
            availIn += n;
        }
        state.set(ADDRESS, NEXT_IN, input);
        state.set(JAVA_INT, AVAIL_IN, availIn);
    }


    private static String problem(int status) {
        return switch (status) {
            case -1 -> "invalid deflate block";
            case -2 -> "invalid deflate symbol";
            case -3 -> "invalid lookback distance";
            case -4 -> "invalid gzip header";
            case -5 -> "unsupported compression method";
            case -6 -> "incorrect checksum";
            default -> "inflate error " + status;
        };
    }

    @Override
    public void close() throws IOException {
        try {
            in.close();
        } finally {
            if (arena.scope().isAlive()) {
                arena.close();
            }
        }
    }
}
