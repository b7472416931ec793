package io.github.eventsstats.event;


import io.github.eventsstats.platform.Printable;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.OffsetDateTime;

/**
 * Maps one GitHub event object (the Events API and GH Archive share the shape) to an
 * {@code events} row, reading its bytes with a {@link JsonCursor}. The poller and the backfill
 * both map events here.
 *
 * <p>Only the fields the row needs are materialised. An event of a type that is not kept is
 * skipped as soon as its {@code type} is read (it comes second in both sources), so most of
 * GitHub's traffic costs only a syntax-checking skip. Unknown fields are ignored.
 *
 * <p>An event GitHub could not have sent is set aside with its problem, never stored: a
 * {@code created_at} before {@link #EARLIEST} or more than {@link #FUTURE} ahead of the clock
 * ({@code DateTime} would wrap it silently, and one such event took over the answers anchored on the
 * newest event), or a repository name or login that breaks {@link GitHubNames}' rules. Text copied
 * into a problem is {@link Printable}.
 */
public final class EventMapper {

    /** The outcome for one event: a row, or the reason there is none; {@code id} is -1 when unknown. */
    public record Mapped(String type, EventRow row, String problem, long id) {
        public boolean kept() {
            return row != null;
        }
    }

    /** GitHub opened in 2008; no event is older. */
    static final Instant EARLIEST = Instant.parse("2008-01-01T00:00:00Z");
    /** How far ahead of our clock an event's time may be: clocks differ a little, never by more. */
    static final Duration FUTURE = Duration.ofMinutes(5);

    private final TypeSelection kept;
    private final InstantSource clock;

    public EventMapper(TypeSelection kept, InstantSource clock) {
        this.kept = kept;
        this.clock = clock;
    }

    public TypeSelection keptTypes() {
        return kept;
    }

    // The fields read, by index: the event's, actor's and repo's, and the payload's.
    private static final byte[][] EVENT = names("id", "type", "actor", "repo", "payload", "created_at");
    private static final byte[][] ACTOR = names("id", "login");
    private static final byte[][] REPO = names("id", "name");
    private static final byte[][] PAYLOAD = names("action", "number", "pull_request", "issue", "push_id", "ref",
            "head", "before", "size", "ref_type", "full_ref", "release", "forkee", "comment", "review", "member",
            "discussion");
    // Inside the payload's objects: pull_request, issue and discussion; release; forkee; comment;
    // review; member.
    private static final byte[][] NUMBERED = names("number", "merged");
    private static final byte[][] RELEASE = names("tag_name");
    private static final byte[][] FORKEE = names("id", "full_name");
    private static final byte[][] COMMENT = names("id");
    private static final byte[][] REVIEW = names("state");
    private static final byte[][] MEMBER = names("login");

    /**
     * Reads the one event object that is all of {@code json[offset, offset + length)} (whitespace
     * around it aside). Throws for malformed JSON and anything after the object; a well-formed
     * event that lacks what a row needs comes back with a {@code problem}.
     */
    public Mapped read(byte[] json, int offset, int length) throws JsonCursor.MalformedJsonException {
        JsonCursor c = new JsonCursor(json, offset, length);
        Mapped m = read(c);
        if (!c.atEnd()) {
            throw new JsonCursor.MalformedJsonException("text after the event object at column "
                    + (c.position() - offset + 1));
        }
        return m;
    }

    /** Reads the event object next in {@code c}, up to and including its closing brace. */
    public Mapped read(JsonCursor c) throws JsonCursor.MalformedJsonException {
        c.beginObject();
        long id = -1;
        String type = null;
        long actorId = 0;
        String actorLogin = "";
        long repoId = 0;
        String repoName = null;
        PayloadFields payload = null;
        Instant createdAt = null;
        String problem = null;
        int field;
        while ((field = c.nextField(EVENT)) != JsonCursor.END) {
            switch (field) {
                case 0 -> id = c.readLong();
                case 1 -> {
                    type = stringOrSkip(c);
                    if (type == null || !kept.keeps(type)) {
                        c.skipRest();
                        return new Mapped(type, null, null, id);
                    }
                    if (!GitHubNames.eventType(type)) {
                        c.skipRest();
                        return new Mapped(null, null, "type '" + Printable.of(type) + "' is not a GitHub event type", id);
                    }
                }
                case 2 -> {
                    IdName actor = readIdName(c, ACTOR);
                    actorId = actor.id();
                    actorLogin = actor.name() == null ? "" : actor.name();
                }
                case 3 -> {
                    IdName repo = readIdName(c, REPO);
                    repoId = repo.id();
                    repoName = repo.name();
                }
                case 4 -> payload = readPayload(c);
                case 5 -> {
                    String text = stringOrSkip(c);
                    createdAt = text == null ? null : parseTime(text);
                    if (text != null && createdAt == null) {
                        problem = "unparseable created_at '" + Printable.of(text) + "'";
                    }
                }
                default -> c.skipValue(); // unknown fields
            }
        }
        if (type == null) {
            return new Mapped(null, null, "missing type", id);
        }
        if (problem == null) {
            problem = id < 0 ? "missing or invalid id"
                    : repoName == null || repoName.isEmpty() ? "missing repo.name"
                    : !GitHubNames.fullName(repoName) ? "repo.name '" + Printable.of(repoName) + "' is not a GitHub name"
                    : !actorLogin.isEmpty() && !GitHubNames.login(actorLogin)
                    ? "actor.login '" + Printable.of(actorLogin) + "' is not a GitHub login"
                    : createdAt == null ? "missing created_at"
                    : createdAt.isBefore(EARLIEST) ? "created_at " + createdAt + " is before GitHub existed"
                    : createdAt.isAfter(clock.instant().plus(FUTURE)) ? "created_at " + createdAt + " is in the future"
                    : null;
        }
        if (problem != null) {
            return new Mapped(type, null, problem, id);
        }
        String action = payload == null ? "" : payload.action;
        EventRow.Payload fields = EventRow.Payload.NONE;
        if (payload != null) {
            boolean merged = false;
            if (type.equals(EventType.PULL_REQUEST)) {
                // Since October 2025 a merge is the action `merged`; before, `closed` with
                // pull_request.merged: true. Both are stored as `merged`, so `closed` always
                // means closed without a merge.
                merged = action.equals("merged") || (action.equals("closed") && payload.merged);
                action = merged ? "merged" : action;
            }
            fields = payload.row(merged);
        }
        return new Mapped(type, new EventRow(id, type, repoId, repoName, actorId, actorLogin, action, createdAt, fields),
                null, id);
    }

    private record IdName(long id, String name) {
    }

    /** Reads {@code {"id": ..., "<name>": "..."}} (actor, repo; {@code fields} are those two), skipping the rest. */
    private static IdName readIdName(JsonCursor c, byte[][] fields) throws JsonCursor.MalformedJsonException {
        long id = 0;
        String name = null;
        if (c.peek() != '{') {
            c.skipValue();
            return new IdName(id, name);
        }
        c.beginObject();
        int field;
        while ((field = c.nextField(fields)) != JsonCursor.END) {
            switch (field) {
                case 0 -> id = Math.max(0, c.readLong());
                case 1 -> name = stringOrSkip(c);
                default -> c.skipValue();
            }
        }
        return new IdName(id, name);
    }

    /** The payload fields read so far; a field of the wrong JSON type stays empty. */
    private static final class PayloadFields {
        String action = "";
        long number;
        boolean merged;
        long pushId;
        String ref = "";
        String head = "";
        String before = "";
        long size = -1;
        String refType = "";
        String fullRef = "";
        String tagName = "";
        long forkeeId;
        String forkeeName = "";
        long commentId;
        String reviewState = "";
        String memberLogin = "";

        EventRow.Payload row(boolean mergedPr) {
            return new EventRow.Payload(number, mergedPr, pushId, ref, head, before, size, refType, fullRef, tagName,
                    forkeeId, forkeeName, commentId, reviewState, memberLogin);
        }
    }

    /**
     * The payload's fields that have columns, whatever the event's type: each name belongs to the
     * types that have it (clickhouse/V006). Null when the payload is null or not an object.
     */
    private static PayloadFields readPayload(JsonCursor c) throws JsonCursor.MalformedJsonException {
        if (c.peek() != '{') {
            c.skipValue();
            return null;
        }
        PayloadFields p = new PayloadFields();
        c.beginObject();
        int field;
        while ((field = c.nextField(PAYLOAD)) != JsonCursor.END) {
            switch (field) {
                case 0 -> p.action = stringOrEmpty(c);
                case 1 -> p.number = uint32(c.readLong());
                case 2, 3, 16 -> readNumbered(c, p); // pull_request, issue, discussion
                case 4 -> p.pushId = Math.max(0, c.readLong());
                case 5 -> p.ref = stringOrEmpty(c);
                case 6 -> p.head = stringOrEmpty(c);
                case 7 -> p.before = stringOrEmpty(c);
                case 8 -> {
                    long size = c.readLong();
                    p.size = size < 0 ? -1 : Math.min(size, 0xFFFF_FFFFL);
                }
                case 9 -> p.refType = stringOrEmpty(c);
                case 10 -> p.fullRef = stringOrEmpty(c);
                case 11 -> p.tagName = stringField(c, RELEASE);
                case 12 -> readForkee(c, p);
                case 13 -> p.commentId = Math.max(0, memberId(c));
                case 14 -> p.reviewState = stringField(c, REVIEW);
                case 15 -> p.memberLogin = stringField(c, MEMBER);
                default -> c.skipValue();
            }
        }
        return p;
    }

    /** A pull request, issue or discussion object: its number (the payload's own wins) and merged flag. */
    private static void readNumbered(JsonCursor c, PayloadFields p) throws JsonCursor.MalformedJsonException {
        if (c.peek() != '{') {
            c.skipValue();
            return;
        }
        c.beginObject();
        int field;
        while ((field = c.nextField(NUMBERED)) != JsonCursor.END) {
            switch (field) {
                case 0 -> {
                    long n = uint32(c.readLong());
                    p.number = p.number == 0 ? n : p.number;
                }
                case 1 -> p.merged = c.readTrue();
                default -> c.skipValue();
            }
        }
    }

    private static void readForkee(JsonCursor c, PayloadFields p) throws JsonCursor.MalformedJsonException {
        IdName forkee = readIdName(c, FORKEE);
        p.forkeeId = forkee.id();
        p.forkeeName = forkee.name() == null ? "" : forkee.name();
    }

    /** The one string field of an object ({@code names} has one name), or empty. */
    private static String stringField(JsonCursor c, byte[][] names) throws JsonCursor.MalformedJsonException {
        String value = "";
        if (c.peek() != '{') {
            c.skipValue();
            return value;
        }
        c.beginObject();
        int field;
        while ((field = c.nextField(names)) != JsonCursor.END) {
            if (field == 0) {
                value = stringOrEmpty(c);
            } else {
                c.skipValue();
            }
        }
        return value;
    }

    /** An object's {@code id}, or -1. */
    private static long memberId(JsonCursor c) throws JsonCursor.MalformedJsonException {
        long id = -1;
        if (c.peek() != '{') {
            c.skipValue();
            return id;
        }
        c.beginObject();
        int field;
        while ((field = c.nextField(COMMENT)) != JsonCursor.END) {
            if (field == 0) {
                id = c.readLong();
            } else {
                c.skipValue();
            }
        }
        return id;
    }

    private static long uint32(long v) {
        return v < 0 || v > 0xFFFF_FFFFL ? 0 : v;
    }

    private static String stringOrEmpty(JsonCursor c) throws JsonCursor.MalformedJsonException {
        String s = stringOrSkip(c);
        return s == null ? "" : s;
    }

    private static String stringOrSkip(JsonCursor c) throws JsonCursor.MalformedJsonException {
        if (c.peek() == '"') {
            return c.readString();
        }
        c.skipValue();
        return null;
    }

    private static byte[][] names(String... ascii) {
        byte[][] b = new byte[ascii.length][];
        for (int i = 0; i < ascii.length; i++) {
            b[i] = ascii[i].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
        return b;
    }

    /** Parses {@code 2024-01-02T03:04:05Z} without allocation-heavy formatters; other ISO forms fall back. */
    static Instant parseTime(String s) {
        if (s.length() == 20 && s.charAt(4) == '-' && s.charAt(7) == '-' && s.charAt(10) == 'T'
                && s.charAt(13) == ':' && s.charAt(16) == ':' && s.charAt(19) == 'Z') {
            int year = digits(s, 0, 4);
            int month = digits(s, 5, 2);
            int day = digits(s, 8, 2);
            int hour = digits(s, 11, 2);
            int minute = digits(s, 14, 2);
            int second = digits(s, 17, 2);
            if (year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour >= 0 && hour < 24
                    && minute >= 0 && minute < 60 && second >= 0 && second < 60) {
                try {
                    long days = java.time.LocalDate.of(year, month, day).toEpochDay();
                    return Instant.ofEpochSecond(days * 86_400L + hour * 3600L + minute * 60L + second);
                } catch (DateTimeException e) {
                    return null;
                }
            }
            return null;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static int digits(String s, int from, int len) {
        int v = 0;
        for (int i = from; i < from + len; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
