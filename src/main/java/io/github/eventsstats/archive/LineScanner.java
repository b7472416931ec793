package io.github.eventsstats.archive;

import io.github.eventsstats.event.TypeSelection;
import io.github.eventsstats.natives.SimdLines;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The byte-level pass over each line, before any JSON parsing: it finds the line's end, checks
 * that the line is UTF-8, and reads the event type from GH Archive's fixed line start
 * ({@code {"id":"…","type":"…"}), so that the ~80% of events the service does not keep are
 * counted without being parsed. {@link SimdLines} does the byte loops where simdjson is installed;
 * else eight bytes are examined at a time while they are plain ASCII.
 */
final class LineScanner {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH = 0x8080808080808080L;
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final byte[] ID_PREFIX = "{\"id\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TYPE_KEY = ",\"type\":\"".getBytes(StandardCharsets.US_ASCII);

    private final SimdLines simd;
    private final byte[][] keptNames;
    /** Every type is kept ({@code *}): every line is parsed. */
    private final boolean keepsAll;
    /** Type names seen, so that counting an unkept event allocates nothing after the first few. */
    private final Map<Integer, String> names = new HashMap<>();
    /** Offset of the first byte of the last scanned line that is not UTF-8, or -1. */
    int invalid;
    /** The current block is valid UTF-8 and NUL-terminated: line ends come from {@link #simd}. */
    private boolean simdBlock;

    /** {@code simd} null makes the pass in Java (where simdjson is missing, and in tests). */
    LineScanner(TypeSelection kept, SimdLines simd) {
        this.simd = simd;
        keepsAll = kept.all();
        keptNames = kept.names().stream().map(t -> t.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
    }

    /**
     * Starts the pass over a block {@code b[0, end)}: with simdjson, the whole block's UTF-8 is
     * checked at once, and only a block that fails is checked line by line in Java to find where.
     */
    void startBlock(byte[] b, int end) {
        simdBlock = simd != null && end < b.length && b[end] == 0 && simd.validUtf8(b, end);
    }

    /** The index of the first '\n' at or after {@code from}, or {@code end}; sets {@link #invalid}. */
    int lineEnd(byte[] b, int from, int end) {
        invalid = -1;
        if (simdBlock) {
            return simd.lineEnd(b, from, end);
        }
        int i = from;
        while (true) {
            while (i + 8 <= end) {
                long w = (long) LONGS.get(b, i);
                long x = w ^ NEWLINES;
                // Stop at a word with a non-ASCII byte or a newline (a zero byte in x).
                if (((w | ((x - ONES) & ~x)) & HIGH) != 0) {
                    break;
                }
                i += 8;
            }
            if (i >= end) {
                return end;
            }
            int c = b[i] & 0xff;
            if (c == '\n') {
                return i;
            }
            if (c < 0x80) {
                i++;
                continue;
            }
            int n = sequence(b, i, end, c);
            if (n == 0) {
                if (invalid < 0) {
                    invalid = i;
                }
                i++;
            } else {
                i += n;
            }
        }
    }

    /** The length of the valid UTF-8 sequence at {@code i} (lead byte {@code c}), or 0. */
    private static int sequence(byte[] b, int i, int end, int c) {
        int n;
        int min;
        int max = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 2;
            min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            min = c == 0xE0 ? 0xA0 : 0x80; // no overlong forms
            max = c == 0xED ? 0x9F : 0xBF; // no surrogates
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            min = c == 0xF0 ? 0x90 : 0x80;
            max = c == 0xF4 ? 0x8F : 0xBF;
        } else {
            return 0;
        }
        if (i + n > end) {
            return 0;
        }
        int second = b[i + 1] & 0xff;
        if (second < min || second > max) {
            return 0;
        }
        for (int k = 2; k < n; k++) {
            if ((b[i + k] & 0xC0) != 0x80) {
                return 0;
            }
        }
        return n;
    }

    /**
     * The type of the event on line [from, to) when the line starts as GH Archive's do and the
     * type is not kept; null when the line must be parsed (a kept type, or another layout).
     */
    String unkeptType(byte[] b, int from, int to) {
        if (keepsAll) {
            return null;
        }
        int i = from;
        if (!startsWith(b, i, to, ID_PREFIX)) {
            return null;
        }
        i += ID_PREFIX.length;
        boolean quoted = i < to && b[i] == '"';
        if (quoted) {
            i++;
        }
        int digits = i;
        while (i < to && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        if (i == digits || (quoted && (i >= to || b[i++] != '"'))) {
            return null;
        }
        if (!startsWith(b, i, to, TYPE_KEY)) {
            return null;
        }
        i += TYPE_KEY.length;
        int start = i;
        int hash = 0;
        while (i < to && b[i] != '"' && b[i] != '\\') {
            hash = 31 * hash + b[i];
            i++;
        }
        if (i >= to || b[i] != '"') {
            return null;
        }
        for (byte[] kept : keptNames) {
            if (kept.length == i - start && startsWith(b, start, i, kept)) {
                return null;
            }
        }
        int len = i - start;
        String name = names.get(hash);
        if (name == null || !sameChars(name, b, start, len)) {
            name = new String(b, start, len, StandardCharsets.UTF_8);
            if (names.size() < 256) {
                names.put(hash, name);
            }
        }
        return name;
    }

    private static boolean sameChars(String s, byte[] b, int at, int len) {
        if (s.length() != len) {
            return false;
        }
        for (int k = 0; k < len; k++) {
            if (s.charAt(k) != b[at + k]) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] b, int at, int to, byte[] prefix) {
        if (to - at < prefix.length) {
            return false;
        }
        for (int k = 0; k < prefix.length; k++) {
            if (b[at + k] != prefix[k]) {
                return false;
            }
        }
        return true;
    }
}
