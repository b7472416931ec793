package io.github.eventsstats.api;

import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;

/**
 * Wrong admin tokens, counted from anywhere: past ADMIN_TOKEN_FAILURES within a minute, the admin
 * endpoints are locked for ADMIN_LOCKOUT. One WARN when a burst locks them, one INFO when a lockout
 * that refused requests is over; never a token, which this class never sees.
 */
@Singleton
public class TokenFailures {

    private static final Logger LOG = Logger.getLogger(TokenFailures.class);
    static final Duration WINDOW = Duration.ofMinutes(1);

    private final InstantSource clock;
    private final int threshold;
    private final Duration lockout;
    private Instant windowStart = Instant.MIN;
    private int failures;
    private Instant lockedUntil = Instant.MIN;
    private long refused;

    TokenFailures(InstantSource clock, AdminConfig config) {
        this.clock = clock;
        this.threshold = Math.max(1, config.tokenFailures());
        this.lockout = config.lockout();
    }

    /** A lockout in force: until when, and the whole seconds left (at least 1) for Retry-After. */
    record Lockout(Instant until, long secondsLeft) {
    }

    /** The lockout in force now, if any; the request it refuses is counted. */
    synchronized Optional<Lockout> locked() {
        Instant now = clock.instant();
        if (now.isBefore(lockedUntil)) {
            refused++;
            Duration left = Duration.between(now, lockedUntil);
            return Optional.of(new Lockout(lockedUntil, left.toSeconds() + (left.toNanosPart() > 0 ? 1 : 0)));
        }
        if (refused > 0) {
            LOG.infof("admin: the lockout is over; %d requests were refused during it", refused);
            refused = 0;
        }
        return Optional.empty();
    }

    /** A wrong token was answered 401; the one that reaches the threshold locks the endpoints. */
    synchronized void failed() {
        Instant now = clock.instant();
        if (!now.isBefore(windowStart.plus(WINDOW))) {
            windowStart = now;
            failures = 0;
        }
        failures++;
        if (failures >= threshold) {
            lockedUntil = now.plus(lockout);
            LOG.warnf("admin: %d wrong bearer tokens within %d s, from anywhere; the admin endpoints answer 429"
                            + " until %s (ADMIN_TOKEN_FAILURES, ADMIN_LOCKOUT)", failures,
                    Duration.between(windowStart, now).toSeconds(), lockedUntil);
            windowStart = Instant.MIN;
            failures = 0;
        }
    }
}
