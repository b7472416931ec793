package io.github.eventsstats.github;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GitHubEventsClientTest {

    private static GitHubEventsClient clientFor(String apiUrl) {
        return new GitHubEventsClient(new GitHubConfig() {
            @Override
            public String apiUrl() {
                return apiUrl;
            }

            @Override
            public Optional<String> token() {
                return Optional.of("secret");
            }

            @Override
            public String userAgent() {
                return "test";
            }

            @Override
            public Duration connectTimeout() {
                return Duration.ofSeconds(1);
            }

            @Override
            public Duration requestTimeout() {
                return Duration.ofSeconds(1);
            }
        }, InstantSource.system());
    }

    @Test
    void onlyLinksUnderTheApiUrlAreFollowable() {
        GitHubEventsClient ghe = clientFor("https://ghe.example.com/api/v3/");
        assertTrue(ghe.withinApi("https://ghe.example.com/api/v3/events?per_page=100&page=2"));
        assertTrue(ghe.withinApi("https://GHE.example.com:443/api/v3/events?page=3"));
        assertFalse(ghe.withinApi("http://ghe.example.com/api/v3/events?page=2"), "another scheme");
        assertFalse(ghe.withinApi("https://ghe.example.com:8443/api/v3/events?page=2"), "another port");
        assertFalse(ghe.withinApi("https://evil.example.com/api/v3/events?page=2"), "another host");
        assertFalse(ghe.withinApi("https://ghe.example.com/other/events?page=2"), "outside the path");
        assertFalse(ghe.withinApi("https://ghe.example.com/api/v30/events"), "a path that only starts alike");
        assertFalse(ghe.withinApi("https://ghe.example.com/api/v3/../../other/events"), "a path that climbs out");
        assertFalse(ghe.withinApi("https://someone@ghe.example.com/api/v3/events"), "user info");
        assertFalse(ghe.withinApi("/api/v3/events?page=2"), "not absolute");
        assertFalse(ghe.withinApi("not a url at all"));

        GitHubEventsClient dotCom = clientFor("https://api.github.com");
        assertTrue(dotCom.withinApi("https://api.github.com/events?per_page=100&page=2"));
        assertFalse(dotCom.withinApi("https://api.github.com.evil.example/events?page=2"));
    }
}
