package io.github.eventsstats.bench;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.metrics.LifecycleQueries;
import io.github.eventsstats.watch.HistoryStore;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The lifecycle endpoints' benchmark (run by bench/lifecycle-bench.sh, not by the tests): fills
 * lifecycle_items and lifecycle_comments of a running service's engine with generated histories,
 * and their items' facts (lifecycle_facts) as the service keeps them ({@link HistoryStore}), then asks /metrics/pull-requests, /metrics/issues and /metrics/compare about a spread of
 * repositories and windows, one request at a time. Each request's engine time is the engine's own
 * time (elapsed, as it reports it per query) of the SQL that answer runs ({@link LifecycleQueries}
 * ITEMS per kind, ITEMS_OF_REPOSITORIES for a comparison: both kinds in one query, or an earlier
 * build's once per kind), sent again right after it with the same
 * parameters: the embedded engine keeps no system.query_log. Arguments are key=value: engine,
 * user, password, database, service, repos (10000), items (2000000), comments (10000000),
 * rounds (requests per repository and window), generate (false: the tables are filled already),
 * before (the name of another build's LifecycleQueries class on the class path, such as an earlier
 * commit's compiled apart: what its answers ran, timed beside this build's queries, in turns, with
 * the same parameters).
 */
public final class LifecycleBench {

    /** A repository's index r (0 = busiest) from a hash: r = repos * u^3, so a few are huge and most small. */
    private static final String REPO = "toUInt32(floor({repos:UInt32} * pow((%1$s %% 1000000007) / 1000000007.0, 3)))";
    private static final String REPO_NAME = "concat('org-', toString(%1$s %% 997), '/repo-', toString(%1$s))";
    /**
     * Item k's creation: over the 3 years before {now}, the recent ones more often, in the order of
     * k, so that a repository's numbers grow with time as GitHub's do.
     */
    private static final String CREATED = "{now:DateTime('UTC')} - toIntervalSecond(toUInt32(94608000 * pow("
            + "1 - %1$s / {items:UInt64}, 1.5)))";
    /** 8% bots (typed Bot and named [bot]), the others from 200,000 people, a few busy. */
    private static final String BOT = "(intDiv(%1$s, 1099511627776) %% 100 < 8)";
    private static final String AUTHOR = "if(" + BOT + ", ['dependabot[bot]', 'renovate[bot]', 'github-actions[bot]']"
            + "[1 + intDiv(%1$s, 65536) %% 3], concat('user-', toString(1 + toUInt32(200000 * pow("
            + "(intDiv(%1$s, 4096) %% 1000003) / 1000003.0, 2)))))";

    /**
     * Items k in [first, first + n): item k is number k + 1 of its repository (numbers are unique
     * per repository, as GitHub's, not dense). 60% PRs: 65% merged, 15% closed unmerged, the rest
     * open; issues 70% closed. Closed a minute to ~2 months after creation (log-uniform); still
     * open if that is past now.
     */
    private static final String ITEMS = """
            INSERT INTO lifecycle_items (repo_name, number, kind, created_at, updated_at, closed_at, merged_at,
                                         author_login, author_bot, fetched_at)
            SELECT repo_name, item, kind, created, greatest(created, ifNull(closed, created)), closed,
                   if(kind = 'pull' AND fate < 65, closed, NULL), author, bot, now64(3)
            FROM
            (
                SELECT %s AS repo_name, toUInt32(k + 1) AS item,
                       if(intDiv(h, 1048576) %% 100 < 60, 'pull', 'issue') AS kind, %s AS created,
                       intDiv(h, 281474976710656) %% 100 AS fate,
                       created + toIntervalSecond(toUInt32(60 * exp((intDiv(h, 256) %% 1000) / 1000.0 * 11.5))) AS ends,
                       if((kind = 'pull' AND fate < 80 OR kind = 'issue' AND fate < 70) AND ends <= {now:DateTime('UTC')},
                          toNullable(ends), NULL) AS closed,
                       %s AS author, %s AS bot
                FROM (SELECT number AS k, cityHash64(number, 25) AS h, %s AS r FROM numbers({first:UInt64}, {n:UInt64}))
            )
            """.formatted(REPO_NAME.formatted("r"), CREATED.formatted("k"), AUTHOR.formatted("h"), BOT.formatted("h"),
            REPO.formatted("h"));

    /**
     * An earlier sync of every 20th item, still open then: a row the later one replaces (by
     * updated_at), as a history synced again leaves them until parts merge.
     */
    private static final String RESYNCED = """
            INSERT INTO lifecycle_items (repo_name, number, kind, created_at, updated_at, closed_at, merged_at,
                                         author_login, author_bot, fetched_at)
            SELECT repo_name, number, kind, created_at, created_at, NULL, NULL, author_login, author_bot,
                   fetched_at - toIntervalDay(1)
            FROM lifecycle_items WHERE number %% 20 = 0 AND closed_at IS NOT NULL
            """.formatted();

    /**
     * Comments j in [first, first + n) on items drawn skewed (a few items get many, many none; a
     * prime stride spreads the busy ones over time and repositories):
     * 20% by the item's author, 15% by a bot, the rest by others; on PRs 30% are review comments.
     * Posted 30 s to about a week after the item; none after now.
     */
    private static final String COMMENTS = """
            INSERT INTO lifecycle_comments (repo_name, number, kind, comment_id, created_at, author_login, author_bot,
                                            fetched_at)
            SELECT repo_name, toUInt32(k + 1), if(pull AND c %% 10 < 3, 'review_comment', 'issue_comment'), j + 1,
                   posted, multiIf(who < 20, item_author, who < 35, 'github-actions[bot]',
                               concat('user-', toString(1 + toUInt32(200000 * pow((intDiv(c, 4096) %% 1000003) / 1000003.0, 2))))),
                   multiIf(who < 20, item_bot, who < 35, 1, 0), now64(3)
            FROM
            (
                SELECT j, k, c, intDiv(c, 65536) %% 100 AS who, %s AS repo_name,
                       intDiv(h, 1048576) %% 100 < 60 AS pull, %s AS item_author, %s AS item_bot,
                       %s + toIntervalSecond(toUInt32(30 * exp((intDiv(c, 16777216) %% 1000) / 1000.0 * 10))) AS posted
                FROM
                (
                    SELECT number AS j, cityHash64(number, 26) AS c,
                           toUInt64(floor({items:UInt64} * pow((c %% 1000000007) / 1000000007.0, 1.5))) * 1000003
                               %% {items:UInt64} AS k,
                           cityHash64(k, 25) AS h, %s AS r
                    FROM numbers({first:UInt64}, {n:UInt64})
                )
            )
            WHERE posted <= {now:DateTime('UTC')}
            """.formatted(REPO_NAME.formatted("r"), AUTHOR.formatted("h"), BOT.formatted("h"), CREATED.formatted("k"),
            REPO.formatted("h"));

    private static final long CHUNK = 2_000_000;
    /** Repositories whose facts one statement keeps: about a tenth of the data at 10,000. */
    private static final int FACTS_CHUNK = 1_000;
    private static final int[] DAYS = {7, 90, 365};

    private final Client client;
    private final String database;
    private final String service;
    private final HttpClient http = HttpClient.newHttpClient();
    private final int repos;
    private final long items;
    private final long comments;
    private final int rounds;
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    /** Another build's ITEMS and, if it had one, ITEMS_OF_REPOSITORIES; null: none. */
    private final String before;
    private final String beforeOfRepositories;

    private LifecycleBench(Map<String, String> args) {
        this.database = args.getOrDefault("database", "github_stats");
        this.client = BenchSupport.engineClient(args, database);
        this.service = args.get("service");
        this.repos = Integer.parseInt(args.getOrDefault("repos", "10000"));
        this.items = Long.parseLong(args.getOrDefault("items", "2000000"));
        this.comments = Long.parseLong(args.getOrDefault("comments", "10000000"));
        this.rounds = Integer.parseInt(args.getOrDefault("rounds", "6"));
        this.before = args.containsKey("before") ? constant(args.get("before"), "ITEMS") : null;
        this.beforeOfRepositories = args.containsKey("before") ? constant(args.get("before"), "ITEMS_OF_REPOSITORIES") : null;
    }

    /** A String constant of the class {@code name}; null if it has none. */
    private static String constant(String name, String field) {
        try {
            return (String) Class.forName(name).getField(field).get(null);
        } catch (NoSuchFieldException e) {
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("before=" + name + ": " + e, e);
        }
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = BenchSupport.args(argv);
        LifecycleBench bench = new LifecycleBench(args);
        if (!"false".equals(args.get("generate"))) {
            bench.generate();
        }
        bench.measure();
        bench.client.close();
    }

    private void generate() throws Exception {
        long started = System.nanoTime();
        for (long first = 0; first < items; first += CHUNK) {
            run(ITEMS, Map.of("first", first, "n", Math.min(CHUNK, items - first), "repos", repos, "items", items,
                    "now", ClickHouse.dateTime(now)));
        }
        run(RESYNCED, Map.of());
        for (long first = 0; first < comments; first += CHUNK) {
            run(COMMENTS, Map.of("first", first, "n", Math.min(CHUNK, comments - first), "repos", repos,
                    "items", items, "now", ClickHouse.dateTime(now)));
        }
        System.out.printf(Locale.ROOT, "generated in %.1f s; ", (System.nanoTime() - started) / 1e9);
        // The facts, by the service's own statement, as if each repository's history had been written once.
        started = System.nanoTime();
        List<String> names = client.queryAll("SELECT DISTINCT repo_name FROM lifecycle_items ORDER BY repo_name", Map.of(),
                new QuerySettings()).stream().map(r -> r.getString("repo_name")).toList();
        for (int i = 0; i < names.size(); i += FACTS_CHUNK) {
            run(HistoryStore.KEEP_FACTS_OF_REPOSITORIES, Map.of("repos", names.subList(i, Math.min(names.size(), i + FACTS_CHUNK))));
        }
        System.out.printf(Locale.ROOT, "facts kept in %.1f s", (System.nanoTime() - started) / 1e9);
        BenchSupport.settleMerges(client, database, Duration.ofMinutes(10));
        System.out.println();
    }

    private void measure() throws Exception {
        System.out.println("on disk: " + String.join(", ", client.queryAll("""
                SELECT table, sum(bytes_on_disk) AS bytes, sum(rows) AS rows, count() AS parts FROM system.parts
                WHERE active AND database = {db:String} AND table LIKE 'lifecycle%' GROUP BY table ORDER BY table
                """, Map.of("db", database), new QuerySettings()).stream().map(r -> String.format(Locale.ROOT,
                "%s %,d rows in %d parts, %.1f MiB", r.getString("table"), r.getLong("rows"), r.getLong("parts"),
                r.getLong("bytes") / 1048576.0)).toList()));
        // Repositories by size: the busiest, then ranks down to the smallest.
        List<String[]> ranked = client.queryAll("""
                SELECT repo_name, uniqExact(number) AS n, countIf(kind = 'pull') AS pulls FROM lifecycle_items
                GROUP BY repo_name ORDER BY n DESC, repo_name
                """, Map.of(), new QuerySettings()).stream()
                .map(r -> new String[] {r.getString("repo_name"), Long.toString(r.getLong("n"))}).toList();
        List<String[]> picked = new ArrayList<>();
        for (int rank : new int[] {1, 2, 10, 100, 1000, 5000, ranked.size()}) {
            String[] r = ranked.get(Math.min(ranked.size(), rank) - 1);
            picked.add(r);
            System.out.printf(Locale.ROOT, "  rank %5d: %-22s %,7d items%n", rank, r[0], Long.parseLong(r[1]));
        }
        System.out.printf(Locale.ROOT, "%d repositories with items; %d requests per repository and window, one at a time%n",
                ranked.size(), rounds);
        List<String> names = picked.stream().map(r -> r[0]).distinct().toList(); // distinct with few repositories
        warm(names);

        Timings pulls = new Timings();
        Timings issues = new Timings();
        Timings compare = new Timings();
        Map<String, Timings> byRepo = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (int days : DAYS) {
                for (String repo : names) {
                    long h = get("/metrics/pull-requests/" + repo + "?days=" + days);
                    long[] e = engine(List.of(repo), "pull", days);
                    pulls.add(h, e);
                    byRepo.computeIfAbsent(repo + " pull-requests days=" + days, k -> new Timings()).add(h, e);
                    h = get("/metrics/issues/" + repo + "?days=" + days);
                    e = engine(List.of(repo), "issue", days);
                    issues.add(h, e);
                    byRepo.computeIfAbsent(repo + " issues days=" + days, k -> new Timings()).add(h, e);
                }
                // The largest comparison (10: the seven above and three more), and two small ones.
                for (List<String> set : List.of(tenOf(ranked, names), names.subList(names.size() - 2, names.size()),
                        names.subList(0, 2))) {
                    long h = get("/metrics/compare?repos=" + String.join(",", set) + "&days=" + days);
                    long[] e = engineOfComparison(set, days);
                    compare.add(h, e);
                    byRepo.computeIfAbsent("compare " + set.getFirst() + " (" + set.size() + ") days=" + days,
                            k -> new Timings()).add(h, e);
                }
            }
        }
        System.out.printf(Locale.ROOT, "%-40s %6s %8s %8s %8s %8s   %8s %8s %8s %8s   %8s %8s %8s%n", "ms", "n", "eng p50",
                "eng p90", "eng p99", "eng max", "http p50", "http p90", "http p99", "http max", "bef p50", "bef p99",
                "bef max");
        pulls.print("/metrics/pull-requests");
        issues.print("/metrics/issues");
        compare.print("/metrics/compare (2 or 10 repos)");
        System.out.println("-- by repository (a comparison by its first and its size) and window");
        byRepo.forEach((k, t) -> t.print("  " + k));
        keepingFacts(names);
    }

    /**
     * What a written page costs on top of its insert: the facts of 100 items kept again
     * (HistoryStore.KEEP_FACTS), the newest 100 numbers of the busiest and of the smallest
     * repository, engine ms. Run last: it adds rows that replace the same facts.
     */
    private void keepingFacts(List<String> names) throws Exception {
        for (String repo : List.of(names.getFirst(), names.getLast())) {
            List<Long> numbers = client.queryAll("""
                    SELECT number FROM lifecycle_items WHERE repo_name = {repo:String}
                    GROUP BY number ORDER BY number DESC LIMIT 100
                    """, Map.of("repo", repo), new QuerySettings()).stream().map(r -> r.getLong("number")).toList();
            List<Double> ms = new ArrayList<>();
            for (int i = 0; i < Math.max(3, rounds); i++) {
                ms.add(query(HistoryStore.KEEP_FACTS, Map.of("repo", repo, "numbers", numbers)) / 1e6);
            }
            ms.sort(null);
            System.out.printf(Locale.ROOT, "facts of a page (%d items) kept again, %s: engine p50 %.1f ms, max %.1f ms%n",
                    numbers.size(), repo, ms.get(ms.size() / 2), ms.getLast());
        }
    }

    private static List<String> tenOf(List<String[]> ranked, List<String> picked) {
        java.util.Set<String> ten = new java.util.LinkedHashSet<>(picked);
        for (int rank : new int[] {3, 50, 3000}) {
            ten.add(ranked.get(Math.min(ranked.size(), rank) - 1)[0]);
        }
        return List.copyOf(ten);
    }

    /** JIT and the engine's caches: each repository and window once, not timed. */
    private void warm(List<String> names) throws Exception {
        for (String repo : names) {
            for (int days : DAYS) {
                get("/metrics/pull-requests/" + repo + "?days=" + days);
                get("/metrics/issues/" + repo + "?days=" + days);
                engine(List.of(repo), "pull", days);
            }
        }
    }

    /**
     * What an answer ran per repository before its first item was kept between writes
     * (LifecycleStore.firstItems): timed on the before side for a build without
     * ITEMS_OF_REPOSITORIES, with its ITEMS.
     */
    private static final String FIRST_ITEM_BEFORE = """
            SELECT minOrNull(created_at) AS first FROM lifecycle_items WHERE repo_name = {repo:String}
            """;

    /**
     * The engine's time, ns, for what the service runs for one repository's answer of this kind:
     * its window's items (its first item is kept by the service while nothing is written, as here);
     * then what the other build ran (0 without one), in turns.
     */
    private long[] engine(List<String> repositories, String kind, int days) throws Exception {
        Instant to = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String from = ClickHouse.dateTime(to.minus(Duration.ofDays(days)));
        boolean oursFirst = (repositories.hashCode() + days) % 2 == 0; // neither always runs on a warmer cache
        long theirs = before == null || oursFirst ? 0 : before(repositories, kind, from, to);
        long ours = query(LifecycleQueries.ITEMS, Map.of("repo", repositories.getFirst(), "kind", kind, "from", from,
                "to", ClickHouse.dateTime(to)));
        if (before != null && oursFirst) {
            theirs = before(repositories, kind, from, to);
        }
        return new long[] {ours, theirs};
    }

    /**
     * The same for a comparison: this build's ITEMS_OF_REPOSITORIES, one query for both kinds;
     * the other build's per kind, summed.
     */
    private long[] engineOfComparison(List<String> repositories, int days) throws Exception {
        Instant to = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String from = ClickHouse.dateTime(to.minus(Duration.ofDays(days)));
        boolean oursFirst = (repositories.hashCode() + days) % 2 == 0;
        long theirs = 0;
        if (before != null && !oursFirst) {
            theirs = before(repositories, "pull", from, to) + before(repositories, "issue", from, to);
        }
        long ours = ofRepositories(LifecycleQueries.ITEMS_OF_REPOSITORIES, repositories, "pull", from, to);
        if (before != null && oursFirst) {
            theirs = before(repositories, "pull", from, to) + before(repositories, "issue", from, to);
        }
        return new long[] {ours, theirs};
    }

    /**
     * An ITEMS_OF_REPOSITORIES: once if it reads both kinds (this build's), else for {@code kind}
     * (an earlier build's, run once per kind).
     */
    private long ofRepositories(String sql, List<String> repositories, String kind, String from, Instant to)
            throws Exception {
        Map<String, Object> params = new HashMap<>(Map.of("repos", repositories, "from", from, "to", ClickHouse.dateTime(to)));
        if (sql.contains("{kind:String}")) {
            params.put("kind", kind);
        }
        return query(sql, params);
    }

    private long before(List<String> repositories, String kind, String from, Instant to) throws Exception {
        boolean one = repositories.size() == 1;
        if (beforeOfRepositories != null) { // one query, its first items kept
            return one ? query(before, Map.of("repo", repositories.getFirst(), "kind", kind, "from", from,
                    "to", ClickHouse.dateTime(to))) : ofRepositories(beforeOfRepositories, repositories, kind, from, to);
        }
        long ns = 0; // per repository, its items and its first item
        for (String repo : repositories) {
            ns += query(before, Map.of("repo", repo, "kind", kind, "from", from, "to", ClickHouse.dateTime(to)))
                    + query(FIRST_ITEM_BEFORE, Map.of("repo", repo));
        }
        return ns;
    }

    /** HTTP time, ns; the answer must be a 200 from a loaded history. */
    private long get(String path) throws Exception {
        long t = System.nanoTime();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(service + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        long took = System.nanoTime() - t;
        if (r.statusCode() != 200 || !r.body().contains("\"complete\":true")) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + ": "
                    + r.body().substring(0, Math.min(300, r.body().length())));
        }
        return took;
    }

    private long query(String sql, Map<String, Object> params) throws Exception {
        return BenchSupport.serverTime(client, sql, params);
    }

    private void run(String sql, Map<String, Object> params) throws Exception {
        try (QueryResponse r = client.query(sql, params, new QuerySettings()).get(30, TimeUnit.MINUTES)) {
            r.getWrittenRows();
        }
    }

    /** HTTP and engine times of one kind of request, ns. */
    private static final class Timings {
        private final List<Long> http = new ArrayList<>();
        private final List<Long> engine = new ArrayList<>();
        private final List<Long> before = new ArrayList<>();

        void add(long httpNs, long[] engineNs) {
            http.add(httpNs);
            engine.add(engineNs[0]);
            before.add(engineNs[1]);
        }

        void print(String name) {
            long[] e = engine.stream().mapToLong(Long::longValue).sorted().toArray();
            long[] h = http.stream().mapToLong(Long::longValue).sorted().toArray();
            long[] b = before.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf(Locale.ROOT, "%-40s %6d %8.1f %8.1f %8.1f %8.1f   %8.1f %8.1f %8.1f %8.1f   %8.1f %8.1f %8.1f%n",
                    name, e.length, pct(e, 0.5), pct(e, 0.9), pct(e, 0.99), e[e.length - 1] / 1e6, pct(h, 0.5), pct(h, 0.9),
                    pct(h, 0.99), h[h.length - 1] / 1e6, pct(b, 0.5), pct(b, 0.99), b[b.length - 1] / 1e6);
        }

        private static double pct(long[] sorted, double p) {
            return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
        }
    }
}
