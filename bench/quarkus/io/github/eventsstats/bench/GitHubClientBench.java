package io.github.eventsstats.bench;

import io.github.eventsstats.github.EventsPage;
import io.github.eventsstats.github.FakeGitHub;
import io.github.eventsstats.github.GitHubEventsClient;
import io.github.eventsstats.github.GitHubHeaders;
import io.github.eventsstats.github.GitHubRequest;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The GitHub client's cost, run by bench/github-client-bench.sh (not by the tests, which never
 * match *Bench): the process CPU and the wall time of 1,000 {@code GET /events} against a fake
 * GitHub in another process, through the Quarkus REST client the service uses and through the JDK
 * HttpClient it used before (as {@link Jdk} does it), in turns, so that both see the same machine.
 * Two answers: a 304 (most polls) and a 200 with a page of 100 events. Inside Quarkus because the
 * REST client is generated at build time; the service's own jobs are off (the test profile).
 */
@QuarkusTest
class GitHubClientBench {

    static final String ETAG = "\"bench-etag\"";
    /** The script gives the service this token (GITHUB_TOKEN), so both clients send the same headers. */
    static final String TOKEN = "bench-token";

    @Inject
    GitHubEventsClient rest;
    @ConfigProperty(name = "github.api-url")
    String apiUrl;

    /**
     * The fake GitHub, in a process of its own: {@code /events} answers a page of 100 events, or a
     * 304 to its ETag. Writes its URL to the file {@code args[0]}.
     */
    public static void main(String[] args) throws Exception {
        Path portFile = Path.of(args[0]);
        FakeGitHub fake = FakeGitHub.elsewhere();
        String page = page(100);
        fake.route("/events", r -> ETAG.equals(r.ifNoneMatch()) ? FakeGitHub.notModified()
                : FakeGitHub.ok(page).header("ETag", ETAG)
                .header("X-RateLimit-Limit", "5000").header("X-RateLimit-Remaining", "4999")
                .header("X-RateLimit-Reset", Long.toString(Instant.now().getEpochSecond() + 3600))
                .header("X-RateLimit-Used", "1"));
        Files.writeString(portFile, fake.baseUrl());
        Thread.currentThread().join();
    }

    /** A page like GitHub's: 100 slim pull-request events, about 0.8 KB each. */
    private static String page(int events) {
        List<String> list = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            list.add("""
                    {"id":"%d","type":"PullRequestEvent","actor":{"id":%d,"login":"dev-%d","display_login":"dev-%d",\
                    "gravatar_id":"","url":"https://api.github.com/users/dev-%d","avatar_url":"https://avatars.githubusercontent.com/u/%d?"},\
                    "repo":{"id":%d,"name":"org-%d/repo-%d","url":"https://api.github.com/repos/org-%d/repo-%d"},\
                    "payload":{"action":"opened","number":%d,"pull_request":{"url":"https://api.github.com/repos/org-%d/repo-%d/pulls/%d",\
                    "id":%d,"number":%d,"head":{"ref":"feature-%d","sha":"0123456789abcdef0123456789abcdef%08d"},\
                    "base":{"ref":"main","sha":"fedcba9876543210fedcba9876543210%08d"}}},"public":true,\
                    "created_at":"2026-03-01T10:00:00Z","org":{"id":%d,"login":"org-%d","gravatar_id":"",\
                    "url":"https://api.github.com/orgs/org-%d","avatar_url":"https://avatars.githubusercontent.com/u/%d?"}}"""
                    .formatted(50_000_000_000L + i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, 3_000_000_000L + i, i, i,
                            i, i, i, i, i, i));
        }
        return "[" + String.join(",", list) + "]";
    }

    private interface Fetcher {
        EventsPage fetch(Optional<String> etag) throws Exception;
    }

    @Test
    void measure() throws Exception {
        int polls = Integer.getInteger("bench.polls", 1000);
        int rounds = Integer.getInteger("bench.rounds", 5);
        Jdk jdk = new Jdk();
        Map<String, Fetcher> clients = new LinkedHashMap<>();
        clients.put("rest-client", etag -> rest.fetch(GitHubRequest.events(100), etag));
        clients.put("jdk-httpclient", etag -> jdk.fetch(apiUrl + "/events?per_page=100", etag));
        Map<String, Optional<String>> answers = new LinkedHashMap<>();
        answers.put("304", Optional.of(ETAG));
        answers.put("200 (100 events)", Optional.empty());

        for (var client : clients.entrySet()) { // warm-up: the JIT, the connection pools
            for (var answer : answers.values()) {
                run(client.getValue(), answer, polls * 2);
            }
        }
        Map<String, List<long[]>> results = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (var answer : answers.entrySet()) {
                for (var client : clients.entrySet()) {
                    results.computeIfAbsent(answer.getKey() + "|" + client.getKey(), k -> new ArrayList<>())
                            .add(run(client.getValue(), answer.getValue(), polls));
                }
            }
        }
        System.out.printf(Locale.ROOT, "%n%d polls per run, %d runs each, in turns; medians (min-max)%n", polls, rounds);
        System.out.printf(Locale.ROOT, "%-18s %-16s %22s %22s%n", "answer", "client", "process CPU ms", "wall ms");
        for (var e : results.entrySet()) {
            String[] key = e.getKey().split("\\|");
            System.out.printf(Locale.ROOT, "%-18s %-16s %22s %22s%n", key[0], key[1],
                    spread(e.getValue(), 0), spread(e.getValue(), 1));
        }
        for (String answer : answers.keySet()) {
            double ratio = median(results.get(answer + "|rest-client"), 0)
                    / (double) median(results.get(answer + "|jdk-httpclient"), 0);
            System.out.printf(Locale.ROOT, "%s: REST client / JDK HttpClient CPU = %.2f%n", answer, ratio);
        }
    }

    /** {process CPU ms, wall ms} of {@code polls} fetches; each answer is checked. */
    private static long[] run(Fetcher client, Optional<String> etag, int polls) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        long wall = System.nanoTime();
        for (int i = 0; i < polls; i++) {
            EventsPage page = client.fetch(etag);
            if (page.status() != (etag.isPresent() ? 304 : 200) || (page.ok() && page.body().length < 80_000)) {
                throw new IllegalStateException("unexpected answer " + page.status() + ", " + page.body().length + " bytes");
            }
        }
        return new long[] {(os.getProcessCpuTime() - cpu) / 1_000_000, (System.nanoTime() - wall) / 1_000_000};
    }

    private static long median(List<long[]> runs, int i) {
        List<Long> v = runs.stream().map(r -> r[i]).sorted().toList();
        return v.get(v.size() / 2);
    }

    private static String spread(List<long[]> runs, int i) {
        List<Long> v = runs.stream().map(r -> r[i]).sorted().toList();
        return median(runs, i) + " (" + v.getFirst() + "-" + v.getLast() + ")";
    }

    /** GitHubEventsClient's fetch as it was over the JDK HttpClient, for comparison. */
    static final class Jdk {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();

        EventsPage fetch(String url, Optional<String> etag) throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                    .header("Accept", "application/vnd.github+json")
                    .header("X-GitHub-Api-Version", "2022-11-28")
                    .header("User-Agent", "github-events-stats")
                    .GET();
            etag.ifPresent(e -> request.header("If-None-Match", e));
            request.header("Authorization", "Bearer " + TOKEN);
            CompletableFuture<HttpResponse<byte[]>> sent = http.sendAsync(request.build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            HttpResponse<byte[]> response;
            try {
                response = sent.get(30, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                sent.cancel(true);
                throw new HttpTimeoutException("no complete response within 30 s");
            } catch (ExecutionException e) {
                throw new IOException(e.getCause());
            }
            return GitHubHeaders.page(response.statusCode(), response.body(),
                    name -> response.headers().firstValue(name).orElse(null), Instant.now());
        }
    }
}
