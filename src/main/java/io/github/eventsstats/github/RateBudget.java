package io.github.eventsstats.github;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * The one rate budget every GitHub request draws from (watched repositories, repositories asked
 * about, the firehose and enrichment), kept from the {@code X-RateLimit-*} headers of every
 * answer. Nothing here does I/O or reads a clock: callers pass the time, so every rule is checked
 * with exact instants.
 *
 * <p>The rules: a request needs a {@link Permit}, asked for just before it is sent and settled
 * with its answer. Requests in flight count as spent until they are settled. Uses come in
 * {@link Tier}s, the user's repositories first (docs/design/rate-budget.md): watched repositories
 * (their feeds and histories) may spend down to the reserve (POLLER_RATE_LIMIT_RESERVE);
 * repositories on demand what is left above the reserve and the watched repositories'
 * {@linkplain #claim claim}; the firehose what is left above both claims; enrichment what is left
 * above those and what the firehose is expected to need until the window resets (one poll of its
 * pages per interval, as if none were a free 304). A claim is what a tier has waiting now, so the
 * tiers below it stop before they take it. Before the first answer, and after a reset has passed,
 * the window is unknown: one request at a time is let through to learn it.
 *
 * <p>Several replicas on one token ({@link #share}): the window's remaining requests are GitHub's
 * count for the token, so each replica keeps to its share of what is left above the reserve and
 * the claims, {@code 1/replicas} of it, and learns the new count from each answer. With one
 * replica the rule is the one above.
 */
public final class RateBudget {

    /** Who spends, in which {@link Tier}. */
    public enum Use {
        FIREHOSE(Tier.FIREHOSE), WATCHED(Tier.WATCHED), PULLS(Tier.WATCHED), HISTORY(Tier.WATCHED),
        ON_DEMAND(Tier.ON_DEMAND), ENRICHMENT(Tier.ENRICHMENT);

        private final Tier tier;

        Use(Tier tier) {
            this.tier = tier;
        }

        public Tier tier() {
            return tier;
        }

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The order in which uses are served: each spends only what the ones before it leave. */
    public enum Tier {
        /** Watched repositories' feeds and histories. */
        WATCHED,
        /** Repositories loaded and kept fresh because someone asked about them. */
        ON_DEMAND,
        /** The firehose sample. */
        FIREHOSE,
        /** Profiles of actors and repositories. */
        ENRICHMENT
    }

    /** What the budget knows: the window of the last answer (absent before one) and requests in flight. */
    public record Snapshot(Optional<EventsPage.RateLimit> window, int inFlight, long reserve, long firehoseNeeds,
                           long watchedClaim, long onDemandClaim) {

        /** Requests left in the window minus those in flight; empty while unknown. */
        public Optional<Long> available() {
            return window.map(w -> w.remaining() - inFlight);
        }

        /** What is held, beside the reserve, for the tiers ahead of {@code use}, in words for a log line. */
        public String heldFor(Use use) {
            return switch (use.tier()) {
                case WATCHED -> "";
                case ON_DEMAND -> ", watched " + watchedClaim;
                case FIREHOSE -> ", watched " + watchedClaim + ", on demand " + onDemandClaim;
                case ENRICHMENT -> ", watched " + watchedClaim + ", on demand " + onDemandClaim + ", firehose "
                        + firehoseNeeds;
            };
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

    /** How soon a request held back by the claims ahead of it asks again. */
    public static final Duration CLAIMS_RETRY = Duration.ofMinutes(1);

    private final long reserve;
    private EventsPage.RateLimit window;
    private int inFlight;
    private Duration firehoseInterval;
    private int firehosePages;
    /** Requests waiting now in the watched and on-demand tiers; see {@link #claim}. */
    private long watchedClaim;
    private long onDemandClaim;
    /** Replicas spending this token's budget (1: this process alone); 0 while not known, nothing is spent. */
    private int replicas = 1;
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

    /**
     * What the watched ({@link Tier#WATCHED}) or on-demand ({@link Tier#ON_DEMAND}) tier has waiting
     * now, in requests: the tiers after it leave that much. Set anew by the watch poller at each
     * tick, so a claim never outlives the work it stands for by more than a tick.
     */
    public synchronized void claim(Tier tier, long requests) {
        long r = Math.max(0, requests);
        switch (tier) {
            case WATCHED -> watchedClaim = r;
            case ON_DEMAND -> onDemandClaim = r;
            default -> throw new IllegalArgumentException("only the watched and on-demand tiers claim: " + tier);
        }
    }

    /** A permit for one request at {@code now}, or empty when the budget does not allow it yet. */
    public synchronized Optional<Permit> tryAcquire(Use use, Instant now) {
        boolean allowed;
        if (window == null || !now.isBefore(window.reset())) {
            allowed = inFlight == 0 && replicas > 0; // unknown window: one request learns it
        } else {
            // This replica's share of what is left, less its own requests in flight.
            long left = window.remaining() - heldAhead(use.tier(), now) - reserve;
            allowed = replicas > 0 && Math.floorDiv(left, replicas) > inFlight;
        }
        if (!allowed) {
            denied[use.ordinal()]++;
            return Optional.empty();
        }
        granted[use.ordinal()]++;
        inFlight++;
        return Optional.of(new Permit(use));
    }

    /** What the tiers ahead of {@code tier} hold: their claims, and for enrichment the firehose's need. */
    private long heldAhead(Tier tier, Instant now) {
        return switch (tier) {
            case WATCHED -> 0;
            case ON_DEMAND -> watchedClaim;
            case FIREHOSE -> watchedClaim + onDemandClaim;
            case ENRICHMENT -> watchedClaim + onDemandClaim + firehoseNeeds(now);
        };
    }

    /**
     * When a denied request may be asked for again: just after the window resets, or at once while
     * the window is unknown (another request is learning it).
     */
    public synchronized Instant retryAt(Instant now) {
        return window != null && now.isBefore(window.reset()) ? window.reset().plusSeconds(1) : now;
    }

    /**
     * When a denied request of {@code use} may be asked for again: as {@link #retryAt(Instant)},
     * but within {@link #CLAIMS_RETRY} when the window holds more than the reserve, as the claims of
     * the tiers ahead, which held it back, change as their work is done.
     */
    public synchronized Instant retryAt(Use use, Instant now) {
        Instant reset = retryAt(now);
        if (use.tier() != Tier.WATCHED && window != null && now.isBefore(window.reset())
                && window.remaining() - inFlight > reserve) {
            Instant soon = now.plus(CLAIMS_RETRY);
            return soon.isBefore(reset) ? soon : reset;
        }
        return reset;
    }

    /**
     * How many replicas spend this token's budget: each keeps to {@code 1/replicas} of what is left.
     * 0 while not known yet (a replica that has not seen its group): nothing is sent.
     */
    public synchronized void share(int replicas) {
        this.replicas = Math.max(0, replicas);
    }

    public synchronized int replicas() {
        return replicas;
    }

    /** Takes a window remembered from before a restart (the poll state file); a newer one wins. */
    public synchronized void remember(EventsPage.RateLimit rate) {
        observe(rate);
    }

    /** Forgets everything, as a restart does. */
    public synchronized void forget() {
        window = null;
        inFlight = 0;
        watchedClaim = 0;
        onDemandClaim = 0;
    }

    public synchronized Snapshot snapshot(Instant now) {
        return new Snapshot(Optional.ofNullable(window), inFlight, reserve, firehoseNeeds(now), watchedClaim,
                onDemandClaim);
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
     * What a limit of {@code limit} requests an hour allows (logged at start without a token):
     * watched repositories first, and the firehose's expected need beside what is left.
     */
    public static String allows(long limit, long reserve, Duration firehoseInterval, int pages) {
        long usable = Math.max(0, limit - reserve);
        String head = String.format(Locale.ROOT, "%d requests/h (%d above the reserve of %d), watched repositories"
                + " first (a feed at its X-Poll-Interval, an unchanged one a free 304), then repositories asked"
                + " about", limit, usable, reserve);
        long firehosePerHour = firehoseInterval == null ? 0
                : ceilDiv(Duration.ofHours(1).toMillis(), firehoseInterval.toMillis()) * pages;
        if (firehosePerHour == 0) {
            return head + "; no firehose";
        }
        if (firehosePerHour >= usable) {
            return head + String.format(Locale.ROOT, ", then the firehose from what they leave: it alone may need %d"
                            + " (a poll of up to %d pages every %d s), so it polls less often when pages are new;"
                            + " set GITHUB_TOKEN for 5,000/h", firehosePerHour, pages, firehoseInterval.toSeconds());
        }
        return head + String.format(Locale.ROOT, ", then the firehose (it may need %d); set GITHUB_TOKEN for 5,000/h",
                firehosePerHour);
    }
}
