package io.github.eventsstats.github;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * The one rate budget every GitHub request draws from (the firehose, watched repositories, the
 * pulls history and later enrichment), kept from the {@code X-RateLimit-*} headers of every
 * answer. Nothing here does I/O or reads a clock: callers pass the time, so every rule is checked
 * with exact instants.
 *
 * <p>The rules: a request needs a {@link Permit}, asked for just before it is sent and settled
 * with its answer. Requests in flight count as spent until they are settled. The firehose may
 * spend down to the reserve (POLLER_RATE_LIMIT_RESERVE); every other use only what is left above
 * the reserve after what the firehose is expected to need until the window resets (one poll of
 * its pages per interval, as if none were a free 304). Before the first answer, and after a reset
 * has passed, the window is unknown: one request at a time is let through to learn it.
 */
public final class RateBudget {

    /** Who spends: the firehose first, the rest from what it leaves. */
    public enum Use {
        FIREHOSE, WATCHED, PULLS, HISTORY, ENRICHMENT;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What the budget knows: the window of the last answer (absent before one) and requests in flight. */
    public record Snapshot(Optional<EventsPage.RateLimit> window, int inFlight, long reserve, long firehoseNeeds) {

        /** Requests left in the window minus those in flight; empty while unknown. */
        public Optional<Long> available() {
            return window.map(w -> w.remaining() - inFlight);
        }
    }

    /** A granted request; settle it exactly once (a second settle is ignored). */
    public final class Permit {
        private final Use use;
        private boolean settled;

        private Permit(Use use) {
            this.use = use;
        }

        public Use use() {
            return use;
        }

        /** The request got an answer; its rate-limit headers, if any, update the window. */
        public void answered(Optional<EventsPage.RateLimit> rate) {
            settle(this, rate);
        }

        /** The request got no answer (connection failure, timeout, interruption). */
        public void unanswered() {
            settle(this, Optional.empty());
        }
    }

    private final long reserve;
    private EventsPage.RateLimit window;
    private int inFlight;
    private Duration firehoseInterval;
    private int firehosePages;
    private final long[] granted = new long[Use.values().length];
    private final long[] denied = new long[Use.values().length];

    public RateBudget(long reserve) {
        this.reserve = Math.max(0, reserve);
    }

    /**
     * The firehose polls every {@code interval} with up to {@code pages} requests: that much is
     * kept for it until each reset. Empty interval: no firehose (POLLER_ENABLED=false), nothing kept.
     */
    public synchronized void firehose(Optional<Duration> interval, int pages) {
        this.firehoseInterval = interval.filter(i -> !i.isZero() && !i.isNegative()).orElse(null);
        this.firehosePages = Math.max(0, pages);
    }

    /** A permit for one request at {@code now}, or empty when the budget does not allow it yet. */
    public synchronized Optional<Permit> tryAcquire(Use use, Instant now) {
        boolean allowed;
        if (window == null || !now.isBefore(window.reset())) {
            allowed = inFlight == 0; // unknown window: one request learns it
        } else {
            long left = window.remaining() - inFlight - (use == Use.FIREHOSE ? 0 : firehoseNeeds(now));
            allowed = left > reserve;
        }
        if (!allowed) {
            denied[use.ordinal()]++;
            return Optional.empty();
        }
        granted[use.ordinal()]++;
        inFlight++;
        return Optional.of(new Permit(use));
    }

    /**
     * When a denied request may be asked for again: just after the window resets, or at once while
     * the window is unknown (another request is learning it).
     */
    public synchronized Instant retryAt(Instant now) {
        return window != null && now.isBefore(window.reset()) ? window.reset().plusSeconds(1) : now;
    }

    /** Takes a window remembered from before a restart (the poll state file); a newer one wins. */
    public synchronized void remember(EventsPage.RateLimit rate) {
        observe(rate);
    }

    /** Forgets everything, as a restart does. */
    public synchronized void forget() {
        window = null;
        inFlight = 0;
    }

    public synchronized Snapshot snapshot(Instant now) {
        return new Snapshot(Optional.ofNullable(window), inFlight, reserve, firehoseNeeds(now));
    }

    public long reserve() {
        return reserve;
    }

    public synchronized long granted(Use use) {
        return granted[use.ordinal()];
    }

    public synchronized long denied(Use use) {
        return denied[use.ordinal()];
    }

    /** Requests the firehose is expected to make from {@code now} until the window resets. */
    private long firehoseNeeds(Instant now) {
        if (firehoseInterval == null || window == null || !now.isBefore(window.reset())) {
            return 0;
        }
        long polls = ceilDiv(Duration.between(now, window.reset()).toMillis(), firehoseInterval.toMillis());
        return polls * firehosePages;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private synchronized void settle(Permit permit, Optional<EventsPage.RateLimit> rate) {
        if (permit.settled) {
            return;
        }
        permit.settled = true;
        inFlight = Math.max(0, inFlight - 1);
        rate.ifPresent(this::observe);
    }

    /**
     * A newer window (later reset) replaces the old one; within one window the lowest remaining
     * wins, since answers can arrive out of order. An answer from an older window is stale.
     */
    private void observe(EventsPage.RateLimit rate) {
        if (window == null || rate.reset().isAfter(window.reset())) {
            window = rate;
        } else if (rate.reset().equals(window.reset()) && rate.remaining() < window.remaining()) {
            window = rate;
        }
    }

    /**
     * What a limit of {@code limit} requests an hour allows (logged at start without a token): the
     * firehose's share and what is left for the rest.
     */
    public static String allows(long limit, long reserve, Duration firehoseInterval, int pages) {
        long usable = Math.max(0, limit - reserve);
        long firehosePerHour = firehoseInterval == null ? 0
                : ceilDiv(Duration.ofHours(1).toMillis(), firehoseInterval.toMillis()) * pages;
        if (firehosePerHour == 0) {
            return String.format(Locale.ROOT, "%d requests/h (%d above the reserve of %d), all for watched repositories",
                    limit, usable, reserve);
        }
        if (firehosePerHour >= usable) {
            long everySeconds = usable == 0 ? 3600 : ceilDiv(3600L * pages, usable);
            return String.format(Locale.ROOT, "%d requests/h (%d above the reserve of %d): the firehose alone may need"
                            + " %d (a poll of up to %d pages every %d s), so it polls about every %d s when every page"
                            + " is new, and watched repositories get nothing; set GITHUB_TOKEN for 5,000/h",
                    limit, usable, reserve, firehosePerHour, pages, firehoseInterval.toSeconds(), everySeconds);
        }
        return String.format(Locale.ROOT, "%d requests/h (%d above the reserve of %d): the firehose may need %d,"
                        + " leaving %d/h for watched repositories; set GITHUB_TOKEN for 5,000/h",
                limit, usable, reserve, firehosePerHour, usable - firehosePerHour);
    }
}
