package io.github.eventsstats.event;

/**
 * Who delivered an event to the writer: every sighting is recorded per source (`event_sightings`),
 * even of an event already stored, so coverage can say how much each source saw and how much two
 * sources saw alike. The codes are the Enum8 values of {@code event_sightings.source}.
 */
public enum EventSource {
    /** The poller of {@code GET /events}. */
    FIREHOSE(1),
    /** The pollers of watched repositories ({@code GET /repos/{owner}/{repo}/events}). */
    WATCHED(2),
    /** GH Archive hour files (and the poller's raw archive), through the backfill. */
    ARCHIVE(3),
    /** A watched repository's pulls list. */
    PULLS(4);

    private final byte code;

    EventSource(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    /** The name the API and the schema use. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** @throws IllegalArgumentException for a name that is no source's label */
    public static EventSource ofLabel(String label) {
        for (EventSource s : values()) {
            if (s.label().equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no event source '" + label + "'");
    }
}
