package io.github.eventsstats.store;

import java.util.Optional;

/** The event types the service stores; the values are the Enum8 codes of `events.event_type`. */
public enum EventType {
    WatchEvent(1),
    PullRequestEvent(2),
    IssuesEvent(3);

    private final byte code;

    EventType(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    public static Optional<EventType> of(String name) {
        for (EventType t : values()) {
            if (t.name().equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
