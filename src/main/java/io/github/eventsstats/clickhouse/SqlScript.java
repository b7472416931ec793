package io.github.eventsstats.clickhouse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** A SQL file from {@code clickhouse/}: its text, checksum and statements. */
public record SqlScript(String name, String text) {

    public static SqlScript load(String name) {
        String resource = "clickhouse/" + name;
        try (InputStream in = SqlScript.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema file " + resource + " is missing from the class path");
            }
            return new SqlScript(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** sha256 of the text with line endings normalised, so a checkout's CRLF does not count as a change. */
    public String checksum() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(text.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The file's version: the number after the leading V of {@code V001__name.sql}. */
    public int version() {
        if (!name.matches("V\\d+__[A-Za-z0-9_]+\\.sql")) {
            throw new IllegalStateException("schema file " + name + " is not named V<number>__<name>.sql");
        }
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }

    /** Statements split on top-level semicolons; quotes and comments are respected, comments dropped. */
    public List<String> statements() {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '-' && i + 1 < n && text.charAt(i + 1) == '-') {
                int end = text.indexOf('\n', i);
                i = end < 0 ? n : end;
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                int end = text.indexOf("*/", i + 2);
                if (end < 0) {
                    throw new IllegalStateException(name + ": unterminated /* comment");
                }
                i = end + 2;
            } else if (c == '\'' || c == '"' || c == '`') {
                int j = i + 1;
                while (j < n && text.charAt(j) != c) {
                    j += text.charAt(j) == '\\' ? 2 : 1;
                }
                if (j >= n) {
                    throw new IllegalStateException(name + ": unterminated quote " + c);
                }
                current.append(text, i, j + 1);
                i = j + 1;
            } else if (c == ';') {
                add(out, current);
                i++;
            } else {
                current.append(c);
                i++;
            }
        }
        add(out, current);
        return out;
    }

    private static void add(List<String> out, StringBuilder current) {
        String s = current.toString().strip();
        if (!s.isEmpty()) {
            out.add(s);
        }
        current.setLength(0);
    }
}
