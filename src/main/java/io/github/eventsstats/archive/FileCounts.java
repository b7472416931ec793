package io.github.eventsstats.archive;

import io.github.eventsstats.platform.Printable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What loading one file did. Events are counted by the parsing thread; stored and duplicate by
 * the writing thread, hence the atomics there.
 */
final class FileCounts {

    /** Problems kept verbatim per file; the rest are only counted. */
    static final int REPORTED_PROBLEMS = 5;

    private long read;
    private long kept;
    private long bad;
    private long unreadable;
    private String firstUnreadable;
    private String brokenBecause;
    private final Map<String, Long> readByType = new TreeMap<>();
    private final List<String> problems = new ArrayList<>();
    final AtomicLong stored = new AtomicLong();
    final AtomicLong duplicate = new AtomicLong();

    void event(String type, boolean isKept) {
        read++;
        if (isKept) {
            kept++;
        }
        readByType.merge(type, 1L, Long::sum);
    }

    /** {@code n} events of a type not kept, counted without being parsed. */
    void unkept(String type, long n) {
        read += n;
        readByType.merge(type, n, Long::sum);
    }

    void bad(String file, long line, String reason) {
        bad++;
        problem(Printable.of(file) + ":" + line + ": " + reason);
    }

    /**
     * A bad line that could not be read as an event at all (longer than the cap, not UTF-8, not
     * JSON), unlike an event read and set aside for its values: the sync fails the hour of such a
     * line. The first one is kept as "line N: reason".
     */
    void unreadable(String file, long line, String reason) {
        bad(file, line, reason);
        if (unreadable++ == 0) {
            firstUnreadable = "line " + line + ": " + reason;
        }
    }

    /**
     * The input broke off (truncated or corrupt gzip) {@code because}; what came before it still
     * counts. {@code message} says where.
     */
    void broken(String because, String message) {
        brokenBecause = because;
        problem(message);
    }

    private void problem(String message) {
        if (problems.size() < REPORTED_PROBLEMS) {
            problems.add(message);
        }
    }

    long read() {
        return read;
    }

    long kept() {
        return kept;
    }

    long bad() {
        return bad;
    }

    long unreadable() {
        return unreadable;
    }

    /** "line N: reason" of the first unreadable line, or null without one. */
    String firstUnreadable() {
        return firstUnreadable;
    }

    boolean broken() {
        return brokenBecause != null;
    }

    /** Why the input broke off, or null when it did not. */
    String brokenBecause() {
        return brokenBecause;
    }

    /** Anything of the file skipped: bad lines or a broken-off gzip stream. */
    boolean partial() {
        return bad > 0 || broken();
    }

    Map<String, Long> readByType() {
        return Collections.unmodifiableMap(readByType);
    }

    List<String> problems() {
        return Collections.unmodifiableList(problems);
    }
}
