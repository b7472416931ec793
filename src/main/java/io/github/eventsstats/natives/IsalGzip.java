package io.github.eventsstats.natives;

import org.jboss.logging.Logger;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Gzip inflation with Intel's ISA-L ({@code libisal.so.2}, Debian package {@code libisal2}) through
 * the Foreign Function &amp; Memory API: about three times zlib's speed, which on two cores is the
 * largest single cost of a backfill. Without the library, {@link #open} falls back to
 * {@link GZIPInputStream}; both read concatenated members, report a truncated stream with an
 * {@link EOFException} and a corrupt one with a {@link ZipException}, and end the data quietly at
 * trailing bytes that are not a gzip member.
 */
public final class IsalGzip extends InputStream {

    private static final Logger LOG = Logger.getLogger(IsalGzip.class);
    private static final String LIBRARY = "libisal.so.2";

    // struct inflate_state of igzip_lib.h: the same in ISA-L 2.30 to 2.32 on 64-bit; IsalGzipTest checks it.
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

    private static final int IN_SIZE = 1 << 18;
    private static final int OUT_SIZE = 1 << 18;

    static final Native NATIVE = Native.load();

    /** The library's entry points, or none when it is missing or unusable here. */
    record Native(MethodHandle init, MethodHandle reset, MethodHandle inflate) {
        static Native load() {
            try {
                SymbolLookup lib = SymbolLookup.libraryLookup(LIBRARY, Arena.global());
                Linker linker = Linker.nativeLinker();
                Native n = new Native(
                        linker.downcallHandle(lib.findOrThrow("isal_inflate_init"), FunctionDescriptor.ofVoid(ADDRESS)),
                        linker.downcallHandle(lib.findOrThrow("isal_inflate_reset"), FunctionDescriptor.ofVoid(ADDRESS)),
                        linker.downcallHandle(lib.findOrThrow("isal_inflate"), FunctionDescriptor.of(JAVA_INT, ADDRESS)));
                LOG.debugf("gzip: ISA-L (%s)", LIBRARY);
                return n;
            } catch (IllegalArgumentException e) {
                LOG.infof("gzip: java.util.zip (%s not found; install the libisal2 package to inflate faster)", LIBRARY);
                return null;
            } catch (RuntimeException | LinkageError e) {
                // Native access refused, or a library without these symbols: zlib still works.
                LOG.infof("gzip: java.util.zip (%s unusable: %s)", LIBRARY, e);
                return null;
            }
        }
    }

    /**
     * A gzip stream over {@code compressed}: ISA-L when {@code preferIsal} and the library is there,
     * else java.util.zip.
     */
    public static InputStream open(InputStream compressed, boolean preferIsal) throws IOException {
        return preferIsal && NATIVE != null ? new IsalGzip(compressed) : new GZIPInputStream(compressed, 1 << 16);
    }

    static boolean loaded() {
        return NATIVE != null;
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

    IsalGzip(InputStream compressed) {
        this.in = compressed;
        this.lib = Objects.requireNonNull(NATIVE, "ISA-L is not available");
        state = arena.allocate(STATE_SIZE, 64);
        input = arena.allocate(IN_SIZE, 64);
        output = arena.allocate(OUT_SIZE, 64);
        call(lib.init);
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
            int status;
            try {
                status = (int) lib.inflate.invokeExact(state);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
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
        call(lib.reset);
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

    private void call(MethodHandle h) {
        try {
            h.invokeExact(state);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
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
