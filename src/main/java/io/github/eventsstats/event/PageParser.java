package io.github.eventsstats.event;


import java.util.ArrayList;
import java.util.List;

/**
 * Reads one page of the Events API (a JSON array of events) with {@link JsonCursor}: each event
 * mapped, and, for the raw archive, each event's own bytes on one line. What parsed before a
 * syntax error is kept; the error says where.
 */
public final class PageParser {

    /** A page's events in order, their raw lines (when kept) and the first error, if any. */
    public record Page(List<EventMapper.Mapped> events, List<byte[]> raw, String error) {

        public List<EventRow> rows() {
            return events.stream().filter(EventMapper.Mapped::kept).map(EventMapper.Mapped::row).toList();
        }

        /** The ids the page's events have (an event without a readable id has none). */
        public List<Long> ids() {
            return events.stream().mapToLong(EventMapper.Mapped::id).filter(id -> id >= 0).boxed().toList();
        }
    }

    private final EventMapper mapper;
    private final boolean keepRaw;

    /** @param keepRaw whether to keep every event's raw line (all types: the archive is the feed as fetched) */
    public PageParser(EventMapper mapper, boolean keepRaw) {
        this.mapper = mapper;
        this.keepRaw = keepRaw;
    }

    public Page parse(byte[] body) {
        List<EventMapper.Mapped> events = new ArrayList<>();
        List<byte[]> raw = new ArrayList<>();
        JsonCursor c = new JsonCursor(body, 0, body.length);
        try {
            if (c.peek() != '[') {
                return new Page(events, raw, "expected a JSON array of events");
            }
            c.beginArray();
            while (c.nextElement()) {
                if (c.peek() != '{') {
                    return new Page(events, raw, "expected an event object at byte " + c.position());
                }
                int start = c.position();
                events.add(mapper.read(c));
                if (keepRaw) {
                    raw.add(JsonCursor.oneLine(body, start, c.position()));
                }
            }
            if (!c.atEnd()) {
                return new Page(events, raw, "text after the events array at byte " + c.position());
            }
            return new Page(events, raw, null);
        } catch (JsonCursor.MalformedJsonException e) {
            return new Page(events, raw, e.getMessage().lines().findFirst().orElse("unreadable JSON"));
        }
    }
}
