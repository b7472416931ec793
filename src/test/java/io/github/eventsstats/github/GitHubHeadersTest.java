package io.github.eventsstats.github;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GitHubHeadersTest {

    @Test
    void parsesLinkRelations() {
        Map<String, String> links = GitHubHeaders.links(
                "<https://api.github.com/events?page=2>; rel=\"next\", <https://api.github.com/events?page=3>; rel=\"last\"");
        assertEquals("https://api.github.com/events?page=2", links.get("next"));
        assertEquals("https://api.github.com/events?page=3", links.get("last"));
        assertTrue(GitHubHeaders.links(null).isEmpty());
        assertTrue(GitHubHeaders.links("garbage").isEmpty());
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        assertEquals(Optional.of(Duration.ofSeconds(30)), GitHubHeaders.retryAfter("30", now));
        assertEquals(Optional.of(Duration.ofSeconds(90)), GitHubHeaders.retryAfter("Thu, 01 Jan 2026 00:01:30 GMT", now));
        assertEquals(Optional.empty(), GitHubHeaders.retryAfter("soon", now));
    }

    @Test
    void readsRateLimitAndPollIntervalAndToleratesMissingHeaders() {
        Map<String, String> h = Map.of("X-RateLimit-Remaining", "42", "X-RateLimit-Reset", "1700000000",
                "X-RateLimit-Limit", "60", "X-RateLimit-Used", "18", "X-Poll-Interval", "120", "ETag", "W/\"e\"");
        EventsPage p = GitHubHeaders.page(200, "[]".getBytes(StandardCharsets.UTF_8), h::get, Instant.now());
        assertEquals(new EventsPage.RateLimit(60, 42, Instant.ofEpochSecond(1700000000), 18), p.rateLimit().orElseThrow());
        assertEquals(Duration.ofMinutes(2), p.pollInterval().orElseThrow());
        assertEquals("W/\"e\"", p.etag().orElseThrow());

        EventsPage bare = GitHubHeaders.page(200, new byte[0], name -> null, Instant.now());
        assertTrue(bare.rateLimit().isEmpty() && bare.pollInterval().isEmpty() && bare.etag().isEmpty());
        assertFalse(bare.rateLimited());
    }

    @Test
    void only403Or429WithRetryAfterOrNoRequestsLeftIsRateLimiting() {
        Map<String, String> exhausted = Map.of("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "1700000000");
        assertTrue(GitHubHeaders.page(403, new byte[0], exhausted::get, Instant.now()).rateLimited());
        assertTrue(GitHubHeaders.page(429, new byte[0], Map.of("Retry-After", "5")::get, Instant.now()).rateLimited());
        assertFalse(GitHubHeaders.page(403, new byte[0], name -> null, Instant.now()).rateLimited());
    }
}
