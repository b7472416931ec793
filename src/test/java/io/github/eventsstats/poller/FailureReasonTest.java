package io.github.eventsstats.poller;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The poller's failure reasons, in the words the dashboard and the health check show. */
class FailureReasonTest {

    private static final Instant NOW = Instant.parse("2026-03-01T13:41:10Z");

    @Test
    void aClosedPortIsGitHubUnreachableWithConnectionRefused() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed when the test connects
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/events")).build();
        IOException e = assertThrows(IOException.class, () -> HttpClient.newHttpClient()
                .send(request, HttpResponse.BodyHandlers.discarding()));
        assertEquals("GitHub unreachable (connection refused)", FailureReason.unreachable(e));
    }

    @Test
    void aConnectTimeoutIsNotARefusal() {
        assertEquals("GitHub unreachable (connection timed out)", FailureReason.unreachable(
                new java.io.IOException(new java.net.ConnectException("connection timed out after 10000 ms: /10.1.1.1:443"))));
        assertEquals("GitHub unreachable (unknown host api.github.test)", FailureReason.unreachable(
                new java.net.UnknownHostException("api.github.test")));
    }

    @Test
    void aBackoffSaysInHowLongAndARateLimitAtWhatTime() {
        assertEquals("GitHub unreachable (connection refused) — retrying in 2 min",
                FailureReason.sentence("GitHub unreachable (connection refused)", PollState.Wait.BACKOFF,
                        NOW.plusSeconds(110), NOW, true));
        assertEquals("rate limit reached — resumes at 14:03 UTC",
                FailureReason.sentence("rate limit reached", PollState.Wait.RATE_LIMIT,
                        Instant.parse("2026-03-01T14:03:01Z"), NOW, true));
    }

    @Test
    void withoutATokenARateLimitSaysWhatATokenWouldChange() {
        assertEquals("rate limit reached — resumes at 14:03 UTC (no token: 60 requests an hour)",
                FailureReason.sentence("rate limit reached", PollState.Wait.RATE_LIMIT,
                        Instant.parse("2026-03-01T14:03:01Z"), NOW, false));
        assertEquals("GitHub is failing (HTTP 502) — retrying in 45 s",
                FailureReason.sentence(FailureReason.status(502), PollState.Wait.BACKOFF, NOW.plusSeconds(45), NOW, false),
                "a failure the token does not change says nothing of it");
    }

    @Test
    void aSuccessHasNoReason() {
        assertNull(FailureReason.sentence(null, PollState.Wait.INTERVAL, NOW.plusSeconds(60), NOW, false));
    }

    @Test
    void waitsAreSaidRoughly() {
        assertEquals("1 s", FailureReason.roughly(Duration.ofMillis(300)));
        assertEquals("59 s", FailureReason.roughly(Duration.ofSeconds(59)));
        assertEquals("2 min", FailureReason.roughly(Duration.ofSeconds(100)));
        assertEquals("1 h 5 min", FailureReason.roughly(Duration.ofMinutes(65)));
        assertEquals("2 h", FailureReason.roughly(Duration.ofMinutes(120)));
    }
}
