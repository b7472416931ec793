package io.github.eventsstats.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.eventsstats.DataConfig;
import io.github.eventsstats.github.EventsPage;
import io.github.eventsstats.github.GitHubEventsClient;
import io.github.eventsstats.github.PollState;
import io.github.eventsstats.github.PollStateStore;
import io.github.eventsstats.store.EventRow;
import io.github.eventsstats.store.EventType;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Polls {@code GET /events} unattended. A short fixed tick checks whether a poll is due, so the
 * real cadence follows GitHub's X-Poll-Interval (never below POLLER_MIN_INTERVAL), rate-limit
 * resets, Retry-After and the error backoff, and a changed interval applies at once.
 *
 * <p>Every event that was fetched is either stored (through {@link EventWriter}, which drops
 * duplicates) or kept in the {@link Backlog} spool until ClickHouse takes it.
 */
@ApplicationScoped
public class EventsPoller {

    private static final Logger LOG = Logger.getLogger(EventsPoller.class);

    /** How a poll ended, as counted in {@code github.poll{outcome}}. */
    public enum Outcome { OK, NOT_MODIFIED, RATE_LIMITED, ERROR, PAUSED }

    private final PollerConfig config;
    private final GitHubEventsClient github;
    private final EventWriter writer;
    private final RawArchive archive;
    private final RawArchiveConfig archiveConfig;
    private final ObjectMapper json;
    private final PollerMetrics metrics;
    private final PollStateStore stateStore;
    private final Backlog backlog;
    private final EventMapper mapper;
    private volatile PollState state = new PollState();
    private Instant nextFlushAt = Instant.EPOCH;
    private int flushFailures;
    private int archiveFailures;
    private boolean warnedForeignLink;

    EventsPoller(PollerConfig config, GitHubEventsClient github, EventWriter writer, RawArchive archive,
                 RawArchiveConfig archiveConfig, ObjectMapper json, MeterRegistry registry, DataConfig data) {
        this.config = config;
        this.github = github;
        this.writer = writer;
        this.archive = archive;
        this.archiveConfig = archiveConfig;
        this.json = json;
        this.stateStore = new PollStateStore(config.stateFile(), json);
        this.backlog = new Backlog(data.dir().resolve("ingest-backlog.json"), json, config.backlogMaxEvents());
        this.mapper = new EventMapper(parseTypes(config.eventTypes()));
        this.metrics = new PollerMetrics(registry, this);
    }

    static EnumSet<EventType> parseTypes(List<String> names) {
        EnumSet<EventType> types = EnumSet.noneOf(EventType.class);
        for (String name : names) {
            types.add(EventType.of(name.trim()).orElseThrow(() -> new IllegalArgumentException(
                    "POLLER_EVENT_TYPES: unknown event type '" + name.trim() + "'; storable types are "
                            + EnumSet.allOf(EventType.class))));
        }
        return types;
    }

    void onStart(@Observes StartupEvent event) {
        reload();
        if (config.enabled()) {
            LOG.infof("poller: GitHub events every >= %ds, keeping %s; next poll at %s; state in %s",
                    state.pollIntervalSeconds, mapper.keptTypes(), state.nextPollAt, stateStore.file());
        }
    }

    /** Reads the state file and the backlog spool again, as a restart does. */
    public synchronized void reload() {
        state = stateStore.load();
        backlog.load();
        nextFlushAt = Instant.EPOCH;
        flushFailures = 0;
    }

    public PollState state() {
        return state;
    }

    public int backlogSize() {
        return backlog.size();
    }

    public boolean enabled() {
        return config.enabled();
    }

    @Scheduled(every = "${poller.tick}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = PollerDisabled.class)
    void scheduledTick() {
        tick(Instant.now());
    }

    /** One tick: store what is waiting, then poll if a poll is due. */
    public synchronized void tick(Instant now) {
        flushBacklog(now);
        if (now.isBefore(state.nextPollAt)) {
            return;
        }
        if (backlog.full()) {
            Instant next = backOff(now, interval(), Logger.Level.ERROR, String.format(
                    "PAUSED: %d events wait for ClickHouse (POLLER_BACKLOG_MAX_EVENTS=%d); events GitHub publishes"
                            + " meanwhile will be missed (load them later from GH Archive)",
                    backlog.size(), config.backlogMaxEvents()));
            finish(Outcome.PAUSED, now, next, PollState.Wait.BACKOFF);
            return;
        }
        poll(now);
    }

    private void poll(Instant now) {
        state.lastPollAt = now;
        List<EventRow> rows = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        String url = github.firstPageUrl(config.perPage());
        Optional<String> newEtag = Optional.empty();
        Outcome outcome = Outcome.OK;
        Instant next = null;
        PollState.Wait wait = PollState.Wait.INTERVAL;
        String failed = null;
        Logger.Level level = Logger.Level.WARN;
        try {
            for (int page = 1; url != null && page <= config.maxPages(); page++) {
                // Before every page, not only the first: pagination must not spend the reserve either.
                PollState.RateLimitSnapshot rate = state.rateLimit;
                Instant at = Instant.now();
                if (rate != null && rate.remaining() <= config.rateLimitReserve() && rate.reset().isAfter(at)) {
                    LOG.infof("poller: %d requests left (reserve %d); sleeping %s until the rate limit resets at %s",
                            rate.remaining(), config.rateLimitReserve(), readable(Duration.between(at, rate.reset())),
                            rate.reset());
                    outcome = Outcome.RATE_LIMITED;
                    next = rate.reset().plusSeconds(1);
                    wait = PollState.Wait.RATE_LIMIT;
                    break;
                }
                EventsPage response = github.fetch(url, page == 1 ? Optional.ofNullable(state.etag) : Optional.empty());
                response.rateLimit().ifPresent(r ->
                        state.rateLimit = new PollState.RateLimitSnapshot(r.limit(), r.remaining(), r.reset(), r.used()));
                if (page == 1) {
                    response.pollInterval().ifPresent(i -> state.pollIntervalSeconds = i.toSeconds());
                }
                if (response.notModified()) {
                    outcome = Outcome.NOT_MODIFIED;
                    break;
                }
                if (response.rateLimited()) {
                    outcome = Outcome.RATE_LIMITED;
                    Optional<Instant> told = response.toldToWaitUntil();
                    if (told.isPresent()) {
                        next = told.get();
                        wait = response.retryAfter().isPresent() ? PollState.Wait.RETRY_AFTER : PollState.Wait.RATE_LIMIT;
                        LOG.warnf("poller: GitHub answered %d (rate limited); next poll in %s, at %s", response.status(),
                                readable(Duration.between(response.receivedAt(), next)), next);
                    } else {
                        // A secondary rate limit that does not say how long: GitHub asks for a minute at least.
                        next = backOff(response.receivedAt(), config.minInterval(), Logger.Level.WARN,
                                "GitHub answered " + response.status() + " without Retry-After (secondary rate limit)");
                        wait = PollState.Wait.BACKOFF;
                    }
                    break;
                }
                if (!response.ok()) {
                    throw new IOException("GitHub answered HTTP " + response.status());
                }
                Page parsed = parse(response.body());
                archive(parsed.raw(), response.receivedAt());
                rows.addAll(parsed.rows());
                ids.addAll(parsed.ids());
                if (parsed.error() != null) {
                    throw new IOException("malformed events page: " + parsed.error());
                }
                if (page == 1) {
                    newEtag = response.etag();
                }
                if (parsed.allSeen()) {
                    break; // everything older is stored already
                }
                url = response.nextUrl().filter(this::followable).orElse(null);
            }
        } catch (IOException e) {
            outcome = Outcome.ERROR;
            failed = "poll failed (" + describe(e) + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            store(rows);
        } catch (RuntimeException e) {
            // A local failure (the backlog spool cannot be written) backs off too, not retried every tick.
            outcome = Outcome.ERROR;
            failed = (failed == null ? "" : failed + "; ") + "cannot keep the fetched events (" + describe(e) + ")";
            level = Logger.Level.ERROR;
        }
        if (failed != null) {
            Instant retry = backOff(Instant.now(), Duration.ZERO, level, failed);
            if (next == null || retry.isAfter(next)) { // never sooner than GitHub asked
                next = retry;
                wait = PollState.Wait.BACKOFF;
            }
        }
        if (outcome == Outcome.OK) {
            // Only a finished poll moves on. After a failed page the ETag would make the next poll a
            // 304, and remembered ids would stop it early: either way the pages after it were lost.
            newEtag.ifPresent(e -> state.etag = e);
            state.remember(ids, config.recentIds());
        }
        if (outcome == Outcome.OK || outcome == Outcome.NOT_MODIFIED) {
            if (state.consecutiveFailures > 0) {
                LOG.infof("poller: GitHub answers again after %d failed polls", state.consecutiveFailures);
            }
            state.consecutiveFailures = 0;
            state.lastSuccessAt = now;
        }
        finish(outcome, now, next != null ? next : now.plus(interval()), wait);
    }

    /** The interval polls keep: X-Poll-Interval, never below POLLER_MIN_INTERVAL. */
    public Duration interval() {
        return Duration.ofSeconds(Math.max(state.pollIntervalSeconds, config.minInterval().toSeconds()));
    }

    /** A Link outside GITHUB_API_URL would receive the token: not followed, and said once. */
    private boolean followable(String url) {
        if (github.withinApi(url)) {
            return true;
        }
        if (!warnedForeignLink) {
            warnedForeignLink = true;
            LOG.warnf("poller: GitHub's Link points outside GITHUB_API_URL (%s); not following it, paging stops there", url);
        } else {
            LOG.debugf("poller: not following a Link outside GITHUB_API_URL (%s)", url);
        }
        return false;
    }

    /**
     * Counts one more failure in a row and returns when to try again: capped exponential backoff
     * with jitter, but no sooner than {@code atLeast}. Logged at the 1st, 2nd, 4th, 8th... only.
     */
    private Instant backOff(Instant from, Duration atLeast, Logger.Level level, String what) {
        int n = ++state.consecutiveFailures;
        Duration delay = backoff(n, config.backoffInitial(), config.backoffMax());
        delay = delay.compareTo(atLeast) < 0 ? atLeast : delay;
        if (worthLogging(n)) {
            LOG.logf(level, "poller: %s; failure %d in a row, next try in %s", what, n, readable(delay));
        } else {
            LOG.debugf("poller: %s; failure %d in a row", what, n);
        }
        return from.plus(delay);
    }

    /** The 1st, 2nd, 4th, 8th... failure in a row: an outage is reported without flooding the log. */
    private static boolean worthLogging(int failuresInARow) {
        return Integer.bitCount(failuresInARow) == 1;
    }

    static Duration backoff(int failures, Duration initial, Duration max) {
        long base = initial.toMillis() << Math.min(failures - 1, 20);
        long capped = Math.min(max.toMillis(), base < 0 ? max.toMillis() : base);
        long jittered = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
        return Duration.ofMillis(Math.max(jittered, 1));
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

    private static String describe(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private void finish(Outcome outcome, Instant now, Instant next, PollState.Wait wait) {
        state.lastOutcome = outcome.name().toLowerCase();
        metrics.poll(outcome);
        state.nextPollAt = next.isBefore(now) ? now : next;
        state.waitReason = wait;
        stateStore.save(state);
    }

    /** Appends one fetched page to the raw archive; a failure there never stops storing. */
    private void archive(List<byte[]> events, Instant fetchedAt) {
        if (!archiveConfig.eventsToFiles()) {
            return;
        }
        try {
            archive.append(events, fetchedAt);
            archiveFailures = 0;
        } catch (IOException e) {
            if (worthLogging(++archiveFailures)) {
                LOG.errorf("poller: raw archive append failed (%s), %d time(s) in a row; events are still stored",
                        describe(e), archiveFailures);
            }
        }
    }

    /** Stores rows, or puts them in the backlog when ClickHouse does not take them. */
    private void store(List<EventRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        if (backlog.size() > 0) {
            backlog.add(rows); // keep arrival order; the flush stores them
            return;
        }
        try {
            metrics.stored(writer.write(rows));
        } catch (RuntimeException e) {
            backlog.add(rows);
            LOG.warnf("poller: ClickHouse did not take %d events (%s); kept in the backlog (%d waiting)",
                    rows.size(), e.getMessage(), backlog.size());
        }
    }

    private void flushBacklog(Instant now) {
        if (backlog.size() == 0 || now.isBefore(nextFlushAt)) {
            return;
        }
        List<EventRow> waiting = backlog.snapshot();
        try {
            EventWriter.Result result = writer.write(waiting);
            backlog.drop(waiting.size());
            metrics.stored(result);
            flushFailures = 0;
            LOG.infof("poller: stored the backlog (%d events, %d already stored)", result.stored(), result.duplicates());
            if ("paused".equals(state.lastOutcome)) {
                state.nextPollAt = now; // the pause was for the backlog only: resume now, not when its backoff ends
            }
        } catch (RuntimeException e) {
            flushFailures++;
            nextFlushAt = now.plus(backoff(flushFailures, config.backoffInitial(), config.backoffMax()));
            if (worthLogging(flushFailures)) {
                LOG.warnf("poller: backlog of %d events still not stored (%s)", waiting.size(), e.getMessage());
            }
        }
    }

    /** The events of one page: rows to store, raw lines to archive (all types), all ids, and a parse error if any. */
    record Page(List<EventRow> rows, List<byte[]> raw, List<Long> ids, boolean allSeen, String error) {
    }

    Page parse(byte[] body) {
        List<EventRow> rows = new ArrayList<>();
        List<byte[]> raw = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        boolean allSeen = true;
        JsonCursor c = new JsonCursor(body, 0, body.length);
        try {
            if (c.peek() != '[') {
                return new Page(rows, raw, ids, false, "expected a JSON array of events");
            }
            c.beginArray();
            while (c.nextElement()) {
                if (c.peek() != '{') {
                    return new Page(rows, raw, ids, false, "expected an event object at byte " + c.position());
                }
                int start = c.position();
                EventMapper.Mapped m = mapper.read(c);
                int end = c.position();
                metrics.fetched(m);
                if (m.id() >= 0) {
                    ids.add(m.id());
                    allSeen &= state.seen(m.id());
                } else {
                    allSeen = false;
                }
                if (m.kept()) {
                    rows.add(m.row());
                }
                if (archiveConfig.eventsToFiles()) {
                    raw.add(oneLine(body, start, end)); // every type: the archive is GitHub's feed as fetched
                }
            }
            if (!c.atEnd()) {
                return new Page(rows, raw, ids, false, "text after the events array at byte " + c.position());
            }
            return new Page(rows, raw, ids, allSeen && !ids.isEmpty(), null);
        } catch (IOException e) {
            return new Page(rows, raw, ids, false, e.getMessage().lines().findFirst().orElse("unreadable JSON"));
        }
    }

    /** The event's own bytes, re-encoded compactly when they span lines (pretty-printed pages). */
    private byte[] oneLine(byte[] body, int start, int end) throws IOException {
        byte[] slice = java.util.Arrays.copyOfRange(body, start, end);
        for (byte b : slice) {
            if (b == '\n' || b == '\r') {
                return json.writeValueAsBytes(json.readTree(slice));
            }
        }
        return slice;
    }
}
