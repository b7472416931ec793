package io.github.eventsstats.clickhouse;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * An encoder for ClickHouse's RowBinary format (little-endian numbers, LEB128-prefixed strings)
 * into a buffer of its own: a stream call per byte (BufferedOutputStream takes a lock on each)
 * cost more than the whole encoding.
 */
public final class RowBinary {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final OutputStream out;
    private final byte[] buf = new byte[1 << 16];
    private int pos;

    public RowBinary(OutputStream out) {
        this.out = out;
    }

    public void uint8(int v) throws IOException {
        room(1);
        buf[pos++] = (byte) v;
    }

    public void uint32(long v) throws IOException {
        room(4);
        INTS.set(buf, pos, (int) v);
        pos += 4;
    }

    public void uint64(long v) throws IOException {
        room(8);
        LONGS.set(buf, pos, v);
        pos += 8;
    }

    public void string(String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        room(5);
        long len = bytes.length;
        while ((len & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((len & 0x7F) | 0x80);
            len >>>= 7;
        }
        buf[pos++] = (byte) len;
        if (bytes.length > buf.length - pos) {
            drain();
            out.write(bytes);
        } else {
            System.arraycopy(bytes, 0, buf, pos, bytes.length);
            pos += bytes.length;
        }
    }

    /** Hands what is buffered to the stream, and flushes it. */
    public void flush() throws IOException {
        drain();
        out.flush();
    }

    private void room(int n) throws IOException {
        if (buf.length - pos < n) {
            drain();
        }
    }

    private void drain() throws IOException {
        out.write(buf, 0, pos);
        pos = 0;
    }
}
