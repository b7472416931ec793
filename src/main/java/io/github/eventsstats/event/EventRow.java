package io.github.eventsstats.event;

import java.time.Instant;

/**
 * One row of `events`. {@code type} is GitHub's name for it; {@code action} is the payload's
 * action, or empty for types without one.
 */
public record EventRow(long eventId, String type, long repoId, String repoName, long actorId,
                       String actorLogin, String action, Instant createdAt, Payload payload) {

    public EventRow {
        payload = payload == null ? Payload.NONE : payload; // a backlog row spooled before payloads had columns
    }

    public EventRow(long eventId, String type, long repoId, String repoName, long actorId, String actorLogin,
                    String action, Instant createdAt) {
        this(eventId, type, repoId, repoName, actorId, actorLogin, action, createdAt, Payload.NONE);
    }

    /**
     * The payload fields with columns of their own (clickhouse/V006 says which type fills which);
     * 0 or empty where the payload has none, and {@code size} -1 (NULL) where it is absent.
     */
    public record Payload(long number, boolean merged, long pushId, String ref, String head, String before, long size,
                          String refType, String fullRef, String tagName, long forkeeId, String forkeeName,
                          long commentId, String reviewState, String memberLogin) {

        public static final Payload NONE = new Payload(0, false, 0, "", "", "", -1, "", "", "", 0, "", 0, "", "");
    }
}
