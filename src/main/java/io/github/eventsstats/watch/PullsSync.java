package io.github.eventsstats.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.eventsstats.platform.Printable;
import io.github.eventsstats.github.EventsPage;
import io.github.eventsstats.github.GitHubEventsClient;
import io.github.eventsstats.github.GitHubRequest;
import io.github.eventsstats.github.RateBudget;
import io.github.eventsstats.platform.Backoff;
import io.github.eventsstats.watch.PullRequestStore.PullRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A watched repository's pull-request history from {@code GET /repos/{owner}/{repo}/pulls}
 * (newest first, open and closed), into `pull_requests`, from where pr_metrics_agg counts every
 * PR by its number. Passes as {@link WatchedRepository.PullsState} describes them, at most
 * WATCH_PULLS_PAGES_PER_TICK pages a call, each page under a permit of the shared rate budget.
 * An error answer about the repository (404, 301, 403, 451) gives it its state as the events poll
 * does; any other failure backs the pulls list off on its own. Called from {@link WatchPoller}'s
 * tick, never the event loop.
 */
@ApplicationScoped
class PullsSync {

    private static final Logger LOG = Logger.getLogger(PullsSync.class);
    /** GitHub's largest page. */
    static final int PER_PAGE = 100;

    private final WatchList list;
    private final GitHubEventsClient github;
    private final RateBudget budget;
    private final PullRequestStore store;
    private final WatchConfig config;
    private final ObjectMapper json;
    private final MeterRegistry registry;
    private final InstantSource clock;
    /** After a failure of the pulls list: a minute, doubling, never longer than WATCH_PULLS_INTERVAL. */
    private final Backoff backoff;

    PullsSync(WatchList list, GitHubEventsClient github, RateBudget budget, PullRequestStore store, WatchConfig config,
              ObjectMapper json, MeterRegistry registry, InstantSource clock) {
        this.list = list;
        this.github = github;
        this.budget = budget;
        this.store = store;
        this.config = config;
        this.json = json;
        this.registry = registry;
        this.clock = clock;
        this.backoff = Backoff.doubling(Duration.ofMinutes(1), config.pullsInterval());
    }

    /** One page's PRs, the newest number among them, and whether one of an earlier pass is among them. */
    private record Page(List<PullRequest> pullRequests, long newest, boolean reaches) {
    }

    /**
     * Goes on with the repository's pulls history: a pass starts, or the one under way goes on,
     * for up to WATCH_PULLS_PAGES_PER_TICK pages. False when the rate budget stopped it.
     */
    boolean sync(String key, WatchedRepository w) {
        WatchedRepository.PullsState p = w.pulls;
        // A pass saved under another GITHUB_API_URL starts over: the client would not send its page.
        boolean fresh = p.nextUrl == null || !github.withinApi(p.nextUrl);
        GitHubRequest request = fresh ? GitHubRequest.pulls(w.repository, PER_PAGE) : GitHubRequest.link(p.nextUrl);
        long stopAt = p.loaded ? p.newestNumber : 0;
        String firstEtag = null; // kept only by a pass that ends within this call
        for (int pages = 0; pages < config.pullsPagesPerTick(); pages++) {
            Instant now = clock.instant();
            Optional<RateBudget.Permit> permit = budget.tryAcquire(RateBudget.Use.PULLS, now);
            if (permit.isEmpty()) {
                p.nextSyncAt = budget.retryAt(now);
                save(key, p);
                return false;
            }
            boolean first = fresh && pages == 0;
            EventsPage response;
            try {
                response = github.fetch(request, first ? Optional.ofNullable(p.etag) : Optional.empty());
            } catch (IOException e) {
                permit.get().unanswered();
                return failed(key, w, "no answer from GitHub (" + describe(e) + ")", now, Optional.empty());
            } catch (InterruptedException e) {
                permit.get().unanswered();
                Thread.currentThread().interrupt();
                save(key, p);
                return false;
            }
            permit.get().answered(response.rateLimit());
            if (response.notModified()) {
                count("not_modified");
                return ended(key, w, p.etag, response.receivedAt()); // nothing changed since the last pass
            }
            Optional<Availability> unavailable = Availability.fromAnswer(response.status(), response.body(), json);
            if (unavailable.isPresent()) {
                count("unavailable");
                Instant at = response.receivedAt();
                list.update(key, false, live -> {
                    unavailable.get().applyTo(live, at, config.unavailableRetry());
                    live.pulls = p;
                });
                return true;
            }
            if (!response.ok()) {
                count(response.rateLimited() ? "rate_limited" : "error");
                return failed(key, w, "GitHub answered " + response.status() + " for the pulls list", response.receivedAt(),
                        response.rateLimited() ? response.toldToWaitUntil() : Optional.empty());
            }
            Page page;
            try {
                page = parse(response.body(), w.repository, stopAt);
            } catch (IOException | RuntimeException e) {
                count("error");
                return failed(key, w, "malformed pulls page (" + describe(e) + ")", response.receivedAt(), Optional.empty());
            }
            try {
                store.insert(page.pullRequests(), response.receivedAt());
            } catch (RuntimeException e) {
                count("error");
                return failed(key, w, "ClickHouse did not take the pull requests (" + describe(e) + ")",
                        response.receivedAt(), Optional.empty());
            }
            count("ok");
            if (!page.pullRequests().isEmpty()) {
                p.fullName = page.pullRequests().getFirst().repoName();
            }
            if (first) {
                p.loadingNewest = page.newest();
                firstEtag = response.etag().orElse(null);
            }
            Optional<String> next = response.nextUrl();
            if (next.isPresent() && !github.withinApi(next.get())) {
                return failed(key, w, "the pulls list's Link points outside GITHUB_API_URL (" + Printable.of(next.get())
                        + "); not following it", response.receivedAt(), Optional.empty());
            }
            if (page.reaches() || next.isEmpty()) {
                return ended(key, w, firstEtag, response.receivedAt());
            }
            request = GitHubRequest.link(next.get());
            p.nextUrl = next.get();
        }
        p.nextSyncAt = clock.instant(); // the pass goes on at the next tick
        save(key, p);
        return true;
    }

    /**
     * The PRs of one page. {@code reaches}: a PR of an earlier pass is among them (numbers grow
     * with creation, and the list is newest first), so the pages after it hold nothing new.
     */
    private Page parse(byte[] body, String repository, long stopAt) throws IOException {
        JsonNode items = json.readTree(body);
        if (items == null || !items.isArray()) {
            throw new IOException("not a JSON array");
        }
        List<PullRequest> prs = new ArrayList<>(items.size());
        long newest = 0;
        boolean reaches = false;
        for (JsonNode pr : items) {
            long number = pr.path("number").asLong(0);
            Instant createdAt = time(pr.path("created_at"));
            if (number <= 0 || number > 0xFFFF_FFFFL || createdAt == null) {
                throw new IOException("a pull request without a number or created_at");
            }
            // GitHub's spelling: its events carry the same, whatever spelling the watch was given.
            String name = pr.path("base").path("repo").path("full_name").asText(repository);
            prs.add(new PullRequest(WatchList.valid(name) ? name : repository, number, createdAt,
                    time(pr.path("closed_at")), time(pr.path("merged_at")), pr.path("state").asText("")));
            newest = Math.max(newest, number);
            reaches |= stopAt > 0 && number <= stopAt;
        }
        return new Page(prs, newest, reaches);
    }

    private static Instant time(JsonNode node) {
        if (!node.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The pass reached its end: known PRs, or the oldest one. */
    private boolean ended(String key, WatchedRepository w, String etag, Instant now) {
        WatchedRepository.PullsState p = w.pulls;
        p.nextUrl = null;
        p.newestNumber = Math.max(p.newestNumber, p.loadingNewest);
        p.loadingNewest = 0;
        boolean firstLoad = !p.loaded;
        p.loaded = true;
        if (p.loadedAt == null) {
            p.loadedAt = now;
        }
        try {
            PullRequestStore.Stored stored = store.stored(p.fullName != null ? p.fullName : w.repository);
            p.stored = stored.pullRequests();
            p.firstCreatedAt = stored.firstCreatedAt();
        } catch (RuntimeException e) {
            LOG.debugf("watch: %s: PRs stored not counted (%s)", w.repository, describe(e));
        }
        p.etag = etag;
        p.lastSyncAt = now;
        p.nextSyncAt = now.plus(config.pullsInterval());
        p.lastError = null;
        p.consecutiveFailures = 0;
        if (firstLoad) {
            LOG.infof("watch: %s: pull-request history loaded (%d PRs)", w.repository, p.stored);
        }
        list.update(key, false, live -> {
            live.pulls = p;
            if (live.completeSince == null && live.status == WatchedRepository.Status.ACTIVE && live.eventsSince != null) {
                live.completeSince = live.eventsSince;
            }
        });
        return true;
    }

    /** A failure of the pulls list alone: it backs off (never sooner than GitHub said); the pass resumes later. */
    private boolean failed(String key, WatchedRepository w, String why, Instant now, Optional<Instant> toldUntil) {
        WatchedRepository.PullsState p = w.pulls;
        int n = ++p.consecutiveFailures;
        Instant next = now.plus(backoff.after(n));
        if (toldUntil.isPresent() && toldUntil.get().isAfter(next)) {
            next = toldUntil.get();
        }
        p.nextSyncAt = next;
        p.lastError = why;
        p.lastErrorAt = now;
        if (Backoff.worthLogging(n)) {
            LOG.warnf("watch: %s: %s; failure %d in a row, next try at %s", w.repository, why, n, next);
        }
        save(key, p);
        return true;
    }

    private void save(String key, WatchedRepository.PullsState p) {
        list.update(key, false, live -> live.pulls = p);
    }

    private void count(String outcome) {
        Counter.builder("github.watch.pulls").tag("outcome", outcome)
                .description("Pages of watched repositories' pulls lists by outcome").register(registry).increment();
    }

    private static String describe(Exception e) {
        return e.getMessage() != null ? Printable.of(e.getMessage()) : e.getClass().getSimpleName();
    }
}
