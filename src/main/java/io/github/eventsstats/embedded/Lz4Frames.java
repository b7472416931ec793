package io.github.eventsstats.embedded;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * ClickHouse's compressed transport ({@code compress=1} answers, {@code decompress=1} request
 * bodies): a sequence of blocks, each a 16-byte CityHash128 of the rest of the block, the method
 * byte 0x82 (LZ4), the compressed size with the 9-byte header, the uncompressed size (both int32
 * little-endian) and one LZ4 block (or, read only, the bytes as they are: method 0x02). Written here, and not taken from lz4-java as the client does,
 * because the engine's process has only the JDK on its class path.
 */
final class Lz4Frames {

    static final byte METHOD_LZ4 = (byte) 0x82;
    static final byte METHOD_NONE = 0x02;
    /** ClickHouse's max_compress_block_size. */
    static final int BLOCK_SIZE = 1 << 20;
    private static final int CHECKSUM = 16;
    private static final int HEADER = 9;
    private static final int MIN_MATCH = 4;
    private static final int LAST_LITERALS = 5;
    private static final int MF_LIMIT = 12;
    private static final int HASH_LOG = 14;
    private static final int MAX_OFFSET = 65_535;
    /** Larger sizes in a block's header mean a corrupt stream, not a block to allocate for. */
    private static final int MAX_BLOCK = 1 << 28;

    private Lz4Frames() {
    }

    /** Blocks of at most {@link #BLOCK_SIZE} bytes; one reused buffer for each direction. */
    static final class Writer {
        private final OutputStream out;
        private final int[] table = new int[1 << HASH_LOG];
        private byte[] frame = new byte[0];

        Writer(OutputStream out) {
            this.out = out;
        }

        void write(byte[] data, int off, int len) throws IOException {
            for (int done = 0; done < len; done += BLOCK_SIZE) {
                writeBlock(data, off + done, Math.min(BLOCK_SIZE, len - done));
            }
        }

        private void writeBlock(byte[] data, int off, int len) throws IOException {
            int max = CHECKSUM + HEADER + maxCompressedLength(len);
            if (frame.length < max) {
                frame = new byte[max];
            }
            int compressed = compress(data, off, len, frame, CHECKSUM + HEADER, table);
            frame[CHECKSUM] = METHOD_LZ4;
            putInt(frame, CHECKSUM + 1, compressed + HEADER);
            putInt(frame, CHECKSUM + 5, len);
            long[] hash = CityHash128.hash(frame, CHECKSUM, compressed + HEADER);
            putLong(frame, 0, hash[0]);
            putLong(frame, 8, hash[1]);
            out.write(frame, 0, CHECKSUM + HEADER + compressed);
        }
    }

    /** All the blocks of {@code in}, decompressed and checked. */
    static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] header = new byte[CHECKSUM + HEADER];
        byte[] block = new byte[0];
        byte[] plain = new byte[0];
        while (readFully(in, header, 0, header.length, true)) {
            byte method = header[CHECKSUM];
            if (method != METHOD_LZ4 && method != METHOD_NONE) {
                throw new IOException(String.format("unsupported compression method 0x%02x (LZ4, 0x82, and none,"
                        + " 0x02, are read)", method & 0xff));
            }
            int withHeader = getInt(header, CHECKSUM + 1);
            int size = getInt(header, CHECKSUM + 5);
            if (withHeader <= HEADER || withHeader > MAX_BLOCK || size < 0 || size > MAX_BLOCK) {
                throw new IOException("implausible block sizes " + withHeader + "/" + size);
            }
            if (block.length < withHeader) {
                block = new byte[withHeader];
            }
            System.arraycopy(header, CHECKSUM, block, 0, HEADER);
            readFully(in, block, HEADER, withHeader - HEADER, false);
            long[] hash = CityHash128.hash(block, 0, withHeader);
            if (hash[0] != getLong(header, 0) || hash[1] != getLong(header, 8)) {
                throw new IOException("checksum mismatch in a compressed block");
            }
            if (method == METHOD_NONE) {
                if (size != withHeader - HEADER) {
                    throw new IOException("an uncompressed block of " + (withHeader - HEADER) + " bytes says " + size);
                }
                out.write(block, HEADER, size);
                continue;
            }
            if (plain.length < size) {
                plain = new byte[size];
            }
            decompress(block, HEADER, withHeader - HEADER, plain, size);
            out.write(plain, 0, size);
        }
        return out.toByteArray();
    }

    static int maxCompressedLength(int len) {
        return len + len / 255 + 16;
    }

    /** One LZ4 block of {@code src[off, off + len)} into {@code dst} at {@code dstOff}; returns its length. */
    static int compress(byte[] src, int off, int len, byte[] dst, int dstOff, int[] table) {
        java.util.Arrays.fill(table, -1);
        int end = off + len;
        int matchLimit = end - LAST_LITERALS;
        int mfLimit = end - MF_LIMIT;
        int anchor = off;
        int ip = off;
        int op = dstOff;
        while (ip < mfLimit) {
            int sequence = getInt(src, ip);
            int h = (sequence * -1640531535) >>> (32 - HASH_LOG);
            int ref = table[h];
            table[h] = ip;
            if (ref < 0 || ip - ref > MAX_OFFSET || getInt(src, ref) != sequence) {
                ip += 1 + ((ip - anchor) >>> 6); // skip faster through bytes that do not repeat
                continue;
            }
            while (ip > anchor && ref > off && src[ip - 1] == src[ref - 1]) {
                ip--;
                ref--;
            }
            int matchLen = MIN_MATCH;
            while (ip + matchLen < matchLimit && src[ip + matchLen] == src[ref + matchLen]) {
                matchLen++;
            }
            op = literals(src, anchor, ip - anchor, dst, op, matchLen - MIN_MATCH);
            dst[op++] = (byte) (ip - ref);
            dst[op++] = (byte) ((ip - ref) >>> 8);
            if (matchLen - MIN_MATCH >= 15) {
                op = length(dst, op, matchLen - MIN_MATCH - 15);
            }
            ip += matchLen;
            anchor = ip;
        }
        op = literals(src, anchor, end - anchor, dst, op, 0);
        return op - dstOff;
    }

    /** A token with the literal run and the match length's low nibble, then the literals. */
    private static int literals(byte[] src, int from, int count, byte[] dst, int op, int matchCode) {
        dst[op++] = (byte) ((Math.min(count, 15) << 4) | Math.min(matchCode, 15));
        if (count >= 15) {
            op = length(dst, op, count - 15);
        }
        System.arraycopy(src, from, dst, op, count);
        return op + count;
    }

    private static int length(byte[] dst, int op, int rest) {
        while (rest >= 255) {
            dst[op++] = (byte) 255;
            rest -= 255;
        }
        dst[op++] = (byte) rest;
        return op;
    }

    /** Decompresses one LZ4 block into exactly {@code size} bytes of {@code dst}, checking every bound. */
    static void decompress(byte[] src, int off, int len, byte[] dst, int size) throws IOException {
        int ip = off;
        int end = off + len;
        int op = 0;
        try {
            while (true) {
                int token = src[ip++] & 0xff;
                int literals = token >>> 4;
                if (literals == 15) {
                    int b;
                    do {
                        b = src[ip++] & 0xff;
                        literals += b;
                    } while (b == 255);
                }
                if (literals > end - ip || literals > size - op) {
                    throw new IOException("corrupt LZ4 block: literals past its end");
                }
                System.arraycopy(src, ip, dst, op, literals);
                ip += literals;
                op += literals;
                if (ip == end) {
                    break;
                }
                int offset = (src[ip] & 0xff) | (src[ip + 1] & 0xff) << 8;
                ip += 2;
                int matchLen = token & 15;
                if (matchLen == 15) {
                    int b;
                    do {
                        b = src[ip++] & 0xff;
                        matchLen += b;
                    } while (b == 255);
                }
                matchLen += MIN_MATCH;
                if (offset == 0 || offset > op || matchLen > size - op) {
                    throw new IOException("corrupt LZ4 block: a match outside the data");
                }
                int ref = op - offset;
                if (offset >= matchLen) {
                    System.arraycopy(dst, ref, dst, op, matchLen);
                    op += matchLen;
                } else {
                    for (int i = 0; i < matchLen; i++) {
                        dst[op++] = dst[ref++];
                    }
                }
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new IOException("corrupt LZ4 block: it ends early", e);
        }
        if (op != size) {
            throw new IOException("corrupt LZ4 block: " + op + " bytes instead of " + size);
        }
    }

    private static boolean readFully(InputStream in, byte[] b, int off, int len, boolean eofAllowed) throws IOException {
        int n = 0;
        while (n < len) {
            int r = in.read(b, off + n, len - n);
            if (r < 0) {
                if (n == 0 && eofAllowed) {
                    return false;
                }
                throw new EOFException("a compressed block ends early");
            }
            n += r;
        }
        return true;
    }

    private static int getInt(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (b[i + 3] & 0xff) << 24;
    }

    private static long getLong(byte[] b, int i) {
        return (getInt(b, i) & 0xffffffffL) | (long) getInt(b, i + 4) << 32;
    }

    private static void putInt(byte[] b, int i, int v) {
        b[i] = (byte) v;
        b[i + 1] = (byte) (v >>> 8);
        b[i + 2] = (byte) (v >>> 16);
        b[i + 3] = (byte) (v >>> 24);
    }

    private static void putLong(byte[] b, int i, long v) {
        putInt(b, i, (int) v);
        putInt(b, i + 4, (int) (v >>> 32));
    }
}
