package io.github.eventsstats.watch;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/** Where a repository's history (its pulls, issues and comments lists) stands, as answers show it. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(description = "Where the repository's history (its pull requests, issues and comments, from GitHub's REST"
        + " lists) stands")
public record History(
        @Schema(description = "queued: waiting for its first request; loading: lists being read; loaded: every list read"
                + " to its end, kept fresh; not_found (404), moved (301), forbidden (403), blocked (451): GitHub does not"
                + " serve it, asked again after WATCH_UNAVAILABLE_RETRY; not_queued: not loaded and not queued",
                enumeration = {"queued", "loading", "loaded", "not_found", "moved", "forbidden", "blocked", "not_queued"})
        String state,
        @Schema(description = "pages of its lists received so far") long pagesLoaded,
        @Schema(description = "when it was queued (watched or first asked for)", nullable = true) Instant queuedAt,
        @Schema(description = "when every list was last read up to date (the oldest of the four); null before",
                nullable = true) Instant lastSyncAt) {

    public static final History NOT_QUEUED = new History("not_queued", 0, null, null);

    /** What a repository's watch entry says of its history. */
    static History of(WatchedRepository w) {
        String state = switch (w.status) {
            case PENDING -> "queued";
            case ACTIVE -> w.historyLoaded() ? "loaded" : w.lists().stream().anyMatch(l -> l.pagesLoaded > 0)
                    || w.events.lastSuccessAt != null ? "loading" : "queued";
            default -> w.status.tag();
        };
        long pages = w.lists().stream().mapToLong(l -> l.pagesLoaded).sum();
        Instant synced = w.historyLoaded() ? w.lists().stream().map(l -> l.lastSyncAt).filter(Objects::nonNull)
                .min(Comparator.naturalOrder()).orElse(null) : null;
        return new History(state, pages, w.addedAt, synced);
    }

    public boolean loaded() {
        return "loaded".equals(state);
    }
}
