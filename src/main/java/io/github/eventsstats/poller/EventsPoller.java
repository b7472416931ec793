package io.github.eventsstats.poller;

import io.github.eventsstats.event.EventMapper;
import io.github.eventsstats.event.PageParser;
import io.github.eventsstats.ingest.Backlog;
import io.github.eventsstats.ingest.EventWriter;
import io.github.eventsstats.ingest.RawArchive;
import io.github.eventsstats.ingest.RawArchiveConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.eventsstats.event.EventRow;
import io.github.eventsstats.event.EventSource;
import io.github.eventsstats.event.TypeSelection;
import io.github.eventsstats.github.EventsPage;
import io.github.eventsstats.github.GitHubEventsClient;
import io.github.eventsstats.github.GitHubRequest;
import io.github.eventsstats.github.RateBudget;
import io.github.eventsstats.platform.Backoff;
import io.github.eventsstats.platform.Printable;
import io.github.eventsstats.stream.EventStream;
import io.github.eventsstats.stream.KafkaStream;
import io.github.eventsstats.stream.Membership;
import io.github.eventsstats.stream.SharedList;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Polls {@code GET /events} unattended: the I/O around {@link PollPlanner}, which makes every
 * decision. A short fixed tick asks whether a poll is due, so the real cadence follows GitHub's
 * X-Poll-Interval, rate-limit resets, Retry-After and the error backoff, and a changed interval
 * applies at once. Time comes from the injected clock.
 *
 * <p>Every event that was fetched is either stored (through {@link EventWriter}, which drops
 * duplicates) or kept in the {@link Backlog} spool until ClickHouse takes it. With Kafka
 * ({@link EventStream#enabled()}) it is published instead, and the stream's consumer stores it; the
 * firehose is then polled by the one replica that holds {@link KafkaStream#FIREHOSE}.
 */
@ApplicationScoped
public class EventsPoller {

    private static final Logger LOG = Logger.getLogger(EventsPoller.class);
    /** The scheduled job's identity. */
    public static final String JOB = "github-events-poller";

    private final PollerConfig config;
    private final GitHubEventsClient github;
    private final EventWriter writer;
    private final RawArchive archive;
    private final boolean archiving;
    private final InstantSource clock;
    private final PollStateStore stateStore;
    private final ObjectMapper json;
    /** With Kafka: where the firehose's holder publishes its poll state, for the others' answers. */
    private volatile SharedList shared;
    private final Backlog backlog;
    private final EventMapper mapper;
    private final PageParser parser;
    private final PollPlanner planner;
    private final PollPlanner watchedPlanner;
    private final PollPlanner onDemandPlanner;
    private final RateBudget budget;
    private final PollerMetrics metrics;
    private final PollLog pollLog;
    private final EventStream stream;
    private final KafkaStream kafka;
    /** The firehose's job among replicas; null when this process polls alone. */
    private volatile Membership firehose;
    /** Whether this replica held the firehose at its last tick. */
    private volatile boolean leading;
    private volatile PollState state = new PollState();
    /** What the firehose's holder published last; only answers read it, the polls never. */
    private volatile PollState holdersState;
    private volatile Instant startedAt;
    private int archiveFailures;

    EventsPoller(PollerConfig config, GitHubEventsClient github, EventWriter writer, RawArchive archive,
                 RawArchiveConfig archiveConfig, ObjectMapper json, MeterRegistry registry, InstantSource clock,
                 RateBudget budget, PollLog pollLog, EventStream stream, KafkaStream kafka) {
        this.config = config;
        this.github = github;
        this.writer = writer;
        this.archive = archive;
        this.archiving = archiveConfig.eventsToFiles();
        this.clock = clock;
        this.stateStore = new PollStateStore(config.stateFile(), json);
        this.json = json;
        this.backlog = new Backlog(config.backlogFile(), json, config.backlogMaxEvents());
        this.mapper = new EventMapper(PollerConfig.storedTypes(config.eventTypes()), clock);
        this.stream = stream;
        this.kafka = kafka;
        // The raw lines are what the stream carries.
        this.parser = new PageParser(mapper, archiving || stream.enabled());
        this.budget = budget;
        this.planner = new PollPlanner(config, github::withinApi, new SplittableRandom(), budget, RateBudget.Use.FIREHOSE);
        this.watchedPlanner = new PollPlanner(config, github::withinApi, new SplittableRandom(), budget,
                RateBudget.Use.WATCHED);
        this.onDemandPlanner = new PollPlanner(config, github::withinApi, new SplittableRandom(), budget,
                RateBudget.Use.ON_DEMAND);
        this.startedAt = clock.instant();
        this.metrics = new PollerMetrics(registry, this, clock);
        this.pollLog = pollLog;
    }

    void onStart(@Observes StartupEvent event) {
        reload();
        if (config.enabled() && kafka.enabled()) {
            firehose = kafka.join(KafkaStream.FIREHOSE);
            shared = kafka.watchList(this::sharedState);
        }
        if (config.enabled()) {
            LOG.infof("poller: GitHub events every >= %ds, keeping %s; next poll at %s; state in %s",
                    state.pollIntervalSeconds, mapper.keptTypes(), state.nextPollAt, stateStore.file());
        }
    }

    /** Reads the state file and the backlog spool again, as a restart does. */
    public synchronized void reload() {
        state = stateStore.load();
        backlog.load();
        planner.restart();
        startedAt = clock.instant();
        budget.forget();
        remember(state);
        reserveForFirehose();
    }

    /** A feed's remembered rate-limit window, for the shared budget after a restart. */
    public void remember(PollState feed) {
        PollState.RateLimitSnapshot r = feed.rateLimit;
        if (r != null) {
            budget.remember(new EventsPage.RateLimit(r.limit(), r.remaining(), r.reset(), r.used()));
        }
    }

    /** The budget keeps what the firehose needs at its current interval (nothing while it is off). */
    private void reserveForFirehose() {
        budget.firehose(config.enabled() ? Optional.of(planner.interval(state)) : Optional.empty(), config.maxPages());
    }

    /** The firehose's poll state as every replica tells it: its holder's own, elsewhere what the holder published. */
    public PollState state() {
        PollState published = holdersState;
        return firehose == null || leading || published == null ? state : published;
    }

    public int backlogSize() {
        return backlog.size();
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** The interval polls keep: X-Poll-Interval, never below POLLER_MIN_INTERVAL. */
    public Duration interval() {
        return planner.interval(state());
    }

    /** Whether the last success is more than three intervals old (not while GitHub told us to wait). */
    public boolean overdue() {
        return planner.overdue(state(), startedAt, clock.instant());
    }

    @Scheduled(identity = JOB, every = "${poller.tick}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = PollerDisabled.class)
    void scheduledTick() {
        tick();
    }

    /**
     * One tick: store what is waiting, then poll if a poll is due; with several replicas, only on the
     * one that holds the firehose. A replica that takes the firehose over starts from a fresh poll
     * state: what the last holder saw is not known here, and the writer drops what is seen twice.
     */
    public synchronized void tick() {
        Membership m = firehose;
        if (m == null) {
            tickHeld();
            return;
        }
        boolean held = m.hold(null, () -> {
            if (!leading) {
                leading = true;
                state = new PollState();
                LOG.infof("poller: this replica polls the firehose now");
            }
            tickHeld();
        });
        if (!held && leading) {
            leading = false;
            LOG.infof("poller: another replica polls the firehose now");
        }
    }

    /** Key of the firehose's poll state in the shared list (a repository's name always holds a '/'). */
    private static final String SHARED_STATE = "firehose";

    /**
     * The poll state the firehose's holder published: a replica that does not poll the firehose
     * answers with it (/status/poller, the poller's health), so all replicas tell the same. Kept
     * apart from the state the polls use: this runs on the shared list's thread, and a replica
     * taking the firehose over at that moment must not have its first poll's state replaced.
     */
    private void sharedState(String key, String value) {
        if (!SHARED_STATE.equals(key) || value == null) {
            return;
        }
        try {
            holdersState = json.readValue(value, PollState.class);
        } catch (IOException e) {
            LOG.warnf("poller: the firehose's shared poll state is unreadable (%s); kept as it was",
                    Printable.of(e.getMessage()));
        }
    }

    /** Whether this replica polls the firehose (always, without Kafka). */
    public boolean pollsFirehose() {
        Membership m = firehose;
        return m == null || m.holds();
    }

    private void tickHeld() {
        Instant now = clock.instant();
        flushBacklog(now);
        if (!planner.due(state, now)) {
            return;
        }
        if (backlog.full()) {
            finish(planner.paused(state, now, backlog.size()));
            return;
        }
        if (stream.enabled() && !stream.flush(EventSource.FIREHOSE) && stream.full()) {
            finish(planner.paused(state, now, stream.pending()));
            return;
        }
        poll(now);
    }

    private void poll(Instant now) {
        poll(planner, state, now, GitHubRequest.events(config.perPage()), null);
        reserveForFirehose();
    }

    /**
     * How one poll of another feed ended (a watched repository's events): its outcome as
     * {@code github.poll} tags it, the status of GitHub's last answer (0 when none came) and that
     * answer's body when it was not a 200, and when the feed is due again.
     */
    public record FeedPoll(String outcome, int lastStatus, byte[] errorBody, Instant nextPollAt) {
    }

    /**
     * Polls another feed with everything the firehose's polls do: its own {@code state} (ETag,
     * X-Poll-Interval, seen ids, backoff), Link pages, the shared rate budget (as a watched
     * repository, or one on demand), the mapper, the raw archive, the deduplicating writer and the
     * backlog. The caller saves {@code state}.
     */
    public synchronized FeedPoll pollFeed(String name, PollState feed, GitHubRequest firstPage, boolean onDemand) {
        Instant now = clock.instant();
        PollPlanner feedPlanner = onDemand ? onDemandPlanner : watchedPlanner;
        flushBacklog(now);
        if (backlog.full()) {
            PollPlanner.Result result = feedPlanner.paused(feed, now, backlog.size());
            result.notes().forEach(n -> log(n, name));
            return new FeedPoll(result.outcome().tag(), 0, null, result.nextPollAt());
        }
        if (stream.enabled() && !stream.flush(EventSource.WATCHED) && stream.full()) {
            PollPlanner.Result result = feedPlanner.paused(feed, now, stream.pending());
            result.notes().forEach(n -> log(n, name));
            return new FeedPoll(result.outcome().tag(), 0, null, result.nextPollAt());
        }
        return poll(feedPlanner, feed, now, firstPage, name);
    }

    /** @param feed null for the firehose, else the name its log lines carry */
    private FeedPoll poll(PollPlanner planner, PollState state, Instant now, GitHubRequest firstPage, String feed) {
        PollPlanner.Poll poll = planner.begin(state, now, firstPage);
        List<EventRow> rows = new ArrayList<>();
        List<Published> published = new ArrayList<>();
        Optional<PollPlanner.Fetch> fetch;
        while ((fetch = poll.next(clock.instant())).isPresent()) {
            EventsPage response;
            try {
                response = github.fetch(fetch.get().request(), fetch.get().etag());
            } catch (IOException e) {
                poll.failed(describe(e), FailureReason.unreachable(e));
                continue;
            } catch (InterruptedException e) {
                poll.failed("interrupted");
                Thread.currentThread().interrupt();
                return new FeedPoll(PollPlanner.Outcome.ERROR.tag(), 0, null, state.nextPollAt);
            }
            PageParser.Page page = response.ok() ? parser.parse(response.body()) : null;
            if (page != null) {
                page.events().forEach(metrics::fetched);
                archive(page.raw(), response.receivedAt());
                rows.addAll(page.rows());
                if (stream.enabled()) {
                    published.add(new Published(kept(page), response.receivedAt()));
                }
            }
            poll.answered(response, page);
        }
        try {
            EventSource source = feed == null ? EventSource.FIREHOSE : EventSource.WATCHED;
            if (stream.enabled()) {
                publish(published, source);
            } else {
                store(rows, source);
            }
        } catch (RuntimeException e) {
            // A local failure (the backlog spool cannot be written) backs off too, not retried every tick.
            poll.notKept(describe(e));
        }
        PollPlanner.Result result = poll.finish(clock.instant());
        if (feed == null) {
            finish(result);
        } else {
            result.notes().forEach(n -> log(n, feed));
        }
        return new FeedPoll(result.outcome().tag(), poll.lastStatus(), poll.lastErrorBody(), result.nextPollAt());
    }

    private void finish(PollPlanner.Result result) {
        result.notes().forEach(this::log);
        metrics.poll(result.outcome());
        stateStore.save(state);
        SharedList s = shared;
        if (s != null) {
            try {
                s.put(SHARED_STATE, json.writeValueAsString(state)); // not waited for: sent when the broker takes it
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
        pollLog.success(state.lastSuccessAt, interval()); // coverage's record of when it was polling
    }

    private void log(PollPlanner.Note note) {
        LOG.log(note.level(), note.message());
    }

    private void log(PollPlanner.Note note, String feed) {
        LOG.log(note.level(), note.message() + " [" + feed + "]");
    }

    private static String describe(Exception e) {
        // An exception's message can quote what GitHub sent.
        return e.getMessage() != null ? Printable.of(e.getMessage()) : e.getClass().getSimpleName();
    }

    /** Appends one fetched page to the raw archive; a failure there never stops storing. */
    private void archive(List<byte[]> events, Instant fetchedAt) {
        if (!archiving) {
            return;
        }
        try {
            archive.append(events, fetchedAt);
            archiveFailures = 0;
        } catch (IOException e) {
            if (Backoff.worthLogging(++archiveFailures)) {
                LOG.errorf("poller: raw archive append failed (%s), %d time(s) in a row; events are still stored",
                        describe(e), archiveFailures);
            }
        }
    }

    /** One page's events for the stream, and when the page came. */
    private record Published(List<EventStream.Fetched> events, Instant fetchedAt) {
    }

    /** The page's events the mapper kept, each with its raw line (the parser keeps one per event, in order). */
    private static List<EventStream.Fetched> kept(PageParser.Page page) {
        List<EventStream.Fetched> out = new ArrayList<>(page.events().size());
        for (int i = 0; i < page.events().size(); i++) {
            EventMapper.Mapped m = page.events().get(i);
            if (m.kept()) {
                out.add(new EventStream.Fetched(m.row().repoName(), page.raw().get(i)));
            }
        }
        return out;
    }

    /** Hands the events to Kafka; what the broker does not take waits in the stream and goes first next time. */
    private void publish(List<Published> pages, EventSource source) {
        for (Published p : pages) {
            // The poll state does not move on, so the pages after a refused one are fetched again;
            // sending them now would only wait for the absent broker once more per page.
            if (!stream.publish(p.events(), source, p.fetchedAt())) {
                throw new IllegalStateException(stream.pending() + " event(s) wait for the Kafka broker");
            }
        }
    }

    /** Stores rows, or puts them in the backlog, with their source, when ClickHouse does not take them. */
    private void store(List<EventRow> rows, EventSource source) {
        if (rows.isEmpty()) {
            return;
        }
        if (backlog.size() > 0) {
            backlog.add(rows, source); // keep arrival order; the flush stores them
            return;
        }
        try {
            metrics.stored(writer.write(rows, source));
        } catch (RuntimeException e) {
            backlog.add(rows, source);
            LOG.warnf("poller: ClickHouse did not take %d events (%s); kept in the backlog (%d waiting)",
                    rows.size(), e.getMessage(), backlog.size());
        }
    }

    /** Each source's rows are written as that source's, so their sightings (coverage) are its own. */
    private void flushBacklog(Instant now) {
        if (backlog.size() == 0 || !planner.flushDue(now)) {
            return;
        }
        int stored = 0;
        int duplicates = 0;
        try {
            for (Map.Entry<EventSource, List<EventRow>> waiting : backlog.bySource().entrySet()) {
                EventWriter.Result result = writer.write(waiting.getValue(), waiting.getKey());
                backlog.drop(waiting.getKey(), waiting.getValue().size());
                metrics.stored(result);
                stored += result.stored();
                duplicates += result.duplicates();
            }
            LOG.infof("poller: stored the backlog (%d events, %d already stored)", stored, duplicates);
            planner.flushed(state, now);
        } catch (RuntimeException e) {
            planner.flushFailed(now, backlog.size(), e.getMessage()).ifPresent(this::log);
        }
    }
}
