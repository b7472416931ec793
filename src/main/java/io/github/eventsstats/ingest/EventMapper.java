package io.github.eventsstats.ingest;

import io.github.eventsstats.store.EventRow;
import io.github.eventsstats.store.EventType;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.Set;

/**
 * Maps one GitHub event object (the Events API and GH Archive share the shape) to an
 * {@code events} row, reading its bytes with a {@link JsonCursor}. The poller and the backfill
 * both map events here.
 *
 * <p>Only the fields the row needs are materialised. An event of a type that is not kept is
 * skipped as soon as its {@code type} is read (it comes second in both sources), so most of
 * GitHub's traffic costs only a syntax-checking skip. Unknown fields are ignored.
 */
public final class EventMapper {

    /** The outcome for one event: a row, or the reason there is none; {@code id} is -1 when unknown. */
    public record Mapped(String type, EventRow row, String problem, long id) {
        public boolean kept() {
            return row != null;
        }
    }

    private final Set<EventType> kept;

    public EventMapper(Set<EventType> kept) {
        this.kept = kept.isEmpty() ? EnumSet.noneOf(EventType.class) : EnumSet.copyOf(kept);
    }

    public Set<EventType> keptTypes() {
        return EnumSet.copyOf(kept.isEmpty() ? EnumSet.noneOf(EventType.class) : kept);
    }

    // The fields read, by index: the event's, actor's and repo's, and the payload's.
    private static final byte[][] EVENT = names("id", "type", "actor", "repo", "payload", "created_at");
    private static final byte[][] ACTOR = names("id", "login");
    private static final byte[][] REPO = names("id", "name");
    private static final byte[][] PAYLOAD = names("action");

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
        EventType eventType = null;
        long actorId = 0;
        String actorLogin = "";
        long repoId = 0;
        String repoName = null;
        String action = "";
        Instant createdAt = null;
        String problem = null;
        int field;
        while ((field = c.nextField(EVENT)) != JsonCursor.END) {
            switch (field) {
                case 0 -> id = c.readLong();
                case 1 -> {
                    type = stringOrSkip(c);
                    eventType = type == null ? null : EventType.of(type).orElse(null);
                    if (eventType == null || !kept.contains(eventType)) {
                        c.skipRest();
                        return new Mapped(type, null, null, id);
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
                case 4 -> action = readAction(c);
                case 5 -> {
                    String text = stringOrSkip(c);
                    createdAt = text == null ? null : parseTime(text);
                    if (text != null && createdAt == null) {
                        problem = "unparseable created_at '" + text + "'";
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
                    : createdAt == null ? "missing created_at" : null;
        }
        if (problem != null) {
            return new Mapped(type, null, problem, id);
        }
        return new Mapped(type, new EventRow(id, eventType, repoId, repoName, actorId, actorLogin, action, createdAt),
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

    /** The payload's action, or empty: a payload that is null or not an object has none. */
    private static String readAction(JsonCursor c) throws JsonCursor.MalformedJsonException {
        String action = "";
        if (c.peek() != '{') {
            c.skipValue();
            return action;
        }
        c.beginObject();
        int field;
        while ((field = c.nextField(PAYLOAD)) != JsonCursor.END) {
            if (field == 0 && c.peek() == '"') {
                action = c.readString();
            } else {
                c.skipValue();
            }
        }
        return action;
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
