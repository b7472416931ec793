package io.github.eventsstats.poller;

import io.github.eventsstats.event.PageParser;
import io.github.eventsstats.github.EventsPage;
import io.github.eventsstats.github.GitHubRequest;
import io.github.eventsstats.github.RateBudget;
import io.github.eventsstats.platform.Backoff;
import io.github.eventsstats.platform.Printable;
import org.jboss.logging.Logger.Level;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * The poller's decisions without its I/O: from the poll state, GitHub's last answer and the time,
 * what to fetch next, when to poll again and why, and what is worth a log line. Nothing here
 * fetches, stores, logs or reads a clock; {@link EventsPoller} does those and reports back, so
 * every timing rule can be checked with exact instants.
 */
final class PollPlanner {

    /** How a poll ended, as counted in {@code github.poll{outcome}}. */
    enum Outcome {
        OK, NOT_MODIFIED, RATE_LIMITED, ERROR, PAUSED;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A log line: worded here, written by the shell. */
    record Note(Level level, String message) {
    }

    /** The request to make next; only a poll's first page is conditional. */
    record Fetch(GitHubRequest request, Optional<String> etag) {
    }

    /** A poll's end: what it was, when the next one is due and why, and what to log. */
    record Result(Outcome outcome, Instant nextPollAt, PollState.Wait waitingFor, List<Note> notes) {
    }

    private final PollerConfig config;
    private final Predicate<String> withinApi;
    private final Backoff waits;
    private final RateBudget budget;
    private final RateBudget.Use use;
    private boolean warnedForeignLink;
    private Instant nextFlushAt = Instant.EPOCH;
    private int flushFailures;

    /**
     * @param withinApi whether a Link may be followed (the token goes along with every request)
     * @param random    the backoff's jitter
     * @param budget    the rate budget every page is asked of, as {@code use}
     */
    PollPlanner(PollerConfig config, Predicate<String> withinApi, RandomGenerator random, RateBudget budget,
                RateBudget.Use use) {
        this.config = config;
        this.withinApi = withinApi;
        this.waits = Backoff.doubling(config.backoffInitial(), config.backoffMax()).withJitter(random);
        this.budget = budget;
        this.use = use;
    }

    /** The interval polls keep: X-Poll-Interval, never below POLLER_MIN_INTERVAL. */
    Duration interval(PollState state) {
        return Duration.ofSeconds(Math.max(state.pollIntervalSeconds, config.minInterval().toSeconds()));
    }

    boolean due(PollState state, Instant now) {
        return !now.isBefore(state.nextPollAt);
    }

    /**
     * Whether the last success is more than three intervals old, counting from {@code startedAt}
     * before the first success of this run. Not while GitHub told us to wait.
     */
    boolean overdue(PollState state, Instant startedAt, Instant now) {
        Instant reference = state.lastSuccessAt != null && state.lastSuccessAt.isAfter(startedAt)
                ? state.lastSuccessAt : startedAt;
        boolean waitingAsTold = state.waitReason == PollState.Wait.RATE_LIMIT
                || state.waitReason == PollState.Wait.RETRY_AFTER;
        return !waitingAsTold && Duration.between(reference, now).compareTo(interval(state).multipliedBy(3)) > 0;
    }

    /** A due poll that does not start because the backlog is full: it backs off, by one interval at least. */
    Result paused(PollState state, Instant now, int backlog) {
        List<Note> notes = new ArrayList<>();
        Instant next = backOff(state, now, interval(state), Level.ERROR, String.format(
                "PAUSED: %d events wait for ClickHouse (POLLER_BACKLOG_MAX_EVENTS=%d); events GitHub publishes"
                        + " meanwhile will be missed (load them later from GH Archive)",
                backlog, config.backlogMaxEvents()), notes);
        return end(state, Outcome.PAUSED, now, next, PollState.Wait.BACKOFF,
                "paused: " + backlog + " fetched events wait for ClickHouse", notes);
    }

    /** Starts a poll at {@code now} from the feed's first page. */
    Poll begin(PollState state, Instant now, GitHubRequest firstPage) {
        state.lastPollAt = now;
        return new Poll(state, now, firstPage);
    }

    boolean flushDue(Instant now) {
        return !now.isBefore(nextFlushAt);
    }

    /** The backlog is stored: a pause that was for the backlog alone ends now, not when its backoff does. */
    void flushed(PollState state, Instant now) {
        flushFailures = 0;
        nextFlushAt = Instant.EPOCH;
        if (Outcome.PAUSED.tag().equals(state.lastOutcome)) {
            state.nextPollAt = now;
        }
    }

    /** The backlog is still not stored: the next try backs off. */
    Optional<Note> flushFailed(Instant now, int waiting, String why) {
        flushFailures++;
        nextFlushAt = now.plus(backoff(flushFailures));
        return Backoff.worthLogging(flushFailures)
                ? Optional.of(new Note(Level.WARN, "poller: backlog of " + waiting + " events still not stored (" + why + ")"))
                : Optional.empty();
    }

    /** Forgets the flush backoff, as a restart does. */
    void restart() {
        nextFlushAt = Instant.EPOCH;
        flushFailures = 0;
    }

    /** POLLER_BACKOFF_INITIAL doubling up to POLLER_BACKOFF_MAX, jittered: half of it plus up to as much again. */
    Duration backoff(int failures) {
        return waits.after(failures);
    }

    /**
     * Counts one more failure in a row and returns when to try again, no sooner than
     * {@code atLeast}. Worth a log line at the 1st, 2nd, 4th, 8th... only.
     */
    private Instant backOff(PollState state, Instant from, Duration atLeast, Level level, String what, List<Note> notes) {
        int n = ++state.consecutiveFailures;
        Duration delay = backoff(n);
        delay = delay.compareTo(atLeast) < 0 ? atLeast : delay;
        notes.add(Backoff.worthLogging(n)
                ? new Note(level, "poller: " + what + "; failure " + n + " in a row, next try in " + readable(delay))
                : new Note(Level.DEBUG, "poller: " + what + "; failure " + n + " in a row"));
        return from.plus(delay);
    }

    /** @param failure why the poll did not succeed, in words; null when it did */
    private Result end(PollState state, Outcome outcome, Instant now, Instant next, PollState.Wait wait, String failure,
                       List<Note> notes) {
        state.lastOutcome = outcome.tag();
        state.lastFailure = outcome == Outcome.OK || outcome == Outcome.NOT_MODIFIED ? null : failure;
        state.nextPollAt = next.isBefore(now) ? now : next;
        state.waitReason = wait;
        return new Result(outcome, state.nextPollAt, wait, List.copyOf(notes));
    }

    /** For log lines: 300 ms, 4.5 s, 2 min 5 s, 1 h 3 min. */
    static String readable(Duration d) {
        if (d.isNegative()) {
            d = Duration.ZERO;
        }
        if (d.compareTo(Duration.ofSeconds(1)) < 0) {
            return d.toMillis() + " ms";
        }
        if (d.compareTo(Duration.ofMinutes(1)) < 0) {
            return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
        }
        StringBuilder out = new StringBuilder();
        if (d.toHours() > 0) {
            out.append(d.toHours()).append(" h ");
        }
        if (d.toMinutesPart() > 0) {
            out.append(d.toMinutesPart()).append(" min ");
        }
        if (d.toSecondsPart() > 0 && d.toHours() == 0) {
            out.append(d.toSecondsPart()).append(" s");
        }
        return out.toString().trim();
    }

    /**
     * One poll, page by page. The shell asks {@link #next} what to fetch, reports each answer or
     * failure, and {@link #finish}es it; only a poll that fetched every page moves the ETag and the
     * seen ids on, since after a failed page either would lose the pages after it.
     */
    final class Poll {

        private final PollState state;
        private final Instant startedAt;
        private final List<Long> ids = new ArrayList<>();
        private final List<Note> notes = new ArrayList<>();
        private GitHubRequest request;
        private int pages;
        private boolean over;
        private Optional<String> newEtag = Optional.empty();
        private Outcome outcome = Outcome.OK;
        private Instant next;
        private PollState.Wait wait = PollState.Wait.INTERVAL;
        private String failed;
        /** Why this poll did not succeed, in words for the status ({@link FailureReason}). */
        private String reason;
        private Level failureLevel = Level.WARN;
        private RateBudget.Permit permit;
        private int lastStatus;
        private byte[] lastBody;

        private Poll(PollState state, Instant startedAt, GitHubRequest firstPage) {
            this.state = state;
            this.startedAt = startedAt;
            this.request = firstPage;
        }

        /**
         * The page to fetch next, or empty when the poll is over. The rate budget is asked before
         * every page, not only the first: pagination must not spend the reserve either. A page
         * returned holds a permit, settled by {@link #answered} or {@link #failed}.
         */
        Optional<Fetch> next(Instant now) {
            if (over || request == null || pages >= config.maxPages()) {
                over = true;
                return Optional.empty();
            }
            Optional<RateBudget.Permit> granted = budget.tryAcquire(use, now);
            if (granted.isEmpty()) {
                Instant until = budget.retryAt(use, now);
                RateBudget.Snapshot s = budget.snapshot(now);
                if (until.isAfter(now) && until.isBefore(budget.retryAt(now)) && s.available().isPresent()) {
                    // Held back by the claims of the repositories ahead of it, not by the window.
                    reason = "requests left are held for the repositories ahead";
                    notes.add(new Note(Level.DEBUG, String.format("poller: %d requests left (reserve %d%s); next try in %s",
                            s.available().get(), s.reserve(), s.heldFor(use), readable(Duration.between(now, until)))));
                } else if (until.isAfter(now) && s.available().isPresent()) {
                    reason = "rate limit reached";
                    notes.add(new Note(Level.INFO, String.format("poller: %d requests left (reserve %d%s); sleeping %s"
                                    + " until the rate limit resets at %s", s.available().get(), s.reserve(),
                            s.heldFor(use), readable(Duration.between(now, until)), until.minusSeconds(1))));
                } else {
                    reason = "waiting for another request to learn the rate limit";
                    notes.add(new Note(Level.DEBUG, "poller: another request is learning the rate limit; next tick"));
                }
                stop(Outcome.RATE_LIMITED, until, PollState.Wait.RATE_LIMIT);
                return Optional.empty();
            }
            permit = granted.get();
            pages++;
            return Optional.of(new Fetch(request, pages == 1 ? Optional.ofNullable(state.etag) : Optional.empty()));
        }

        /** GitHub's answer to the last fetch; {@code page} is its parsed body when it was a 200. */
        void answered(EventsPage response, PageParser.Page page) {
            settle(response.rateLimit());
            lastStatus = response.status();
            lastBody = response.ok() ? null : response.body();
            response.rateLimit().ifPresent(r ->
                    state.rateLimit = new PollState.RateLimitSnapshot(r.limit(), r.remaining(), r.reset(), r.used()));
            if (pages == 1) {
                response.pollInterval().ifPresent(i -> state.pollIntervalSeconds = i.toSeconds());
            }
            if (response.notModified()) {
                stop(Outcome.NOT_MODIFIED, null, PollState.Wait.INTERVAL);
            } else if (response.rateLimited()) {
                rateLimited(response);
            } else if (!response.ok()) {
                failed("GitHub answered HTTP " + response.status(), FailureReason.status(response.status()));
            } else {
                ids.addAll(page.ids());
                if (page.error() != null) {
                    failed("malformed events page: " + page.error(), "GitHub sent a malformed events page");
                    return;
                }
                if (pages == 1) {
                    newEtag = response.etag();
                }
                if (allSeen(page)) {
                    over = true; // everything older is stored already
                    return;
                }
                request = response.nextUrl().filter(this::followable).map(GitHubRequest::link).orElse(null);
            }
        }

        private void rateLimited(EventsPage response) {
            Optional<Instant> told = response.toldToWaitUntil();
            reason = response.retryAfter().isPresent() ? "GitHub asked to wait (HTTP " + response.status() + ")"
                    : "rate limit reached";
            if (told.isPresent()) {
                notes.add(new Note(Level.WARN, String.format("poller: GitHub answered %d (rate limited); next poll in %s, at %s",
                        response.status(), readable(Duration.between(response.receivedAt(), told.get())), told.get())));
                stop(Outcome.RATE_LIMITED, told.get(),
                        response.retryAfter().isPresent() ? PollState.Wait.RETRY_AFTER : PollState.Wait.RATE_LIMIT);
            } else {
                reason = "secondary rate limit (HTTP " + response.status() + ")";
                // A secondary rate limit that does not say how long: GitHub asks for a minute at least.
                stop(Outcome.RATE_LIMITED, backOff(state, response.receivedAt(), config.minInterval(), Level.WARN,
                        "GitHub answered " + response.status() + " without Retry-After (secondary rate limit)", notes),
                        PollState.Wait.BACKOFF);
            }
        }

        /** The request failed: connection, timeout, an error status or a malformed body. */
        void failed(String why) {
            failed(why, why);
        }

        /** @param reason {@code why} in words for the status, when the log's words are not those */
        void failed(String why, String reason) {
            this.reason = reason;
            settle(Optional.empty());
            outcome = Outcome.ERROR;
            failed = "poll failed (" + why + ")";
            over = true;
        }

        /** The fetched events could not be stored, nor kept in the backlog: a local failure, logged as ERROR. */
        void notKept(String why) {
            outcome = Outcome.ERROR;
            failed = (failed == null ? "" : failed + "; ") + "cannot keep the fetched events (" + why + ")";
            reason = "cannot keep the fetched events (" + why + ")";
            failureLevel = Level.ERROR;
        }

        /** Ends the poll at {@code now}; the state holds the outcome and the next poll time. */
        Result finish(Instant now) {
            if (failed != null) {
                Instant retry = backOff(state, now, Duration.ZERO, failureLevel, failed, notes);
                if (next == null || retry.isAfter(next)) { // never sooner than GitHub asked
                    next = retry;
                    wait = PollState.Wait.BACKOFF;
                }
            }
            if (outcome == Outcome.OK) {
                newEtag.ifPresent(e -> state.etag = e);
                state.remember(ids, config.recentIds());
            }
            if (outcome == Outcome.OK || outcome == Outcome.NOT_MODIFIED) {
                if (state.consecutiveFailures > 0) {
                    notes.add(new Note(Level.INFO, "poller: GitHub answers again after " + state.consecutiveFailures
                            + " failed polls"));
                }
                state.consecutiveFailures = 0;
                state.lastSuccessAt = startedAt;
            }
            return end(state, outcome, startedAt, next != null ? next : startedAt.plus(interval(state)), wait,
                    reason != null ? reason : failed, notes);
        }

        /** The status of the last answer (0 before one), and its body when it was not a 200. */
        int lastStatus() {
            return lastStatus;
        }

        byte[] lastErrorBody() {
            return lastBody;
        }

        private void settle(Optional<EventsPage.RateLimit> rate) {
            if (permit != null) {
                permit.answered(rate);
                permit = null;
            }
        }

        private void stop(Outcome outcome, Instant next, PollState.Wait wait) {
            this.outcome = outcome;
            this.next = next;
            this.wait = wait;
            over = true;
        }

        /** Every event of the page has an id, and each was seen before (by id equality: ids are not ordered). */
        private boolean allSeen(PageParser.Page page) {
            return !page.ids().isEmpty() && page.ids().size() == page.events().size()
                    && page.ids().stream().allMatch(state::seen);
        }

        /** A Link outside GITHUB_API_URL would receive the token: not followed, and said once. */
        private boolean followable(String link) {
            if (withinApi.test(link)) {
                return true;
            }
            if (!warnedForeignLink) {
                warnedForeignLink = true;
                notes.add(new Note(Level.WARN, "poller: GitHub's Link points outside GITHUB_API_URL ("
                        + Printable.of(link) + "); not following it, paging stops there"));
            } else {
                notes.add(new Note(Level.DEBUG, "poller: not following a Link outside GITHUB_API_URL ("
                        + Printable.of(link) + ")"));
            }
            return false;
        }
    }
}
