package io.github.eventsstats.bench;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.data_formats.ClickHouseBinaryFormatReader;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.metrics.MetricsQueries;
import io.github.eventsstats.metrics.MetricsStore;
import io.github.eventsstats.metrics.TopRepoBounds;
import io.github.eventsstats.rollup.HourlyRollup;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.awaitility.Awaitility.await;

/**
 * The metrics API benchmark (run by bench/api-bench.sh, not by the tests): loads generated events
 * into a running service's engine, then times the two headline endpoints next to their bare SQL,
 * and the ways of counting without duplicates. Arguments are key=value:
 * engine (ClickHouse HTTP URL), user, password, database, service (the service's URL), sizes
 * (comma-separated, ascending), requests, concurrency, seconds, long_seconds (the time budget of each
 * long-window measurement), measure (false: load the events and stop, for bench/dashboard-bench.sh).
 */
public final class ApiBench {

    /**
     * Realistic rows: skewed repositories and actors, GitHub-like type mix, and ids not in time
     * order (each type draws from a range of its own, as GitHub's do), so that nothing may lean on
     * ids growing with time.
     */
    private static final String GENERATE = """
            INSERT INTO events (event_id, event_type, repo_id, repo_name, actor_id, actor_login, action, created_at)
            SELECT
                multiIf(h % 100 < 55, 1, h % 100 < 80, 2, 3) * 100000000000 + {first_id:UInt64} + number AS event_id,
                multiIf(h % 100 < 55, 'WatchEvent', h % 100 < 80, 'PullRequestEvent', 'IssuesEvent') AS event_type,
                repo AS repo_id,
                concat('org-', toString(repo % 7919), '/repo-', toString(repo)) AS repo_name,
                actor AS actor_id,
                concat('user-', toString(actor)) AS actor_login,
                multiIf(event_type = 'WatchEvent', 'started', intDiv(h, 256) % 10 < 5, 'opened',
                        intDiv(h, 256) % 10 < 9, 'closed', 'reopened') AS action,
                {end:DateTime('UTC')} - toIntervalSecond(intDiv(({count:UInt64} - {offset:UInt64} - number)
                    * {span:UInt64}, {count:UInt64})) AS created_at
            FROM
            (
                SELECT number, cityHash64(number + {first_id:UInt64}) AS h,
                       1 + toUInt64(pow(intDiv(h, 1048576) % 1000000 / 1000000.0, 3) * 50000) AS repo,
                       1 + toUInt64(pow(intDiv(h, 1099511627776) % 1000000 / 1000000.0, 2) * 200000) AS actor
                FROM numbers({n:UInt64})
            )
            """;
    private static final String PARTS =
            "SELECT count() FROM system.parts WHERE active AND database = {db:String} AND table = {table:String}";
    private static final long FIRST_ID = 30_000_000_000L;
    private static final long SPAN_SECONDS = 30L * 86_400;
    private static final long CHUNK = 1_000_000;
    /** The busiest generated repository: its PR count grows with the table. */
    private static final String BUSIEST = "org-1/repo-1";
    /** A repository whose 2,000 PRs stay while the table grows: pr-average must not notice the growth. */
    private static final String FIXED = "bench-org/fixed-repo";
    private static final String FIXED_PRS = """
            INSERT INTO events (event_id, event_type, repo_id, repo_name, actor_id, actor_login, action, created_at)
            SELECT 29000000000 + number, 'PullRequestEvent', 1, {repo:String}, 1, 'user-fixed', 'opened',
                   {end:DateTime('UTC')} - toIntervalSecond(intDiv(number * {span:UInt64}, 2000))
            FROM numbers(2000)
            """;

    private final Client client;
    private final String database;
    private final String service;
    /** One keep-alive connection per calling thread, so the client adds as little as curl or wrk would. */
    private final ThreadLocal<RawHttp> http;
    private final int requests;
    private final int concurrency;
    private final int seconds;
    private final int longSeconds;
    private final Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    /** Runs of the current long window in which top-repos' bounds settled nothing. */
    private int topReposSummed;

    private ApiBench(Map<String, String> args) {
        this.database = args.getOrDefault("database", "github_stats");
        this.client = BenchSupport.engineClient(args, database);
        this.service = args.get("service");
        URI uri = URI.create(service);
        this.http = ThreadLocal.withInitial(() -> new RawHttp(uri.getHost(), uri.getPort()));
        this.requests = Integer.parseInt(args.getOrDefault("requests", "1000"));
        this.concurrency = Integer.parseInt(args.getOrDefault("concurrency", "4"));
        this.seconds = Integer.parseInt(args.getOrDefault("seconds", "10"));
        this.longSeconds = Integer.parseInt(args.getOrDefault("long_seconds", "20"));
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = BenchSupport.args(argv);
        ApiBench bench = new ApiBench(args);
        long[] sizes = Arrays.stream(args.getOrDefault("sizes", "100000,1000000").split(","))
                .mapToLong(Long::parseLong).toArray();
        bench.query(FIXED_PRS, Map.of("repo", FIXED, "end", ClickHouse.dateTime(bench.end), "span", SPAN_SECONDS));
        long loaded = 0;
        boolean measure = !"false".equals(args.get("measure")); // measure=false: load only (dashboard-bench)
        for (long size : sizes) {
            loaded = bench.load(loaded, size);
            if (measure) {
                bench.report(size);
            }
        }
        bench.client.close();
    }

    /**
     * Adds events number [from, to), spread evenly over the 30 days before {@link #end}, so each size
     * has its events over the same days, and the last hour holds 1/720 of them.
     */
    private long load(long from, long to) throws Exception {
        long started = System.nanoTime();
        for (long first = from; first < to; first += CHUNK) {
            long n = Math.min(CHUNK, to - first);
            try (QueryResponse r = client.query(GENERATE, Map.of("first_id", FIRST_ID + first, "offset", first - from,
                    "n", n, "count", to - from, "span", SPAN_SECONDS, "end", ClickHouse.dateTime(end)),
                    new QuerySettings()).get(30, TimeUnit.MINUTES)) {
                r.getWrittenRows();
            }
        }
        System.out.printf(Locale.ROOT, "%nloaded %,d events (now %,d) in %.1f s", to - from, to,
                (System.nanoTime() - started) / 1e9);
        BenchSupport.settleMerges(client, database, Duration.ofMinutes(5));
        // The service's rollup job counts the hours once they are quiet; long windows are timed after.
        long counting = System.nanoTime();
        await().pollInterval(Duration.ofSeconds(1)).atMost(Duration.ofMinutes(30)).until(() ->
                scalar(HourlyRollup.CHANGED_HOUR_COUNT,
                        Map.of("after", ClickHouse.dateTime(Instant.EPOCH), "quiet_ms", 0L)) == 0);
        System.out.printf(Locale.ROOT, "; hourly rollup caught up %.0f s later%n", (System.nanoTime() - counting) / 1e9);
        System.out.println("on disk (MiB, compressed): " + String.join(", ", client.queryAll("""
                SELECT table, sum(bytes_on_disk) AS bytes, sum(rows) AS rows FROM system.parts
                WHERE active AND database = {db:String} GROUP BY table ORDER BY bytes DESC
                """, Map.of("db", database), new QuerySettings()).stream().map(r -> String.format(Locale.ROOT,
                "%s %.1f (%,d rows)", r.getString("table"), r.getLong("bytes") / 1048576.0, r.getLong("rows"))).toList()));
        return to;
    }

    private void report(long size) throws Exception {
        long aggRows = scalar("SELECT count() FROM pr_metrics_agg", Map.of());
        long parts = scalar(PARTS, Map.of("db", database, "table", "events"));
        long aggParts = scalar(PARTS, Map.of("db", database, "table", "pr_metrics_agg"));
        System.out.printf(Locale.ROOT, "== %,d events in %d parts; pr_metrics_agg %,d rows in %d parts; %s has %,d PRs%n",
                size, parts, aggRows, aggParts, BUSIEST, scalar(
                        "SELECT uniqExactMerge(opened_count) FROM pr_metrics_agg WHERE repo_name = {repo:String}",
                        Map.of("repo", BUSIEST)));
        System.out.printf(Locale.ROOT, "%-34s %9s %9s %9s %9s %9s%n", "", "p50 ms", "p99 ms", "server", "req/s", "");

        Supplier<Map<String, Object>> windowParams = () -> {
            Instant to = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            return Map.of("from", ClickHouse.dateTime(to.minus(Duration.ofMinutes(60))), "to", ClickHouse.dateTime(to));
        };
        for (String repo : List.of(FIXED, BUSIEST)) {
            endpoint("pr-average " + repo, "/metrics/pr-average/" + repo, MetricsQueries.PR_OPENINGS,
                    () -> Map.of("repo", repo));
        }
        endpoint("events?offset=60", "/metrics/events?offset=60", MetricsQueries.COUNTS_IN_WINDOW, windowParams);

        longWindows();

        System.out.println("-- counting without duplicates (server time, p50 of 20; 'inexact' counts copies)");
        String window = "WHERE created_at BETWEEN {from:DateTime('UTC')} AND {to:DateTime('UTC')} GROUP BY event_type";
        Supplier<Map<String, Object>> yearParams = () -> {
            Instant to = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            return Map.of("from", ClickHouse.dateTime(to.minus(Duration.ofDays(365))), "to", ClickHouse.dateTime(to));
        };
        for (var w : List.of(Map.entry("60 min", windowParams), Map.entry("1 year", yearParams))) {
            strategy("window " + w.getKey() + ": count() inexact", "SELECT event_type, count() FROM events " + window, w.getValue());
            strategy("window " + w.getKey() + ": uniqExact (used)", MetricsQueries.COUNTS_IN_WINDOW, w.getValue());
            strategy("window " + w.getKey() + ": FINAL", "SELECT event_type, count() FROM events FINAL " + window, w.getValue());
        }
        Supplier<Map<String, Object>> all = () -> Map.of("action", "", "repo", "");
        strategy("all by type: count() inexact", "SELECT event_type, count() FROM events GROUP BY event_type", all);
        strategy("all by type: uniqExact",
                "SELECT event_type, uniqExact(event_id) FROM events GROUP BY event_type", all);
        strategy("all by type: FINAL (used)", MetricsQueries.TOTALS_BY_TYPE, all);
    }

    /** The endpoint one request at a time, its bare SQL the same way, then the endpoint under load. */
    private void endpoint(String name, String path, String sql, Supplier<Map<String, Object>> params) throws Exception {
        for (int i = 0; i < 50; i++) { // warm both paths
            get(path);
            query(sql, params.get());
        }
        long[] sqlWall = new long[requests];
        long[] sqlServer = new long[requests];
        for (int i = 0; i < requests; i++) {
            long t = System.nanoTime();
            sqlServer[i] = query(sql, params.get());
            sqlWall[i] = System.nanoTime() - t;
        }
        long[] httpWall = new long[requests];
        for (int i = 0; i < requests; i++) {
            long t = System.nanoTime();
            get(path);
            httpWall[i] = System.nanoTime() - t;
        }
        System.out.println(name);
        line("  SQL via client-v2", sqlWall, sqlServer, Double.NaN);
        line("  endpoint, 1 client", httpWall, null, requests / (Arrays.stream(httpWall).sum() / 1e9));
        List<Long> loaded = new ArrayList<>();
        long started = System.nanoTime();
        long until = started + TimeUnit.SECONDS.toNanos(seconds);
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) { // closing it waits for every client
            for (int c = 0; c < concurrency; c++) {
                pool.submit(() -> {
                    List<Long> mine = new ArrayList<>();
                    while (System.nanoTime() < until) {
                        long t = System.nanoTime();
                        get(path);
                        mine.add(System.nanoTime() - t);
                    }
                    synchronized (loaded) {
                        loaded.addAll(mine);
                    }
                    return null;
                });
            }
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        line("  endpoint, " + concurrency + " clients", loaded.stream().mapToLong(Long::longValue).toArray(),
                null, loaded.size() / elapsed);
    }

    /**
     * The long windows: their SQL as the service sends it (engine time, p50 and p99) next to the
     * SQL they ran before the hourly rollup, then the endpoint from one client. Each measurement
     * runs {@link #requests} times or {@link #longSeconds}, whichever ends first.
     */
    private void longWindows() throws Exception {
        System.out.println("-- long windows (ms; server = engine time; before = the SQL without the rollup, server p50)");
        System.out.printf(Locale.ROOT, "%-34s %9s %9s %9s %9s %9s %9s %9s%n", "", "server50", "server99", "before50",
                "http p50", "http p99", "req/s", "runs");
        Supplier<Instant> now = () -> Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Supplier<Map<String, Object>> year = () -> {
            Instant to = now.get();
            return MetricsStore.rolledUpParams(to.minus(Duration.ofDays(365)), to.plusSeconds(1), "");
        };
        Supplier<Map<String, Object>> yearBefore = () -> {
            Instant to = now.get();
            return Map.of("from", ClickHouse.dateTime(to.minus(Duration.ofDays(365))), "to", ClickHouse.dateTime(to));
        };
        longWindow("events?offset=525600", "/metrics/events?offset=525600", MetricsQueries.COUNTS_ROLLED_UP, year,
                MetricsQueries.COUNTS_IN_WINDOW, yearBefore);

        Instant dayFrom = Instant.ofEpochSecond(
                Math.floorDiv(now.get().minus(Duration.ofDays(365)).getEpochSecond(), 86_400) * 86_400);
        Supplier<Map<String, Object>> days = () -> {
            Instant to = Instant.ofEpochSecond((Math.floorDiv(now.get().getEpochSecond(), 86_400) + 1) * 86_400);
            Map<String, Object> p = new HashMap<>(MetricsStore.rolledUpParams(dayFrom, to, ""));
            p.put("step", 86_400);
            return p;
        };
        Supplier<Map<String, Object>> daysBefore = () -> {
            Map<String, Object> p = days.get();
            return Map.of("from", p.get("from"), "to", p.get("to"), "step", 86_400);
        };
        longWindow("visualization day, 1 year", "/metrics/visualization?interval=day&from=" + dayFrom,
                MetricsQueries.COUNTS_PER_BUCKET_ROLLED_UP, days, MetricsQueries.COUNTS_PER_BUCKET, daysBefore);

        longWindow("events-total-count", "/metrics/events-total-count", MetricsQueries.COUNTS_ROLLED_UP,
                () -> MetricsStore.rolledUpParams(Instant.EPOCH, MetricsStore.END_OF_TIME, ""),
                MetricsQueries.TOTALS_BY_TYPE, () -> Map.of("action", "", "repo", ""));

        // A year over the generated month starts before any event; a week starts inside the data, so
        // its first, partial hour is read from `events` as well.
        for (int topDays : new int[] {365, 7}) {
            Supplier<Map<String, Object>> before = () -> {
                Instant to = now.get();
                return Map.of("from", ClickHouse.dateTime(to.minus(Duration.ofDays(topDays))), "to", ClickHouse.dateTime(to),
                        "limit", 10);
            };
            longWindow("top-repos?days=" + topDays, "/metrics/top-repos?days=" + topDays,
                    () -> topReposRolledUp(now.get(), topDays, 10), MetricsQueries.TOP_REPOS, before);
        }
    }

    private void longWindow(String name, String path, String sql, Supplier<Map<String, Object>> params,
                            String before, Supplier<Map<String, Object>> beforeParams) {
        longWindow(name, path, () -> query(sql, params.get()), before, beforeParams);
    }

    private void longWindow(String name, String path, EngineTimed rolledUp, String before,
                            Supplier<Map<String, Object>> beforeParams) {
        try {
            timeLongWindow(name, path, rolledUp, before, beforeParams);
        } catch (Exception e) { // one window too slow for its timeout must not end the run
            System.out.printf(Locale.ROOT, "%-34s failed: %s%n", name, e);
        }
    }

    /** Something sent to the engine; returns the engine's own time for it in ns. */
    @FunctionalInterface
    private interface EngineTimed {
        long run() throws Exception;
    }

    /**
     * The SQL the service sends for top-repos over the {@code days} before {@code to} (metrics/MetricsStore
     * topRepos): the bounds, the summed window only where they settle nothing, then the answer's
     * repositories. Returns the engine time of all of them.
     */
    private long topReposRolledUp(Instant to, int days, int limit) throws Exception {
        Map<String, Object> params = new HashMap<>(MetricsStore.topReposParams(to.minus(Duration.ofDays(days)), to.plusSeconds(1)));
        List<TopRepoBounds.Row> bounds = new ArrayList<>();
        long engine = query(MetricsQueries.TOP_REPOS_BOUNDS, params, r -> bounds.add(new TopRepoBounds.Row(
                r.getString("kind"), r.getString("repo_name"), r.getLong("n"), r.getLong("m"))));
        List<String> repos = TopRepoBounds.candidates(bounds, limit, HourlyRollup.TOP_PER_HOUR).orElse(null);
        if (repos == null) {
            List<String> summed = new ArrayList<>();
            Map<String, Object> p = new HashMap<>(params);
            p.put("limit", limit);
            engine += query(MetricsQueries.TOP_REPOS_SUMMED, p, r -> summed.add(r.getString("repo_name")));
            repos = summed;
            topReposSummed++;
        }
        params.put("repos", repos);
        return engine + query(MetricsQueries.TOP_REPOS_OF, params);
    }

    private void timeLongWindow(String name, String path, EngineTimed rolledUp, String before,
                                Supplier<Map<String, Object>> beforeParams) throws Exception {
        for (int i = 0; i < 3; i++) { // warm
            rolledUp.run();
            get(path);
        }
        topReposSummed = 0;
        List<Long> server = new ArrayList<>();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(longSeconds);
        while (server.size() < requests && System.nanoTime() < until) {
            server.add(rolledUp.run());
        }
        if (topReposSummed > 0) {
            System.out.printf(Locale.ROOT, "  (%s: %d of %d runs summed the window, the bounds settled nothing)%n",
                    name, topReposSummed, server.size());
        }
        String beforeP50 = "";
        if (before != null) {
            List<Long> old = new ArrayList<>();
            until = System.nanoTime() + TimeUnit.SECONDS.toNanos(longSeconds);
            try {
                while (old.size() < 20 && System.nanoTime() < until) {
                    old.add(query(before, beforeParams.get()));
                }
                long[] sorted = old.stream().mapToLong(Long::longValue).sorted().toArray();
                beforeP50 = String.format(Locale.ROOT, "%9.2f", percentile(sorted, 0.50) / 1e6);
            } catch (Exception e) { // the SQL before the rollup may not finish within the timeout at all
                beforeP50 = "  timeout";
            }
        }
        List<Long> http = new ArrayList<>();
        long started = System.nanoTime();
        until = started + TimeUnit.SECONDS.toNanos(longSeconds);
        while (http.size() < requests && System.nanoTime() < until) {
            long t = System.nanoTime();
            get(path);
            http.add(System.nanoTime() - t);
        }
        double perSecond = http.size() / ((System.nanoTime() - started) / 1e9);
        long[] s = server.stream().mapToLong(Long::longValue).sorted().toArray();
        long[] h = http.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "%-34s %9.2f %9.2f %9s %9.2f %9.2f %9.0f %9d%n", name, percentile(s, 0.50) / 1e6,
                percentile(s, 0.99) / 1e6, beforeP50, percentile(h, 0.50) / 1e6, percentile(h, 0.99) / 1e6, perSecond,
                s.length);
    }

    private void strategy(String name, String sql, Supplier<Map<String, Object>> params) throws Exception {
        long[] server = new long[20];
        for (int i = 0; i < server.length; i++) {
            server[i] = query(sql, params.get());
        }
        Arrays.sort(server);
        System.out.printf(Locale.ROOT, "%-44s %9.2f%n", name, server[server.length / 2] / 1e6);
    }

    private static void line(String name, long[] wall, long[] server, double perSecond) {
        Arrays.sort(wall);
        String serverP50 = "";
        if (server != null) {
            Arrays.sort(server);
            serverP50 = String.format(Locale.ROOT, "%9.2f", server[server.length / 2] / 1e6);
        }
        System.out.printf(Locale.ROOT, "%-34s %9.2f %9.2f %9s %9s%n", name, percentile(wall, 0.50) / 1e6,
                percentile(wall, 0.99) / 1e6, serverP50, Double.isNaN(perSecond) ? "" : String.format(Locale.ROOT, "%.0f", perSecond));
    }

    private static long percentile(long[] sorted, double p) {
        return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /**
     * The parameters with {expired_before} the epoch unless given: the metrics' SQL reads `events`
     * from the retention's horizon on, and the benchmark keeps every event.
     */
    private static Map<String, Object> everyEventKept(Map<String, Object> params) {
        Map<String, Object> all = new java.util.HashMap<>(params);
        all.putIfAbsent("expired_before", ClickHouse.dateTime(Instant.EPOCH));
        return all;
    }

    /** Runs the query, hands each row to {@code rows}, returns the engine's own time for it in ns. */
    private long query(String sql, Map<String, Object> params, java.util.function.Consumer<ClickHouseBinaryFormatReader> rows)
            throws Exception {
        try (QueryResponse r = client.query(sql, everyEventKept(params), new QuerySettings()).get(1, TimeUnit.MINUTES)) {
            ClickHouseBinaryFormatReader reader = client.newBinaryFormatReader(r);
            while (reader.hasNext()) {
                reader.next();
                rows.accept(reader);
            }
            return r.getServerTime();
        }
    }

    /** Runs the query, reads the whole answer, returns the engine's own time for it in ns. */
    private long query(String sql, Map<String, Object> params) throws Exception {
        return BenchSupport.serverTime(client, sql, everyEventKept(params));
    }

    private long scalar(String sql, Map<String, Object> params) {
        return client.queryAll(sql, params, new QuerySettings()).getFirst().getLong(1);
    }

    private void get(String path) throws Exception {
        http.get().get(path);
    }

    /** HTTP/1.1 GET over one kept-alive socket. */
    private static final class RawHttp {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final String host;

        RawHttp(String host, int port) {
            try {
                this.host = host + ":" + port;
                this.socket = new Socket(host, port);
                socket.setTcpNoDelay(true);
                this.in = new BufferedInputStream(socket.getInputStream());
                this.out = socket.getOutputStream();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void get(String path) throws IOException {
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = line();
            int length = -1;
            boolean chunked = false;
            for (String h = line(); !h.isEmpty(); h = line()) {
                if (h.regionMatches(true, 0, "content-length:", 0, 15)) {
                    length = Integer.parseInt(h.substring(15).trim());
                } else if (h.regionMatches(true, 0, "transfer-encoding:", 0, 18)) {
                    chunked = h.toLowerCase(Locale.ROOT).contains("chunked");
                }
            }
            byte[] body = chunked ? chunks() : in.readNBytes(length);
            if (!status.startsWith("HTTP/1.1 200")) {
                throw new IllegalStateException(path + " answered " + status + ": " + new String(body, StandardCharsets.UTF_8));
            }
        }

        /** A chunked body (large answers, such as a year of days): size lines, chunks, an empty last one. */
        private byte[] chunks() throws IOException {
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
                body.write(in.readNBytes(size));
                line(); // the CRLF after the chunk
            }
            line(); // the CRLF that ends the body (no trailers)
            return body.toByteArray();
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                if (c != '\r') {
                    b.append((char) c);
                }
            }
            return b.toString();
        }
    }
}
