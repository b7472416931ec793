package io.github.eventsstats.event;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * A forward-only JSON reader over UTF-8 bytes, made for events: the mapper reads the few fields a
 * row needs, and everything else is skipped with its syntax checked but nothing decoded, no field
 * name looked up and no number converted. Most of an event's bytes are such skipped values (a pull
 * request event carries the whole pull request), so this costs much less than a general streaming
 * parser, which tokenizes all of them.
 *
 * <p>Usage follows the document: {@link #beginObject} then {@link #nextField} until it returns
 * {@link #END}, and {@link #beginArray} then {@link #nextElement} until false; a value is read with
 * {@link #readString}, {@link #readLong} or {@link #skipValue}. Any syntax error throws
 * {@link MalformedJsonException} with the column. Decoded strings must be UTF-8; skipped ones are
 * not checked (the backfill's line pass checks every byte first, and GitHub's API sends UTF-8).
 */
public final class JsonCursor {

    /** The bytes are not the JSON the caller expected; the message names what and where. */
    public static final class MalformedJsonException extends IOException {
        MalformedJsonException(String message) {
            super(message);
        }
    }

    /** {@link #nextField}: the object ended. */
    public static final int END = -2;
    /** {@link #nextField}: a field whose name is not among those asked for. */
    public static final int OTHER = -1;

    private static final byte[][] NO_NAMES = {};
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH = 0x8080808080808080L;
    private static final long QUOTES = ONES * '"';
    private static final long BACKSLASHES = ONES * '\\';
    private static final long SPACES = ONES * ' ';
    private static final int MAX_DEPTH = 256;

    private final byte[] b;
    private final int start;
    private final int end;
    private int pos;
    /** The next member of the object or array just begun is its first (no comma before it). */
    private boolean first;
    private int nameStart;
    private int nameEnd;
    private boolean nameEscaped;
    /** {@link #skipValue}'s stack: bit d set when the container open at depth d is an object. */
    private final long[] open = new long[MAX_DEPTH / 64];

    public JsonCursor(byte[] bytes, int offset, int length) {
        this.b = bytes;
        this.start = offset;
        this.end = offset + length;
        this.pos = offset;
    }

    /**
     * {@code json[from, to)}, a value this cursor has read, on one line: the whitespace between
     * tokens dropped when the value spans lines (a pretty-printed page), every other byte as sent.
     */
    public static byte[] oneLine(byte[] json, int from, int to) {
        boolean multiLine = false;
        for (int i = from; i < to && !multiLine; i++) {
            multiLine = json[i] == '\n' || json[i] == '\r';
        }
        if (!multiLine) {
            return java.util.Arrays.copyOfRange(json, from, to);
        }
        byte[] out = new byte[to - from];
        int n = 0;
        boolean inString = false;
        for (int i = from; i < to; i++) {
            byte c = json[i];
            if (inString) {
                out[n++] = c;
                if (c == '\\') {
                    out[n++] = json[++i]; // the escaped byte, a quote included
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                out[n++] = c;
                inString = c == '"';
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** The offset of the next unread byte in the array. */
    public int position() {
        return pos;
    }

    /** The next byte after whitespace (not consumed), or -1 at the end. */
    public int peek() {
        while (pos < end) {
            byte c = b[pos];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return c & 0xff;
            }
            pos++;
        }
        return -1;
    }

    /** True when only whitespace is left. */
    public boolean atEnd() {
        return peek() < 0;
    }

    public void beginObject() throws MalformedJsonException {
        expect('{', "an object");
        first = true;
    }

    public void beginArray() throws MalformedJsonException {
        expect('[', "an array");
        first = true;
    }

    /**
     * Moves to the next member of the object being read: its name's index in {@code names} (or
     * {@link #OTHER}) with the colon consumed, so the value is next; {@link #END} when the object
     * ended (its brace consumed). One comparison loop for every name keeps the mapper's compiled
     * code small, which matters as much as its speed for a load that lasts a second.
     */
    public int nextField(byte[][] names) throws MalformedJsonException {
        if (!more('}')) {
            return END;
        }
        name();
        return nameEscaped ? matchDecoded(names) : match(names);
    }

    /** Like {@link #nextField} for an array: true when an element is next, false after the ']'. */
    public boolean nextElement() throws MalformedJsonException {
        boolean afterComma = !first;
        if (!more(']')) {
            return false;
        }
        if (afterComma && peek() < 0) {
            throw error("unexpected end of input");
        }
        return true;
    }

    /**
     * In the object or array being read: false when {@code close} ends it (consumed), true when a
     * member follows (the comma before it, if any, consumed).
     */
    private boolean more(char close) throws MalformedJsonException {
        int c = peek();
        if (c == close) {
            pos++;
            first = false;
            return false;
        }
        if (!first) {
            if (c != ',') {
                throw error("expected ',' or '" + close + "'");
            }
            pos++;
        }
        first = false;
        return true;
    }

    /** Reads {@code "name" :}, noting where the name is. */
    private void name() throws MalformedJsonException {
        if (peek() != '"') {
            throw error("expected a field name");
        }
        nameStart = pos + 1;
        nameEscaped = false;
        pos = stringEnd(pos + 1);
        nameEnd = pos - 1;
        if (peek() != ':') {
            throw error("expected ':'");
        }
        pos++;
    }

    private int match(byte[][] names) {
        int len = nameEnd - nameStart;
        next:
        for (int k = 0; k < names.length; k++) {
            byte[] n = names[k];
            if (n.length != len) {
                continue;
            }
            for (int i = 0; i < len; i++) {
                if (b[nameStart + i] != n[i]) {
                    continue next;
                }
            }
            return k;
        }
        return OTHER;
    }

    private int matchDecoded(byte[][] names) throws MalformedJsonException {
        String name = decode(nameStart, nameEnd);
        for (int k = 0; k < names.length; k++) {
            if (name.equals(new String(names[k], StandardCharsets.US_ASCII))) {
                return k;
            }
        }
        return OTHER;
    }

    /** The string value next, decoded; throws when the value is not a string. */
    public String readString() throws MalformedJsonException {
        if (peek() != '"') {
            throw error("expected a string");
        }
        int from = pos + 1;
        pos = stringEnd(from);
        return decode(from, pos - 1);
    }

    /**
     * The integer next, from a JSON number or a string of digits (GitHub ids come as both), or -1
     * when the value is anything else (skipped) or out of range.
     */
    public long readLong() throws MalformedJsonException {
        int c = peek();
        if (c == '"') {
            String s = readString();
            try {
                long v = Long.parseLong(s);
                return v < 0 ? -1 : v;
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        if (c != '-' && (c < '0' || c > '9')) {
            skipValue();
            return -1;
        }
        int from = pos;
        skipNumber();
        long v = 0;
        for (int i = from; i < pos; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9 || v > (Long.MAX_VALUE - d) / 10) {
                return -1; // negative, fractional, exponent or too large: not an id
            }
            v = v * 10 + d;
        }
        return v;
    }

    /** True when the value next is the literal {@code true}; any other value is skipped, false. */
    public boolean readTrue() throws MalformedJsonException {
        if (peek() == 't') {
            literal("true");
            return true;
        }
        skipValue();
        return false;
    }

    /**
     * Skips the value next, whatever it is, checking its syntax. One loop with a stack of bits
     * (set: the open container is an object) rather than recursion: at most {@value #MAX_DEPTH}
     * levels, and little code for the compiler.
     */
    public void skipValue() throws MalformedJsonException {
        int depth = 0;
        while (true) {
            int c = peek();
            switch (c) {
                case '"' -> pos = stringEnd(pos + 1);
                case '{', '[' -> {
                    if (depth == MAX_DEPTH) {
                        throw error("nested too deeply (more than " + MAX_DEPTH + " levels)");
                    }
                    boolean object = c == '{';
                    long bit = 1L << (depth & 63);
                    open[depth >> 6] = object ? open[depth >> 6] | bit : open[depth >> 6] & ~bit;
                    depth++;
                    pos++;
                    if (peek() == (object ? '}' : ']')) {
                        pos++;
                        depth--;
                    } else {
                        if (object) {
                            name();
                        }
                        continue; // the first member's value
                    }
                }
                case 't' -> literal("true");
                case 'f' -> literal("false");
                case 'n' -> literal("null");
                case -1 -> throw error("unexpected end of input");
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        skipNumber();
                    } else {
                        throw error("unexpected character '" + printable(c) + "'");
                    }
                }
            }
            // A value ended: close what ends here, then go on to the next member, if any.
            while (true) {
                if (depth == 0) {
                    return;
                }
                boolean object = (open[(depth - 1) >> 6] & (1L << ((depth - 1) & 63))) != 0;
                int d = peek();
                if (d == ',') {
                    pos++;
                    if (object) {
                        name();
                    }
                    break;
                }
                if (d != (object ? '}' : ']')) {
                    throw error(object ? "expected ',' or '}'" : "expected ',' or ']'");
                }
                pos++;
                depth--;
            }
        }
    }

    /** Skips the rest of the object being read, after its fields so far. */
    public void skipRest() throws MalformedJsonException {
        while (nextField(NO_NAMES) != END) {
            skipValue();
        }
    }

    /**
     * The offset just past the closing quote of the string whose content starts at {@code from};
     * notes escapes in {@link #nameEscaped} (only names care).
     */
    private int stringEnd(int from) throws MalformedJsonException {
        int i = from;
        while (true) {
            // Eight bytes at a time while none is a quote, a backslash or a control character.
            while (i + 8 <= end) {
                long w = (long) LONGS.get(b, i);
                long q = w ^ QUOTES;
                long s = w ^ BACKSLASHES;
                if (((((q - ONES) & ~q) | ((s - ONES) & ~s) | ((w - SPACES) & ~w)) & HIGH) != 0) {
                    break;
                }
                i += 8;
            }
            if (i >= end) {
                break;
            }
            byte c = b[i];
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\') {
                nameEscaped = true;
                i = escapeEnd(i);
            } else if (c >= 0 && c < 0x20) {
                pos = i;
                throw error("control character in a string");
            } else {
                i++;
            }
        }
        pos = end;
        throw error("unterminated string");
    }

    /** The offset after the escape sequence at {@code i} (a backslash). */
    private int escapeEnd(int i) throws MalformedJsonException {
        if (i + 1 >= end) {
            pos = end;
            throw error("unterminated string");
        }
        byte e = b[i + 1];
        if (e == 'u') {
            if (i + 6 > end || !hex(i + 2) || !hex(i + 3) || !hex(i + 4) || !hex(i + 5)) {
                pos = i;
                throw error("bad \\u escape");
            }
            return i + 6;
        }
        if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't') {
            return i + 2;
        }
        pos = i;
        throw error("bad escape");
    }

    /** The string content [from, to) (quotes excluded), escapes resolved, UTF-8 checked. */
    private String decode(int from, int to) throws MalformedJsonException {
        boolean plain = true;
        for (int i = from; i < to; i++) {
            if (b[i] < 0 || b[i] == '\\') {
                plain = false;
                break;
            }
        }
        if (plain) {
            return new String(b, from, to - from, StandardCharsets.ISO_8859_1); // ASCII: one byte per char
        }
        StringBuilder s = new StringBuilder(to - from);
        int i = from;
        while (i < to) {
            int run = i;
            while (i < to && b[i] != '\\') {
                i++;
            }
            if (i > run) {
                s.append(utf8(run, i));
            }
            if (i >= to) {
                break;
            }
            byte e = b[i + 1];
            switch (e) {
                case 'u' -> {
                    s.append((char) Integer.parseInt(new String(b, i + 2, 4, StandardCharsets.ISO_8859_1), 16));
                    i += 6;
                    continue;
                }
                case 'b' -> s.append('\b');
                case 'f' -> s.append('\f');
                case 'n' -> s.append('\n');
                case 'r' -> s.append('\r');
                case 't' -> s.append('\t');
                default -> s.append((char) e); // " \ /
            }
            i += 2;
        }
        return s.toString();
    }

    private String utf8(int from, int to) throws MalformedJsonException {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            pos = from;
            throw error("non-UTF-8 bytes in a string");
        }
    }

    private void skipNumber() throws MalformedJsonException {
        int i = pos;
        if (i < end && b[i] == '-') {
            i++;
        }
        int digits = i;
        while (i < end && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        if (i == digits || (b[digits] == '0' && i - digits > 1)) {
            pos = digits;
            throw error("bad number");
        }
        if (i < end && b[i] == '.') {
            int f = ++i;
            while (i < end && b[i] >= '0' && b[i] <= '9') {
                i++;
            }
            if (i == f) {
                pos = i;
                throw error("bad number");
            }
        }
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            if (i < end && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            int x = i;
            while (i < end && b[i] >= '0' && b[i] <= '9') {
                i++;
            }
            if (i == x) {
                pos = i;
                throw error("bad number");
            }
        }
        pos = i;
    }

    private void literal(String word) throws MalformedJsonException {
        for (int k = 0; k < word.length(); k++) {
            if (pos + k >= end || b[pos + k] != word.charAt(k)) {
                throw error("unexpected character '" + printable(b[pos] & 0xff) + "'");
            }
        }
        pos += word.length();
    }

    private void expect(char c, String what) throws MalformedJsonException {
        if (peek() != c) {
            throw error("expected " + what);
        }
        pos++;
    }

    private boolean hex(int i) {
        byte c = b[i];
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static String printable(int c) {
        return c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c);
    }

    private MalformedJsonException error(String what) {
        if (pos >= end) {
            return new MalformedJsonException(what.startsWith("unexpected end") ? what
                    : what + ", found the end of input (column " + (end - start + 1) + ")");
        }
        return new MalformedJsonException(what + " at column " + (pos - start + 1));
    }
}
