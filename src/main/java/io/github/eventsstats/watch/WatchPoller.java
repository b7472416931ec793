package io.github.eventsstats.watch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.eventsstats.github.GitHubRequest;
import io.github.eventsstats.github.RateBudget;
import io.github.eventsstats.poller.EventsPoller;
import io.github.eventsstats.poller.PollerConfig;
import io.github.eventsstats.poller.PollerDisabled;
import io.github.eventsstats.stream.KafkaStream;
import io.github.eventsstats.stream.Membership;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Polls the watched repositories' events feeds ({@code GET /repos/{owner}/{repo}/events}) through
 * the firehose's machinery ({@link EventsPoller#pollFeed}: planner, ETag, X-Poll-Interval, Link
 * pages, backoff, mapper, deduplicating writer), round-robin, each when its own poll state says
 * it is due, first in the shared rate budget (those on demand second); then their histories
 * ({@link HistorySync}). On its own scheduled job, so a slow repository never delays the firehose's
 * tick. With Kafka, each replica polls the watched and on-demand repositories whose partition of
 * {@link KafkaStream#WATCH} it owns, and a repository moves only once its poll in progress ended.
 */
@ApplicationScoped
public class WatchPoller {

    private static final Logger LOG = Logger.getLogger(WatchPoller.class);
    public static final String JOB = "github-watch-poller";

    private final WatchList list;
    private final HistorySync history;
    private final OnDemand onDemand;
    private final EventsPoller poller;
    private final RateBudget budget;
    private final PollerConfig pollerConfig;
    private final WatchConfig config;
    private final ObjectMapper json;
    private final MeterRegistry registry;
    private final InstantSource clock;
    private final KafkaStream kafka;
    /** The share of the watched repositories this replica polls; null when this process polls them all. */
    private volatile Membership shares;

    WatchPoller(WatchList list, HistorySync history, OnDemand onDemand, EventsPoller poller, RateBudget budget,
                PollerConfig pollerConfig, WatchConfig config, ObjectMapper json, MeterRegistry registry,
                InstantSource clock, KafkaStream kafka) {
        this.kafka = kafka;
        this.list = list;
        this.history = history;
        this.onDemand = onDemand;
        this.poller = poller;
        this.budget = budget;
        this.pollerConfig = pollerConfig;
        this.config = config;
        this.json = json;
        this.registry = registry;
        this.clock = clock;
    }

    void onStart(@Observes StartupEvent event) {
        if (!pollerConfig.enabled()) {
            return; // API-only replicas and the backfill command leave the watch file alone
        }
        if (kafka.enabled()) {
            shares = kafka.join(KafkaStream.WATCH);
        }
        list.all().forEach(w -> poller.remember(w.events));
        if (!list.all().isEmpty()) {
            LOG.infof("watch: %d repositories watched; state in %s", list.all().size(), config.file());
        }
    }

    @Scheduled(identity = JOB, every = "${poller.tick}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = PollerDisabled.class)
    void scheduledTick() {
        tick();
    }

    /**
     * Adds the repositories asked about on demand, then polls every due repository's events in
     * round-robin order, then goes on with every due history list (pulls, issues, comments), until
     * the budget says no: the ones not reached are first the next time. Watched repositories come
     * before those on demand (and an on-demand one not asked about for ON_DEMAND_IDLE is not
     * polled). Events first, as a feed keeps only its newest 300 events while the lists keep all.
     * Before and after, each tier's claim on the rate budget is set to what it has waiting, so the
     * firehose and enrichment leave it (docs/design/rate-budget.md).
     */
    public synchronized void tick() {
        onDemand.drain();
        // Watched repositories first (round-robin), then those on demand that are kept fresh.
        List<String> all = WatchSchedule.roundRobin(list.keys(), list.lastPolled());
        List<String> order = new ArrayList<>(all.stream().filter(k -> !list.onDemand(k)).toList());
        Set<String> fresh = list.keptFresh();
        order.addAll(all.stream().filter(k -> list.onDemand(k) && fresh.contains(k)).toList());
        claim(fresh);
        try {
            poll(order);
        } finally {
            claim(fresh);
        }
    }

    private void poll(List<String> order) {
        for (String key : order) {
            Optional<WatchedRepository> w = list.get(key);
            if (w.isPresent() && WatchSchedule.eventsDue(w.get(), clock.instant()) && !mine(key, () -> pollEvents(key, w.get()))) {
                return;
            }
        }
        for (String key : order) {
            for (HistorySync.HistoryList kind : HistorySync.HistoryList.values()) {
                Optional<WatchedRepository> w = list.get(key);
                if (w.isPresent() && WatchSchedule.historyDue(w.get(), kind.state.apply(w.get()), clock.instant())
                        && !mine(key, () -> history.sync(key, w.get(), kind))) {
                    return;
                }
            }
        }
    }

    /** Tells the rate budget what the watched and the on-demand repositories kept fresh have waiting. */
    private void claim(Set<String> fresh) {
        WatchList.Claims c = list.claims(fresh, clock.instant(), this::polls);
        budget.claim(RateBudget.Tier.WATCHED, c.watched());
        budget.claim(RateBudget.Tier.ON_DEMAND, c.onDemand());
    }

    /** Runs a poll of {@code key} if this replica owns it; false only when the poll was stopped by the budget. */
    private boolean mine(String key, java.util.function.BooleanSupplier poll) {
        Membership m = shares;
        if (m == null) {
            return poll.getAsBoolean();
        }
        boolean[] going = {true};
        m.hold(key, () -> going[0] = poll.getAsBoolean());
        return going[0];
    }

    /** Whether this replica polls the repository (always, without Kafka). */
    public boolean polls(String key) {
        Membership m = shares;
        return m == null || m.owns(key);
    }

    /**
     * Whether this replica's poller keeps the repository's state (it polls it); with the poller off,
     * none: the state of every repository comes from the replicas that poll them.
     */
    public boolean keeps(String key) {
        return pollerConfig.enabled() && polls(key);
    }

    /** One poll of the repository's events; false when the budget stopped it. */
    private boolean pollEvents(String key, WatchedRepository w) {
        EventsPoller.FeedPoll result = poller.pollFeed(w.repository, w.events,
                GitHubRequest.repoEvents(w.repository, pollerConfig.perPage()), w.onDemand);
        Counter.builder("github.watch.poll").tag("outcome", result.outcome())
                .description("Polls of watched repositories' events by outcome").register(registry).increment();
        boolean budgetStopped = result.lastStatus() == 0 && "rate_limited".equals(result.outcome());
        Instant now = clock.instant();
        Optional<Availability> unavailable = Availability.fromAnswer(result.lastStatus(), result.errorBody(), json);
        list.update(key, !budgetStopped, live -> {
            live.events = w.events;
            if (unavailable.isPresent()) {
                unavailable.get().applyTo(live, now, config.unavailableRetry());
                live.events.consecutiveFailures = 0; // not a failure to back off from: a state, tried again later
            } else if ("ok".equals(result.outcome()) || "not_modified".equals(result.outcome())) {
                if (live.status != WatchedRepository.Status.ACTIVE && live.status != WatchedRepository.Status.PENDING) {
                    LOG.infof("watch: %s answers again", live.repository);
                }
                live.status = WatchedRepository.Status.ACTIVE;
                live.retryAt = null;
                live.lastError = null;
                if (live.eventsSince == null) {
                    live.eventsSince = live.events.lastSuccessAt;
                }
                if (live.completeSince == null && live.pulls.loaded) {
                    live.completeSince = live.eventsSince;
                }
            } else if (!budgetStopped) {
                live.lastError = result.lastStatus() == 0 ? "no answer from GitHub (" + result.outcome() + ")"
                        : "GitHub answered " + result.lastStatus() + " (" + result.outcome() + ")";
                live.lastErrorAt = now;
            }
        });
        return !budgetStopped;
    }
}
