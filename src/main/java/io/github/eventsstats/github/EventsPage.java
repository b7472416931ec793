package io.github.eventsstats.github;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One response of {@code GET /events}: status, raw body, the headers the poller acts on, and when
 * it arrived (Retry-After counts from then, however long the rest of the poll takes).
 */
public record EventsPage(int status, byte[] body, Optional<String> etag, Optional<Duration> pollInterval,
                         Optional<RateLimit> rateLimit, Optional<Duration> retryAfter, Optional<String> nextUrl,
                         Instant receivedAt) {

    /** X-RateLimit-Limit / -Remaining / -Reset / -Used. */
    public record RateLimit(long limit, long remaining, Instant reset, long used) {
    }

    public boolean notModified() {
        return status == 304;
    }

    public boolean ok() {
        return status == 200;
    }

    /** 403 or 429: GitHub answers both primary and secondary rate limits with either. */
    public boolean rateLimited() {
        return status == 403 || status == 429;
    }

    /**
     * When GitHub said the next request may come: Retry-After counted from this response's arrival,
     * or else the reset of an exhausted limit if it is still ahead. Empty when it did not say.
     */
    public Optional<Instant> toldToWaitUntil() {
        if (retryAfter.isPresent()) {
            return Optional.of(receivedAt.plus(retryAfter.get()));
        }
        return rateLimit.filter(r -> r.remaining() == 0 && r.reset().isAfter(receivedAt)).map(r -> r.reset().plusSeconds(1));
    }
}
