package io.github.eventsstats.github;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** One response of {@code GET /events}: status, raw body, the headers the poller acts on, and when it arrived. */
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

    /** 403 or 429 that GitHub marks as rate limiting (Retry-After, or no requests remaining). */
    public boolean rateLimited() {
        return (status == 403 || status == 429)
                && (retryAfter.isPresent() || rateLimit.map(r -> r.remaining() == 0).orElse(false));
    }
}
