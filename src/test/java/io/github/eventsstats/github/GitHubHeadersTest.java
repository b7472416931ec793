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
    void aRateLimitedAnswerSaysWhenToComeBackOnlyWithRetryAfterOrAnExhaustedLimitStillAhead() {
        Instant arrived = Instant.parse("2026-01-01T00:00:00Z");
        Map<String, String> exhausted = Map.of("X-RateLimit-Remaining", "0",
                "X-RateLimit-Reset", Long.toString(arrived.getEpochSecond() + 60));
        assertEquals(Optional.of(arrived.plusSeconds(61)),
                GitHubHeaders.page(403, new byte[0], exhausted::get, arrived).toldToWaitUntil());
        EventsPage retry = GitHubHeaders.page(429, new byte[0], Map.of("Retry-After", "5")::get, arrived);
        assertTrue(retry.rateLimited());
        assertEquals(Optional.of(arrived.plusSeconds(5)), retry.toldToWaitUntil(), "counted from the arrival");

        Map<String, String> resetPassed = Map.of("X-RateLimit-Remaining", "0",
                "X-RateLimit-Reset", Long.toString(arrived.getEpochSecond() - 5));
        assertEquals(Optional.empty(), GitHubHeaders.page(403, new byte[0], resetPassed::get, arrived).toldToWaitUntil());
        Map<String, String> secondary = Map.of("X-RateLimit-Remaining", "4000",
                "X-RateLimit-Reset", Long.toString(arrived.getEpochSecond() + 60));
        EventsPage page = GitHubHeaders.page(403, new byte[0], secondary::get, arrived);
        assertTrue(page.rateLimited());
        assertEquals(Optional.empty(), page.toldToWaitUntil());
        assertFalse(GitHubHeaders.page(500, new byte[0], name -> null, arrived).rateLimited());
    }
}
