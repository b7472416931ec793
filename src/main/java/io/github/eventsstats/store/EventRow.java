package io.github.eventsstats.store;

import java.time.Instant;

/** One row of `events`. {@code action} is the payload's action, or empty for types without one. */
public record EventRow(long eventId, EventType type, long repoId, String repoName, long actorId,
                       String actorLogin, String action, Instant createdAt) {
}
