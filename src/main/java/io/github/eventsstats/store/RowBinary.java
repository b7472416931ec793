package io.github.eventsstats.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Encoders for ClickHouse's RowBinary format: little-endian numbers, LEB128-prefixed strings. */
final class RowBinary {

    private RowBinary() {
    }

    static void uint8(OutputStream out, int v) throws IOException {
        out.write(v);
    }

    static void uint32(OutputStream out, long v) throws IOException {
        out.write((int) v);
        out.write((int) (v >>> 8));
        out.write((int) (v >>> 16));
        out.write((int) (v >>> 24));
    }

    static void uint64(OutputStream out, long v) throws IOException {
        for (int i = 0; i < 8; i++) {
            out.write((int) (v >>> (8 * i)));
        }
    }

    static void string(OutputStream out, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        long len = bytes.length;
        while ((len & ~0x7FL) != 0) {
            out.write((int) ((len & 0x7F) | 0x80));
            len >>>= 7;
        }
        out.write((int) len);
        out.write(bytes);
    }
}
