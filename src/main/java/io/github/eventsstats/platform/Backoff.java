package io.github.eventsstats.platform;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The service's one capped exponential backoff: the wait after the n-th failure in a row is
 * {@code initial} doubled n-1 times, at most {@code max} (a cap below {@code initial} is every
 * wait); with jitter, half that plus up to as much again, drawn from the generator it is given.
 * Pure: no clock, no sleep, no hidden random, so a caller on a fake clock can be tested to the
 * instant (docs/design/backoff.md says why it is not a library's).
 */
public final class Backoff {

    private final Duration initial;
    private final Duration max;
    private final RandomGenerator jitter;

    private Backoff(Duration initial, Duration max, RandomGenerator jitter) {
        if (initial.isNegative() || max.isNegative()) {
            throw new IllegalArgumentException("a backoff's waits cannot be negative: " + initial + ", " + max);
        }
        this.initial = initial;
        this.max = max;
        this.jitter = jitter;
    }

    /** {@code initial}, doubling, at most {@code max}; no jitter. */
    public static Backoff doubling(Duration initial, Duration max) {
        return new Backoff(initial, max, null);
    }

    /**
     * The same backoff with each wait drawn from [half, whole] of it, whole milliseconds, at least
     * 1 ms: clients that failed together do not come back together, and none waits past the cap.
     */
    public Backoff withJitter(RandomGenerator random) {
        return new Backoff(initial, max, Objects.requireNonNull(random));
    }

    /** The wait after the {@code failures}-th failure in a row (1-based; below 1 counts as 1). */
    public Duration after(int failures) {
        Duration d = initial;
        // Doubling stops at the cap, and never passes it: neither a long outage nor a huge cap overflows.
        for (int n = 1; n < failures && d.isPositive() && d.compareTo(max) < 0; n++) {
            d = d.compareTo(max.dividedBy(2)) > 0 ? max : d.multipliedBy(2);
        }
        Duration capped = d.compareTo(max) > 0 ? max : d;
        if (jitter == null) {
            return capped;
        }
        long ms = capped.toMillis();
        return Duration.ofMillis(Math.max(ms / 2 + jitter.nextLong(ms / 2 + 1), 1));
    }

    /**
     * Whether the {@code failuresInARow}-th failure is worth a log line: the 1st, 2nd, 4th, 8th...,
     * so an outage is reported without flooding the log.
     */
    public static boolean worthLogging(int failuresInARow) {
        return Integer.bitCount(failuresInARow) == 1;
    }

    @Override
    public String toString() {
        return initial + " doubling to " + max + (jitter != null ? ", jittered" : "");
    }
}
