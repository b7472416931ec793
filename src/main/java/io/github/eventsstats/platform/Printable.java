package io.github.eventsstats.platform;

/**
 * Text copied from input (an event's fields, a server's answer, a file name) made safe to print in
 * a log line or a summary: control, format and separator characters (CR, LF, ESC, NUL, U+202E,
 * U+2028...) become {@code \\uXXXX}, so input can neither forge a line nor move a terminal's cursor,
 * and the text is cut at a bound. No library escapes exactly these and leaves the rest of Unicode
 * readable (commons-text's Java escaping turns every non-ASCII letter into an escape).
 */
public final class Printable {

    /** Characters of input shown at most in one message. */
    public static final int MAX = 200;

    private Printable() {
    }

    /** {@code text} escaped and cut at {@link #MAX} characters; "null" for null. */
    public static String of(String text) {
        return of(text, MAX);
    }

    public static String of(String text, int max) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 16);
        int end = text.offsetByCodePoints(0, Math.min(max, text.codePointCount(0, text.length())));
        for (int i = 0; i < end; ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (c == '\\') {
                out.append("\\\\");
            } else if (unprintable(c)) {
                out.append(String.format("\\u%04X", c));
            } else {
                out.appendCodePoint(c);
            }
        }
        if (end < text.length()) {
            out.append("...(").append(text.length() - end).append(" more chars)");
        }
        return out.toString();
    }

    private static boolean unprintable(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED -> true;
            default -> false;
        };
    }
}
