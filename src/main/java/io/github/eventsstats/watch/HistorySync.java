package io.github.eventsstats.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.eventsstats.github.EventsPage;
import io.github.eventsstats.github.GitHubEventsClient;
import io.github.eventsstats.github.GitHubRequest;
import io.github.eventsstats.github.RateBudget;
import io.github.eventsstats.platform.Backoff;
import io.github.eventsstats.platform.Printable;
import io.github.eventsstats.watch.HistoryStore.Comment;
import io.github.eventsstats.watch.HistoryStore.CommentKind;
import io.github.eventsstats.watch.HistoryStore.Item;
import io.github.eventsstats.watch.HistoryStore.ItemKind;
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
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * A repository's history from its four REST lists, each the most recently updated first:
 * {@code pulls?state=all} (into `pull_requests`, which pr-average counts, and `lifecycle_items`),
 * {@code issues?state=all} (its PR items are not issues), {@code issues/comments} and
 * {@code pulls/comments} (into `lifecycle_comments`). Passes as {@link WatchedRepository.ListState}
 * describes them, following {@code Link} only within GITHUB_API_URL, at most
 * WATCH_PULLS_PAGES_PER_TICK pages a call, each page under a permit of the shared rate budget
 * (in the watched tier, or the on-demand one for a repository on demand).
 * An error answer about the repository (404, 301, 403, 451) gives it its state as the events poll
 * does; any other failure backs that list off on its own. Called from {@link WatchPoller}'s tick,
 * never the event loop.
 */
@ApplicationScoped
class HistorySync {

    private static final Logger LOG = Logger.getLogger(HistorySync.class);
    /** GitHub's largest page. */
    static final int PER_PAGE = 100;

    /** One of a repository's history lists. */
    enum HistoryList {
        PULLS("pulls list", RateBudget.Use.PULLS, w -> w.pulls,
                (repo, since) -> GitHubRequest.pulls(repo, PER_PAGE)),
        ISSUES("issues list", RateBudget.Use.HISTORY, w -> w.issues,
                (repo, since) -> GitHubRequest.issues(repo, since, PER_PAGE)),
        ISSUE_COMMENTS("issue comments", RateBudget.Use.HISTORY, w -> w.issueComments,
                (repo, since) -> GitHubRequest.issueComments(repo, since, PER_PAGE)),
        REVIEW_COMMENTS("review comments", RateBudget.Use.HISTORY, w -> w.reviewComments,
                (repo, since) -> GitHubRequest.reviewComments(repo, since, PER_PAGE));

        final String what;
        final RateBudget.Use use;
        final Function<WatchedRepository, WatchedRepository.ListState> state;
        final java.util.function.BiFunction<String, Instant, GitHubRequest> first;

        HistoryList(String what, RateBudget.Use use, Function<WatchedRepository, WatchedRepository.ListState> state,
                    java.util.function.BiFunction<String, Instant, GitHubRequest> first) {
            this.what = what;
            this.use = use;
            this.state = state;
            this.first = first;
        }

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Puts {@code s} back as this list's state of {@code w}. */
        void set(WatchedRepository w, WatchedRepository.ListState s) {
            switch (this) {
                case PULLS -> w.pulls = (WatchedRepository.PullsState) s;
                case ISSUES -> w.issues = s;
                case ISSUE_COMMENTS -> w.issueComments = s;
                case REVIEW_COMMENTS -> w.reviewComments = s;
            }
        }
    }

    private final WatchList list;
    private final GitHubEventsClient github;
    private final RateBudget budget;
    private final PullRequestStore pullRequests;
    private final HistoryStore history;
    private final WatchConfig config;
    private final ObjectMapper json;
    private final MeterRegistry registry;
    private final InstantSource clock;
    /** After a failure of a list: a minute, doubling, never longer than WATCH_PULLS_INTERVAL. */
    private final Backoff backoff;

    HistorySync(WatchList list, GitHubEventsClient github, RateBudget budget, PullRequestStore pullRequests,
                HistoryStore history, WatchConfig config, ObjectMapper json, MeterRegistry registry, InstantSource clock) {
        this.list = list;
        this.github = github;
        this.budget = budget;
        this.pullRequests = pullRequests;
        this.history = history;
        this.config = config;
        this.json = json;
        this.registry = registry;
        this.clock = clock;
        this.backoff = Backoff.doubling(Duration.ofMinutes(1), config.pullsInterval());
    }

    /** One page's rows, the newest and oldest update among them, and GitHub's spelling of the repository. */
    private record Page(List<PullRequest> pullRequests, List<Item> items, List<Comment> comments, Instant newest,
                        Instant oldest, String fullName) {
    }

    /**
     * Goes on with one of the repository's history lists: a pass starts, or the one under way goes
     * on, for up to WATCH_PULLS_PAGES_PER_TICK pages. False when the rate budget stopped it.
     */
    boolean sync(String key, WatchedRepository w, HistoryList kind) {
        WatchedRepository.ListState p = kind.state.apply(w);
        // A pass saved under another GITHUB_API_URL starts over: the client would not send its page.
        boolean fresh = p.nextUrl == null || !github.withinApi(p.nextUrl);
        Instant stopBefore = p.loaded ? p.watermark : null;
        GitHubRequest request = fresh ? kind.first.apply(w.repository, stopBefore) : GitHubRequest.link(p.nextUrl);
        String firstEtag = null; // kept only by a pass that ends within this call
        for (int pages = 0; pages < config.pullsPagesPerTick(); pages++) {
            Instant now = clock.instant();
            RateBudget.Use use = w.onDemand ? RateBudget.Use.ON_DEMAND : kind.use;
            Optional<RateBudget.Permit> permit = budget.tryAcquire(use, now);
            if (permit.isEmpty()) {
                p.nextSyncAt = budget.retryAt(use, now);
                save(key, kind, p);
                return false;
            }
            boolean first = fresh && pages == 0;
            EventsPage response;
            try {
                response = github.fetch(request, first ? Optional.ofNullable(p.etag) : Optional.empty());
            } catch (IOException e) {
                permit.get().unanswered();
                return failed(key, kind, p, w, "no answer from GitHub (" + describe(e) + ")", now, Optional.empty());
            } catch (InterruptedException e) {
                permit.get().unanswered();
                Thread.currentThread().interrupt();
                save(key, kind, p);
                return false;
            }
            permit.get().answered(response.rateLimit());
            if (response.notModified()) {
                count(kind, "not_modified");
                return ended(key, kind, p, w, p.etag, response.receivedAt()); // nothing changed since the last pass
            }
            Optional<Availability> unavailable = Availability.fromAnswer(response.status(), response.body(), json);
            if (unavailable.isPresent()) {
                count(kind, "unavailable");
                Instant at = response.receivedAt();
                list.update(key, false, live -> {
                    unavailable.get().applyTo(live, at, config.unavailableRetry());
                    kind.set(live, p);
                });
                return true;
            }
            if (!response.ok()) {
                count(kind, response.rateLimited() ? "rate_limited" : "error");
                return failed(key, kind, p, w, "GitHub answered " + response.status() + " for the " + kind.what,
                        response.receivedAt(), response.rateLimited() ? response.toldToWaitUntil() : Optional.empty());
            }
            Page page;
            try {
                page = parse(kind, response.body(), w);
            } catch (IOException | RuntimeException e) {
                count(kind, "error");
                return failed(key, kind, p, w, "malformed page of the " + kind.what + " (" + describe(e) + ")",
                        response.receivedAt(), Optional.empty());
            }
            try {
                pullRequests.insert(page.pullRequests(), response.receivedAt());
                history.insertItems(page.items(), response.receivedAt());
                history.insertComments(page.comments(), response.receivedAt());
            } catch (RuntimeException e) {
                count(kind, "error");
                return failed(key, kind, p, w, "ClickHouse did not take the " + kind.what + " (" + describe(e) + ")",
                        response.receivedAt(), Optional.empty());
            }
            count(kind, "ok");
            p.pagesLoaded++;
            if (page.fullName() != null && p instanceof WatchedRepository.PullsState pulls) {
                pulls.fullName = page.fullName();
            }
            if (first) {
                p.loadingWatermark = null;
                firstEtag = response.etag().orElse(null);
            }
            p.loadingWatermark = later(p.loadingWatermark, page.newest());
            Optional<String> next = response.nextUrl();
            if (next.isPresent() && !github.withinApi(next.get())) {
                return failed(key, kind, p, w, "the " + kind.what + "'s Link points outside GITHUB_API_URL ("
                        + Printable.of(next.get()) + "); not following it", response.receivedAt(), Optional.empty());
            }
            // The list is the most recently updated first: past an item updated before the
            // watermark, every later page was seen by an earlier pass.
            boolean reaches = stopBefore != null && page.oldest() != null && page.oldest().isBefore(stopBefore);
            if (reaches || next.isEmpty()) {
                return ended(key, kind, p, w, firstEtag, response.receivedAt());
            }
            request = GitHubRequest.link(next.get());
            p.nextUrl = next.get();
        }
        p.nextSyncAt = clock.instant(); // the pass goes on at the next tick
        save(key, kind, p);
        return true;
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }

    /** The rows of one page of {@code kind}. */
    private Page parse(HistoryList kind, byte[] body, WatchedRepository w) throws IOException {
        JsonNode items = json.readTree(body);
        if (items == null || !items.isArray()) {
            throw new IOException("not a JSON array");
        }
        List<PullRequest> prs = new ArrayList<>();
        List<Item> lifecycle = new ArrayList<>();
        List<Comment> comments = new ArrayList<>();
        Instant newest = null;
        Instant oldest = null;
        String fullName = null;
        String stored = w.storedName();
        for (JsonNode node : items) {
            Instant createdAt = time(node.path("created_at"));
            Instant updatedAt = time(node.path("updated_at"));
            if (createdAt == null) {
                throw new IOException("an item without created_at");
            }
            if (updatedAt == null) {
                updatedAt = createdAt;
            }
            String login = node.path("user").path("login").asText("");
            boolean bot = "Bot".equals(node.path("user").path("type").asText("")) || login.endsWith("[bot]");
            switch (kind) {
                case PULLS -> {
                    long number = number(node.path("number").asLong(0));
                    // GitHub's spelling: its events carry the same, whatever spelling the watch was given.
                    String name = node.path("base").path("repo").path("full_name").asText(w.repository);
                    name = WatchList.valid(name) ? name : w.repository;
                    fullName = fullName == null ? name : fullName;
                    Instant closedAt = time(node.path("closed_at"));
                    Instant mergedAt = time(node.path("merged_at"));
                    prs.add(new PullRequest(name, number, createdAt, closedAt, mergedAt, node.path("state").asText("")));
                    lifecycle.add(new Item(name, number, ItemKind.PULL, createdAt, updatedAt, closedAt, mergedAt, login, bot));
                }
                case ISSUES -> {
                    if (!node.has("pull_request")) { // a PR's issue side: the pulls list has it, with its merge
                        lifecycle.add(new Item(stored, number(node.path("number").asLong(0)), ItemKind.ISSUE, createdAt,
                                updatedAt, time(node.path("closed_at")), null, login, bot));
                    }
                }
                case ISSUE_COMMENTS -> comments.add(new Comment(stored, numberAtEnd(node.path("issue_url")),
                        CommentKind.ISSUE_COMMENT, id(node), createdAt, login, bot));
                case REVIEW_COMMENTS -> comments.add(new Comment(stored, numberAtEnd(node.path("pull_request_url")),
                        CommentKind.REVIEW_COMMENT, id(node), createdAt, login, bot));
            }
            newest = later(newest, updatedAt);
            oldest = oldest == null || updatedAt.isBefore(oldest) ? updatedAt : oldest;
        }
        return new Page(prs, lifecycle, comments, newest, oldest, fullName);
    }

    private static long number(long number) throws IOException {
        if (number <= 0 || number > 0xFFFF_FFFFL) {
            throw new IOException("an item without a number");
        }
        return number;
    }

    private static long id(JsonNode comment) throws IOException {
        long id = comment.path("id").asLong(0);
        if (id <= 0) {
            throw new IOException("a comment without an id");
        }
        return id;
    }

    /** The number a comment's issue_url or pull_request_url ends in (…/issues/42, …/pulls/42). */
    private static long numberAtEnd(JsonNode url) throws IOException {
        String text = url.asText("");
        int slash = text.lastIndexOf('/');
        try {
            return number(Long.parseLong(text.substring(slash + 1)));
        } catch (NumberFormatException e) {
            throw new IOException("a comment whose item is not named by a number");
        }
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

    /** The pass reached its end: items seen before, or the list's last page. */
    private boolean ended(String key, HistoryList kind, WatchedRepository.ListState p, WatchedRepository w, String etag,
                          Instant now) {
        p.nextUrl = null;
        p.watermark = later(p.watermark, p.loadingWatermark);
        p.loadingWatermark = null;
        boolean firstLoad = !p.loaded;
        p.loaded = true;
        if (p.loadedAt == null) {
            p.loadedAt = now;
        }
        if (p instanceof WatchedRepository.PullsState pulls) {
            try {
                PullRequestStore.Stored stored = pullRequests.stored(pulls.fullName != null ? pulls.fullName : w.repository);
                pulls.stored = stored.pullRequests();
                pulls.firstCreatedAt = stored.firstCreatedAt();
            } catch (RuntimeException e) {
                LOG.debugf("watch: %s: PRs stored not counted (%s)", w.repository, describe(e));
            }
        }
        p.etag = etag;
        p.lastSyncAt = now;
        p.nextSyncAt = now.plus(config.pullsInterval());
        p.lastError = null;
        p.consecutiveFailures = 0;
        if (firstLoad) {
            LOG.infof("watch: %s: %s loaded (%d page%s)", w.repository, kind.what, p.pagesLoaded, p.pagesLoaded == 1 ? "" : "s");
        }
        list.update(key, false, live -> {
            kind.set(live, p);
            if (live.completeSince == null && live.status == WatchedRepository.Status.ACTIVE && live.eventsSince != null
                    && live.pulls.loaded) {
                live.completeSince = live.eventsSince;
            }
        });
        return true;
    }

    /** A failure of one list alone: it backs off (never sooner than GitHub said); the pass resumes later. */
    private boolean failed(String key, HistoryList kind, WatchedRepository.ListState p, WatchedRepository w, String why,
                           Instant now, Optional<Instant> toldUntil) {
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
        save(key, kind, p);
        return true;
    }

    private void save(String key, HistoryList kind, WatchedRepository.ListState p) {
        list.update(key, false, live -> kind.set(live, p));
    }

    private void count(HistoryList kind, String outcome) {
        if (kind == HistoryList.PULLS) {
            Counter.builder("github.watch.pulls").tag("outcome", outcome)
                    .description("Pages of watched repositories' pulls lists by outcome").register(registry).increment();
        }
        Counter.builder("github.watch.history").tag("list", kind.tag()).tag("outcome", outcome)
                .description("Pages of watched repositories' history lists by list and outcome").register(registry)
                .increment();
    }

    private static String describe(Exception e) {
        return e.getMessage() != null ? Printable.of(e.getMessage()) : e.getClass().getSimpleName();
    }
}
