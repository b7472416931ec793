package io.github.eventsstats.watch;

import io.github.eventsstats.github.FakeGitHub;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long one repository's history takes to load on demand (run by bench/lifecycle-bench.sh,
 * not by the tests): the tests' fake GitHub serves a generated history ({@link GeneratedHistory}:
 * PRs merged, closed and open, issues, comments by authors, bots and others; 100 a page with
 * Link headers) under a token's rate limit of 5,000 an hour, counting the requests. The packaged
 * service is started against it, asked about the repository, and asked again every 100 ms until
 * the answer's history.state is loaded. Arguments are key=value: java,
 * jar, data (an emptied data directory), port, engine_port, pulls, issues, log (the service's).
 * In this package for GeneratedHistory, which the tests keep package-private.
 */
public final class HistoryLoadBench {

    private static final String REPO = "bench-org/big-history";
    private static final Pattern STATE = Pattern.compile("\"state\":\"([a-z_]+)\"");
    private static final Pattern PAGES = Pattern.compile("\"pages_loaded\":(\\d+)");

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = io.github.eventsstats.bench.BenchSupport.args(argv);
        int pulls = Integer.parseInt(args.getOrDefault("pulls", "5000"));
        int issues = Integer.parseInt(args.getOrDefault("issues", "2000"));
        FakeGitHub fake = new FakeGitHub();
        fake.start();
        Instant now = Instant.now();
        GeneratedHistory history = new GeneratedHistory(REPO, pulls, issues, 3 * 365, now, 25);
        history.serve(fake);
        fake.rateLimit(5000, now.plus(Duration.ofHours(1)));
        long reviews = history.comments.stream().filter(GeneratedHistory.Comment::review).count();
        System.out.printf(Locale.ROOT, "fake GitHub: %s with %,d PRs, %,d issues, %,d issue comments, %,d review comments"
                        + " over 3 years; 100 a page; rate limit 5,000/h%n", REPO, pulls, issues,
                history.comments.size() - reviews, reviews);

        Path data = Path.of(args.get("data"));
        java.nio.file.Files.createDirectories(data);
        String port = args.getOrDefault("port", "18095");
        ProcessBuilder pb = new ProcessBuilder(args.get("java"), "--enable-native-access=ALL-UNNAMED", "-jar", args.get("jar"))
                .redirectErrorStream(true).redirectOutput(Path.of(args.get("log")).toFile());
        pb.environment().putAll(Map.of("DATA_DIR", data.toString(), "PORT", port,
                "CLICKHOUSE_EMBEDDED_PORT", args.getOrDefault("engine_port", "18135"),
                "GITHUB_API_URL", fake.baseUrl(), "GITHUB_TOKEN", FakeGitHub.TOKEN, "ENRICH_ENABLED", "false",
                "API_CACHE_TTL", "0"));
        Process service = pb.start();
        HttpClient http = HttpClient.newHttpClient();
        try {
            String base = "http://127.0.0.1:" + port;
            awaitReady(http, base, service);
            int before = fake.requests().size();
            Instant asked = Instant.now();
            long t0 = System.nanoTime();
            String first = get(http, base + "/metrics/pull-requests/" + REPO + "?days=365");
            System.out.println("asked at " + asked + ": " + state(first));
            String state = "";
            long pages = 0;
            long lastReport = t0;
            while (!"loaded".equals(state)) {
                if (!service.isAlive()) {
                    throw new IllegalStateException("the service stopped; see " + args.get("log"));
                }
                if (System.nanoTime() - t0 > Duration.ofMinutes(20).toNanos()) {
                    throw new IllegalStateException("not loaded after 20 min: " + state + ", " + pages + " pages");
                }
                Thread.sleep(100); // sampling the state; the service's own pace is what is measured
                String r = get(http, base + "/metrics/pull-requests/" + REPO + "?days=365"); // its history field
                state = match(STATE, r);
                pages = Long.parseLong(match(PAGES, r));
                if (System.nanoTime() - lastReport > Duration.ofSeconds(10).toNanos()) {
                    lastReport = System.nanoTime();
                    System.out.printf(Locale.ROOT, "  %.0f s: %s, %d pages%n", (lastReport - t0) / 1e9, state, pages);
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            List<FakeGitHub.Request> made = fake.requests().subList(before, fake.requests().size());
            Map<String, Integer> byList = new TreeMap<>();
            for (FakeGitHub.Request r : made) {
                byList.merge(list(r.uri()), 1, Integer::sum);
            }
            String after = get(http, base + "/metrics/pull-requests/" + REPO + "?days=365");
            long forRepo = made.stream().filter(r -> r.uri().startsWith("/repos/" + REPO + "/")).count();
            System.out.printf(Locale.ROOT, "loaded in %.1f s: %d pages; requests at the fake while loading: %d for the"
                    + " repository (%s), %d in all; %d counted against the limit, %d over it%n", seconds, pages,
                    forRepo, byList, made.size(), fake.spent(), fake.overLimit());
            System.out.printf(Locale.ROOT, "without a token (60/h): %d requests for the repository = %.1f hours"
                    + " of the whole budget; with a token: %.1f%% of an hour's 5,000%n", forRepo, forRepo / 60.0,
                    forRepo / 50.0);
            System.out.println("answer after: " + state(after));
        } finally {
            service.destroy();
            service.waitFor();
            fake.stop();
        }
    }

    /** Which list a request was for (page numbers and queries left out). */
    private static String list(String uri) {
        String path = uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
        return path.startsWith("/repos/" + REPO + "/") ? path.substring(("/repos/" + REPO + "/").length()) : path;
    }

    private static String state(String answer) {
        StringBuilder b = new StringBuilder();
        for (String field : List.of("complete", "opened", "merged", "open")) { // the first: the window's, not a week's
            b.append(field).append('=').append(match(Pattern.compile("\"" + field + "\":([a-z0-9]+)"), answer)).append(' ');
        }
        return b + "history " + match(STATE, answer);
    }

    private static String match(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? m.group(1) : "?";
    }

    private static String get(HttpClient http, String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private static void awaitReady(HttpClient http, String base, Process service) throws Exception {
        long until = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < until) {
            if (!service.isAlive()) {
                throw new IllegalStateException("the service did not start");
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the service was not ready within 3 min");
    }
}
