package io.github.eventsstats.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.eventsstats.github.EventsPage;
import io.github.eventsstats.github.GitHubConfig;
import io.github.eventsstats.github.GitHubEventsClient;
import io.github.eventsstats.github.GitHubRequest;
import io.github.eventsstats.github.RateBudget;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fetches the GitHub profiles of the actors and repositories seen in stored events, in the
 * background: each run asks ClickHouse for the most recently active ones without a fresh profile
 * (none, or checked more than ENRICH_TTL ago), then asks GitHub for them, actors and repositories
 * in turn, each request only with a permit of the shared rate budget (which keeps what the
 * pollers need), a stale profile conditionally with its ETag (a 304 is free). A 404 is stored as
 * such and waits the TTL like a profile; a failure (5xx, timeout, a body that is no profile)
 * waits ENRICH_FAILURE_RETRY in memory; a rate-limit answer stops the runs until GitHub's reset.
 * On its own scheduled job, writing on the shared ClickHouse lane: nothing here holds up ingestion.
 */
@ApplicationScoped
public class Enricher {

    private static final Logger LOG = Logger.getLogger(Enricher.class);
    public static final String JOB = "github-enricher";
    /** Bounds the failures remembered (each waits ENRICH_FAILURE_RETRY); the oldest go first. */
    static final int MAX_FAILURES = 10_000;

    /** What one request came to, as the {@code enrich.requests} counter tags it. */
    enum Outcome {
        FETCHED, REFRESHED, NOT_MODIFIED, NOT_FOUND, UNAVAILABLE, FAILED, RATE_LIMITED;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The rows one run stores: new or changed profiles, and the keys GitHub answered 304 for. */
    private record Writes(Map<Kind, List<ObjectNode>> rows, Map<Kind, List<String>> unchanged) {
        Writes() {
            this(new EnumMap<>(Kind.class), new EnumMap<>(Kind.class));
        }
    }

    private final EnrichConfig config;
    private final boolean on;
    private final GitHubEventsClient github;
    private final RateBudget budget;
    private final EnrichmentStore store;
    private final ObjectMapper json;
    private final MeterRegistry registry;
    private final InstantSource clock;
    private final Map<Kind, AtomicLong> queued = new EnumMap<>(Kind.class);
    /** Entries whose request failed, and when they may be asked again. */
    private final Map<Kind, Map<String, Instant>> failed = new EnumMap<>(Kind.class);
    private Instant pausedUntil;
    private LocationResolver places;

    Enricher(EnrichConfig config, GitHubConfig githubConfig, GitHubEventsClient github, RateBudget budget,
             EnrichmentStore store, ObjectMapper json, MeterRegistry registry, InstantSource clock) {
        this.config = config;
        this.on = config.on(githubConfig.token());
        this.github = github;
        this.budget = budget;
        this.store = store;
        this.json = json;
        this.registry = registry;
        this.clock = clock;
        for (Kind kind : Kind.values()) {
            queued.put(kind, new AtomicLong());
            failed.put(kind, new LinkedHashMap<>());
            Gauge.builder("enrich.queue", queued.get(kind), AtomicLong::get).tag("kind", kind.tag())
                    .description("Recently active entries without a fresh profile, at the last run").register(registry);
        }
    }

    void onStart(@Observes StartupEvent event) {
        if (on) {
            LOG.infof("enrich: profiles of the actors and repositories active in the last %s, checked again after %s,"
                    + " every %s from what the rate budget leaves", config.lookback(), config.ttl(), config.interval());
        }
    }

    public boolean enabled() {
        return on;
    }

    /** The first run waits an interval: the start-up (schema, the firehose's first poll) goes first. */
    @Scheduled(identity = JOB, every = "${enrich.interval}", delayed = "${enrich.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = EnrichDisabled.class)
    void scheduledRun() {
        run();
    }

    /** One run: finds what to fetch, fetches while the budget allows, stores what came. */
    public synchronized void run() {
        Instant now = clock.instant();
        if (pausedUntil != null && now.isBefore(pausedUntil)) {
            return;
        }
        failed.values().forEach(f -> f.values().removeIf(at -> !at.isAfter(now)));
        // Nothing to spend, nothing to ask ClickHouse: the permit is taken before the candidates.
        Optional<RateBudget.Permit> permit = budget.tryAcquire(RateBudget.Use.ENRICHMENT, now);
        if (permit.isEmpty()) {
            return;
        }
        Map<Kind, ArrayDeque<EnrichmentStore.Candidate>> todo = new EnumMap<>(Kind.class);
        try {
            for (Kind kind : Kind.values()) {
                EnrichmentStore.Candidates c = store.candidates(kind, now.minus(config.lookback()),
                        now.minus(config.ttl()), failed.get(kind).keySet(), config.batch());
                queued.get(kind).set(c.queued());
                todo.put(kind, new ArrayDeque<>(c.entries()));
            }
        } catch (RuntimeException e) {
            permit.get().unanswered();
            LOG.debugf("enrich: no candidates this run (%s)", e.getMessage());
            return;
        }
        Writes writes = new Writes();
        RateBudget.Permit next = permit.get();
        boolean more = true;
        while (more && todo.values().stream().anyMatch(q -> !q.isEmpty())) {
            for (Kind kind : Kind.values()) {
                EnrichmentStore.Candidate c = todo.get(kind).pollFirst();
                if (c == null) {
                    continue;
                }
                if (next == null) {
                    next = budget.tryAcquire(RateBudget.Use.ENRICHMENT, clock.instant()).orElse(null);
                    if (next == null) {
                        more = false;
                        break;
                    }
                }
                Outcome outcome = fetch(kind, c, next, writes);
                next = null;
                count(kind, outcome);
                if (outcome == Outcome.RATE_LIMITED || Thread.currentThread().isInterrupted()) {
                    more = false;
                    break;
                }
            }
        }
        if (next != null) {
            next.unanswered(); // taken and not sent
        }
        store(writes);
    }

    private Outcome fetch(Kind kind, EnrichmentStore.Candidate c, RateBudget.Permit permit, Writes writes) {
        GitHubRequest request = kind == Kind.ACTOR ? GitHubRequest.user(c.key()) : GitHubRequest.repository(c.key());
        Optional<String> etag = c.status().equals(ProfileStatus.OK.tag()) && !c.etag().isEmpty()
                ? Optional.of(c.etag()) : Optional.empty();
        EventsPage answer;
        try {
            answer = github.fetch(request, etag);
        } catch (IOException e) {
            permit.unanswered();
            return failed(kind, c, "no answer (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            permit.unanswered();
            Thread.currentThread().interrupt();
            return Outcome.FAILED;
        }
        permit.answered(answer.rateLimit());
        Instant now = answer.receivedAt();
        if (answer.ok()) {
            ObjectNode row;
            try {
                JsonNode body = json.readTree(answer.body());
                row = kind == Kind.ACTOR ? ProfileRows.actor(c.key(), body, places()) : ProfileRows.repository(c.key(), body);
            } catch (IOException | IllegalArgumentException e) {
                return failed(kind, c, "a 200 without a profile (" + e.getMessage() + ")");
            }
            add(writes.rows(), kind, ProfileRows.stamped(row, ProfileStatus.OK, answer.etag().orElse(""), now, now));
            return c.stored() ? Outcome.REFRESHED : Outcome.FETCHED;
        }
        if (answer.notModified() && c.stored()) {
            add(writes.unchanged(), kind, c.key());
            return Outcome.NOT_MODIFIED;
        }
        boolean rateLimit = answer.rateLimited() && (answer.toldToWaitUntil().isPresent()
                || new String(answer.body(), java.nio.charset.StandardCharsets.UTF_8).toLowerCase(Locale.ROOT).contains("rate limit"));
        Optional<ProfileStatus> lasting = ProfileStatus.ofError(answer.status(), rateLimit);
        if (lasting.isPresent()) {
            add(writes.rows(), kind, ProfileRows.stamped(ProfileRows.without(kind, c.key()), lasting.get(), "", null, now));
            return lasting.get() == ProfileStatus.NOT_FOUND ? Outcome.NOT_FOUND : Outcome.UNAVAILABLE;
        }
        if (rateLimit) {
            pausedUntil = answer.toldToWaitUntil().orElse(budget.retryAt(now));
            LOG.infof("enrich: GitHub answered %d (rate limit); enrichment waits until %s", answer.status(), pausedUntil);
            return Outcome.RATE_LIMITED;
        }
        return failed(kind, c, "GitHub answered " + answer.status());
    }

    private Outcome failed(Kind kind, EnrichmentStore.Candidate c, String why) {
        Map<String, Instant> f = failed.get(kind);
        if (f.size() >= MAX_FAILURES) {
            f.remove(f.keySet().iterator().next());
        }
        Instant retry = clock.instant().plus(config.failureRetry());
        f.put(c.key(), retry);
        LOG.debugf("enrich: %s %s: %s; next try after %s", kind.tag(), c.key(), why, retry);
        return Outcome.FAILED;
    }

    private void store(Writes writes) {
        for (Kind kind : Kind.values()) {
            try {
                store.save(kind, writes.rows().getOrDefault(kind, List.of()));
                store.touch(kind, writes.unchanged().getOrDefault(kind, List.of()), clock.instant());
            } catch (RuntimeException e) {
                // Lost for now: the entries are still stale, so a later run asks again.
                LOG.warnf("enrich: %s profiles not stored (%s)", kind.tag(), e.getMessage());
            }
        }
    }

    /** The place lists load on the first actor profile, never when enrichment is off. */
    private LocationResolver places() {
        if (places == null) {
            places = new LocationResolver(GeoData.load());
        }
        return places;
    }

    private void count(Kind kind, Outcome outcome) {
        Counter.builder("enrich.requests").tag("kind", kind.tag()).tag("outcome", outcome.tag())
                .description("Profile requests to GitHub by kind and outcome").register(registry).increment();
    }

    private static <T> void add(Map<Kind, List<T>> map, Kind kind, T value) {
        map.computeIfAbsent(kind, k -> new ArrayList<>()).add(value);
    }
}
