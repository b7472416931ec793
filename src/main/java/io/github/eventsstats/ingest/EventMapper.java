package io.github.eventsstats.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.eventsstats.store.EventRow;
import io.github.eventsstats.store.EventType;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.Set;

/**
 * Maps one GitHub event object (the Events API and GH Archive share the shape) to an
 * {@code events} row, reading it from a streaming parser.
 *
 * <p>Only the fields the row needs are materialised. An event of a type that is not kept is
 * skipped as soon as its {@code type} is read (it comes second in both sources), so most of
 * GitHub's traffic costs only a token scan. Unknown fields are ignored.
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

    /**
     * Reads the event object at the parser's current token (START_OBJECT) up to and including its
     * END_OBJECT. Throws only for malformed JSON; a well-formed event that lacks what a row needs
     * comes back with a {@code problem}.
     */
    public Mapped read(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new IOException("expected an event object, found " + p.currentToken());
        }
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
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "id" -> id = idValue(p, value);
                case "type" -> {
                    type = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    eventType = type == null ? null : EventType.of(type).orElse(null);
                    if (eventType == null || !kept.contains(eventType)) {
                        skipRest(p);
                        return new Mapped(type, null, null, id);
                    }
                }
                case "actor" -> {
                    IdName actor = readIdName(p, value, "login");
                    actorId = actor.id();
                    actorLogin = actor.name() == null ? "" : actor.name();
                }
                case "repo" -> {
                    IdName repo = readIdName(p, value, "name");
                    repoId = repo.id();
                    repoName = repo.name();
                }
                case "payload" -> {
                    if (value == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String f = p.currentName();
                            JsonToken v = p.nextToken();
                            if (f.equals("action") && v == JsonToken.VALUE_STRING) {
                                action = p.getText();
                            } else {
                                p.skipChildren();
                            }
                        }
                    } else {
                        p.skipChildren(); // null or an unexpected shape: no action
                    }
                }
                case "created_at" -> {
                    if (value == JsonToken.VALUE_STRING) {
                        createdAt = parseTime(p.getText());
                        if (createdAt == null) {
                            problem = "unparseable created_at '" + p.getText() + "'";
                        }
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw new IOException("event object not terminated");
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

    /** Reads {@code {"id": ..., "<nameField>": "..."}} (actor, repo), skipping everything else. */
    private static IdName readIdName(JsonParser p, JsonToken value, String nameField) throws IOException {
        long id = 0;
        String name = null;
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            return new IdName(id, name);
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            if (f.equals("id")) {
                id = Math.max(0, idValue(p, v));
            } else if (f.equals(nameField) && v == JsonToken.VALUE_STRING) {
                name = p.getText();
            } else {
                p.skipChildren();
            }
        }
        return new IdName(id, name);
    }

    /** Ids come as strings in the Events API and as numbers in some archive years. */
    private static long idValue(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT) {
            return p.getLongValue();
        }
        if (value == JsonToken.VALUE_STRING) {
            String s = p.getText();
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        p.skipChildren();
        return -1;
    }

    private static void skipRest(JsonParser p) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            p.nextToken();
            p.skipChildren();
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw new IOException("event object not terminated");
        }
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
