package io.github.eventsstats.github;

import io.github.eventsstats.github.FakeGitHub.Reply;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GitHub client against a fake GitHub of its own: what every request carries, what comes back
 * whatever the status, and each way an exchange can fail. Inside Quarkus only because the REST
 * client is built there; the service's own client and fake are not used.
 */
@QuarkusTest
class GitHubEventsClientTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private FakeGitHub fake;
    private final List<GitHubEventsClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        fake = FakeGitHub.elsewhere();
    }

    @AfterEach
    void stop() throws IOException {
        for (GitHubEventsClient client : clients) {
            client.close();
        }
        fake.stop();
    }

    private static GitHubConfig config(String apiUrl, Optional<String> token) {
        return new GitHubConfig() {
            @Override
            public String apiUrl() {
                return apiUrl;
            }

            @Override
            public Optional<String> token() {
                return token;
            }

            @Override
            public String userAgent() {
                return "test-agent";
            }

            @Override
            public Duration connectTimeout() {
                return TIMEOUT;
            }

            @Override
            public Duration requestTimeout() {
                return TIMEOUT;
            }
        };
    }

    private GitHubEventsClient client() {
        return client(fake.baseUrl(), Optional.of("s3cret"), GitHubEventsClient.MAX_BODY_BYTES);
    }

    private GitHubEventsClient client(String apiUrl, Optional<String> token, long maxBodyBytes) {
        GitHubEventsClient client = new GitHubEventsClient(config(apiUrl, token), InstantSource.system(), maxBodyBytes);
        clients.add(client);
        return client;
    }

    private EventsPage fetch(GitHubEventsClient client, GitHubRequest request) throws Exception {
        return client.fetch(request, Optional.empty());
    }

    @Test
    void eachEndpointAsksForItsPathAndQueryWithGitHubsHeadersAndTheTokenAsABearer() throws Exception {
        GitHubEventsClient client = client();
        fetch(client, GitHubRequest.events(100));
        fetch(client, GitHubRequest.repoEvents("octo-org/hello.world", 30));
        fetch(client, GitHubRequest.pulls("octo-org/hello-world", 100));
        fetch(client, GitHubRequest.issues("octo-org/hello-world", null, 100));
        fetch(client, GitHubRequest.issueComments("octo-org/hello-world", Instant.parse("2026-11-01T10:00:00.5Z"), 100));
        fetch(client, GitHubRequest.reviewComments("octo-org/hello-world", null, 50));
        fetch(client, GitHubRequest.user("dependabot[bot]"));
        fetch(client, GitHubRequest.repository("octo-org/hello_world"));
        client.fetch(GitHubRequest.events(100), Optional.of("W/\"e1\""));
        List<FakeGitHub.Request> r = fake.requests();
        assertEquals(List.of("/events?per_page=100", "/repos/octo-org/hello.world/events?per_page=30",
                        "/repos/octo-org/hello-world/pulls?state=all&sort=updated&direction=desc&per_page=100",
                        "/repos/octo-org/hello-world/issues?state=all&sort=updated&direction=desc&per_page=100",
                        "/repos/octo-org/hello-world/issues/comments?sort=updated&direction=desc"
                                + "&since=2026-11-01T10%3A00%3A00Z&per_page=100",
                        "/repos/octo-org/hello-world/pulls/comments?sort=updated&direction=desc&per_page=50",
                        "/users/dependabot%5Bbot%5D", "/repos/octo-org/hello_world", "/events?per_page=100"),
                r.stream().map(FakeGitHub.Request::uri).toList());
        for (FakeGitHub.Request request : r) {
            assertEquals("Bearer s3cret", request.authorization());
            assertEquals("test-agent", request.userAgent());
            assertEquals("application/vnd.github+json", request.accept());
            assertEquals("2022-11-28", request.apiVersion());
        }
        assertNull(r.getFirst().ifNoneMatch());
        assertEquals("W/\"e1\"", r.getLast().ifNoneMatch());
    }

    @Test
    void withoutATokenNoAuthorizationIsSent() throws Exception {
        for (Optional<String> none : List.of(Optional.<String>empty(), Optional.of(" "))) {
            fetch(client(fake.baseUrl(), none, GitHubEventsClient.MAX_BODY_BYTES), GitHubRequest.events(1));
        }
        assertEquals(2, fake.requests().size());
        fake.requests().forEach(r -> assertNull(r.authorization()));
    }

    @Test
    void aBaseUrlWithAPathKeepsIt() throws Exception {
        GitHubEventsClient client = client(fake.baseUrl() + "/api/v3", Optional.empty(), GitHubEventsClient.MAX_BODY_BYTES);
        fetch(client, GitHubRequest.events(100));
        fetch(client, GitHubRequest.link(fake.baseUrl() + "/api/v3/events?per_page=100&page=2"));
        assertEquals(List.of("/api/v3/events?per_page=100", "/api/v3/events?per_page=100&page=2"),
                fake.requests().stream().map(FakeGitHub.Request::uri).toList());
    }

    @Test
    void everyStatusIsAnAnswerWithItsRawBodyAndHeaders() throws Exception {
        String page = "[{\"id\":\"1\",\"type\":\"WatchEvent\",\"note\":\"caf\u00e9 \\u00e9\"}]\n";
        Instant reset = Instant.parse("2030-01-01T00:00:00Z");
        fake.reset(FakeGitHub.ok(page).header("ETag", "W/\"a\"")
                        .header("Link", "<{base}/events?page=2>; rel=\"next\"")
                        .header("X-RateLimit-Remaining", "4999").header("X-RateLimit-Limit", "5000")
                        .header("X-RateLimit-Reset", Long.toString(reset.getEpochSecond())).header("X-RateLimit-Used", "1"),
                FakeGitHub.notModified(),
                FakeGitHub.status(403, "{\"message\":\"API rate limit exceeded\"}").header("Retry-After", "7"),
                FakeGitHub.status(500, "oops"),
                FakeGitHub.status(301, "{\"message\":\"Moved Permanently\"}").header("Location", "{base}/repositories/42"));
        GitHubEventsClient client = client();

        EventsPage ok = fetch(client, GitHubRequest.events(100));
        assertEquals(200, ok.status());
        assertArrayEquals(page.getBytes(StandardCharsets.UTF_8), ok.body(), "byte for byte");
        assertEquals(Optional.of("W/\"a\""), ok.etag());
        assertEquals(Optional.of(Duration.ofSeconds(1)), ok.pollInterval());
        assertEquals(Optional.of(fake.baseUrl() + "/events?page=2"), ok.nextUrl());
        assertEquals(Optional.of(new EventsPage.RateLimit(5000, 4999, reset, 1)), ok.rateLimit());

        EventsPage notModified = fetch(client, GitHubRequest.events(100));
        assertTrue(notModified.notModified());
        assertEquals(0, notModified.body().length);

        EventsPage limited = fetch(client, GitHubRequest.events(100));
        assertTrue(limited.rateLimited());
        assertEquals(Optional.of(Duration.ofSeconds(7)), limited.retryAfter());
        assertEquals("{\"message\":\"API rate limit exceeded\"}", new String(limited.body(), StandardCharsets.UTF_8));

        EventsPage failed = fetch(client, GitHubRequest.events(100));
        assertEquals(500, failed.status());
        assertEquals("oops", new String(failed.body(), StandardCharsets.UTF_8));

        EventsPage moved = fetch(client, GitHubRequest.repoEvents("old/name", 100));
        assertEquals(301, moved.status(), "not followed");
        assertEquals(5, fake.requests().size());
    }

    @Test
    void aLinkOutsideTheApiUrlIsNeverSent() {
        FakeGitHub other = FakeGitHub.elsewhere();
        try {
            IOException e = assertThrows(IOException.class,
                    () -> fetch(client(), GitHubRequest.link(other.baseUrl() + "/events?page=2")));
            assertTrue(e.getMessage().contains("outside GITHUB_API_URL"), e.getMessage());
            assertTrue(other.requests().isEmpty());
        } finally {
            other.stop();
        }
    }

    @Test
    void aRefusedConnectionIsAnIOException() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        GitHubEventsClient client = client("http://127.0.0.1:" + closed, Optional.of("s3cret"),
                GitHubEventsClient.MAX_BODY_BYTES);
        IOException e = assertThrows(IOException.class, () -> fetch(client, GitHubRequest.events(100)));
        assertFalse(String.valueOf(e.getMessage()).contains("s3cret"));
    }

    @Test
    void anAnswerHeldPastTheRequestTimeoutIsATimeoutAndTheNextRequestGoesThrough() throws Exception {
        fake.reset(FakeGitHub.notModified().held(), FakeGitHub.ok("[]"));
        GitHubEventsClient client = client();
        assertThrows(HttpTimeoutException.class, () -> fetch(client, GitHubRequest.events(100)));
        // The client is not wedged: it answers again. Not necessarily the very next request, which a
        // loaded machine can keep past the test's 1 s deadline too (then the fake's 304s follow).
        await().atMost(Duration.ofSeconds(30)).ignoreException(HttpTimeoutException.class)
                .until(() -> fetch(client, GitHubRequest.events(100)).status(), s -> s == 200 || s == 304);
    }

    @Test
    void aBodyThatKeepsDrippingPastTheRequestTimeoutIsATimeout() throws Exception {
        // A byte every 50 ms: never idle for the client's read timeout, yet never done within 1 s.
        fake.reset(FakeGitHub.ok("[" + " ".repeat(400) + "]").dripped(), FakeGitHub.ok("[]"));
        GitHubEventsClient client = client();
        long started = System.nanoTime();
        assertThrows(HttpTimeoutException.class, () -> fetch(client, GitHubRequest.events(100)));
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(10)) < 0,
                "given up at the deadline, not when the body ended");
        assertEquals(200, fetch(client, GitHubRequest.events(100)).status());
    }

    @Test
    void aBodyDeclaredLargerThanTheBoundIsRefusedAtItsHeaders() throws Exception {
        fake.reset(FakeGitHub.ok("").endless(true), FakeGitHub.ok("[]"));
        GitHubEventsClient client = client(fake.baseUrl(), Optional.empty(), 64 * 1024);
        IOException e = assertThrows(IOException.class, () -> fetch(client, GitHubRequest.events(100)));
        assertTrue(e.getMessage().contains("larger than 65536 bytes"), e.getMessage());
        assertEquals(200, fetch(client, GitHubRequest.events(100)).status());
    }

    @Test
    void aBodyWithoutEndIsCutAtTheBound() throws Exception {
        fake.reset(FakeGitHub.ok("").endless(false), FakeGitHub.status(404, "{}").endless(false), FakeGitHub.ok("[]"));
        GitHubEventsClient client = client(fake.baseUrl(), Optional.empty(), 64 * 1024);
        for (int i = 0; i < 2; i++) {
            IOException e = assertThrows(IOException.class, () -> fetch(client, GitHubRequest.events(100)));
            assertTrue(e.getMessage().contains("larger than 65536 bytes"), e.getMessage());
        }
        assertEquals(200, fetch(client, GitHubRequest.events(100)).status());
    }

    @Test
    void anInterruptedWaitIsAnInterruptionAndEndsTheExchange() throws Exception {
        fake.reset(new Reply(200, "[]", Map.of()).held(), FakeGitHub.ok("[]"));
        GitHubEventsClient client = client();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                fetch(client, GitHubRequest.events(100));
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> fake.requests().size() == 1);
        caller.interrupt();
        Throwable t = outcome.get(10, TimeUnit.SECONDS);
        assertInstanceOf(InterruptedException.class, t);
        assertEquals(200, fetch(client, GitHubRequest.events(100)).status());
    }

    @Test
    void onlyLinksUnderTheApiUrlAreFollowable() {
        String ghe = "https://ghe.example.com/api/v3/";
        assertTrue(GitHubEventsClient.withinApi(ghe, "https://ghe.example.com/api/v3/events?per_page=100&page=2"));
        assertTrue(GitHubEventsClient.withinApi(ghe, "https://GHE.example.com:443/api/v3/events?page=3"));
        assertFalse(GitHubEventsClient.withinApi(ghe, "http://ghe.example.com/api/v3/events?page=2"), "another scheme");
        assertFalse(GitHubEventsClient.withinApi(ghe, "https://ghe.example.com:8443/api/v3/events?page=2"), "another port");
        assertFalse(GitHubEventsClient.withinApi(ghe, "https://evil.example.com/api/v3/events?page=2"), "another host");
        assertFalse(GitHubEventsClient.withinApi(ghe, "https://ghe.example.com/other/events?page=2"), "outside the path");
        assertFalse(GitHubEventsClient.withinApi(ghe, "https://ghe.example.com/api/v30/events"), "a path that only starts alike");
        assertFalse(GitHubEventsClient.withinApi(ghe, "https://ghe.example.com/api/v3/../../other/events"), "a path that climbs out");
        assertFalse(GitHubEventsClient.withinApi(ghe, "https://someone@ghe.example.com/api/v3/events"), "user info");
        assertFalse(GitHubEventsClient.withinApi(ghe, "/api/v3/events?page=2"), "not absolute");
        assertFalse(GitHubEventsClient.withinApi(ghe, "not a url at all"));

        String dotCom = "https://api.github.com";
        assertTrue(GitHubEventsClient.withinApi(dotCom, "https://api.github.com/events?per_page=100&page=2"));
        assertFalse(GitHubEventsClient.withinApi(dotCom, "https://api.github.com.evil.example/events?page=2"));
    }
}
