package io.github.eventsstats.github;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GitHubEventsClientTest {

    @Test
    void onlyLinksUnderTheApiUrlAreFollowed() {
        URI api = URI.create("https://api.github.com/");
        assertTrue(GitHubEventsClient.under(api, "https://api.github.com/events?per_page=100&page=2"));
        assertTrue(GitHubEventsClient.under(api, "https://API.github.com:443/events?page=3"));
        assertFalse(GitHubEventsClient.under(api, "http://api.github.com/events?page=2"), "scheme");
        assertFalse(GitHubEventsClient.under(api, "https://api.github.com.evil.example/events"), "host");
        assertFalse(GitHubEventsClient.under(api, "https://api.github.com:8443/events"), "port");
        assertFalse(GitHubEventsClient.under(api, "https://user@api.github.com/events"), "user info");
        assertFalse(GitHubEventsClient.under(api, "not a url"));

        URI enterprise = URI.create("https://ghe.example.com/api/v3/");
        assertTrue(GitHubEventsClient.under(enterprise, "https://ghe.example.com/api/v3/events?page=2"));
        assertFalse(GitHubEventsClient.under(enterprise, "https://ghe.example.com/other/events?page=2"), "path");
    }
}
