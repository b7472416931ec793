package io.github.eventsstats.github;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** How to reach the GitHub API. */
@ConfigMapping(prefix = "github")
public interface GitHubConfig {

    /** GITHUB_API_URL. */
    @WithDefault("https://api.github.com")
    String apiUrl();

    /** GITHUB_TOKEN: optional; 60 requests/h without, 5,000/h with. Never logged. */
    Optional<String> token();

    /** GITHUB_USER_AGENT: GitHub refuses requests without one. */
    @WithDefault("github-events-stats")
    String userAgent();

    /** GITHUB_CONNECT_TIMEOUT. */
    @WithDefault("10s")
    Duration connectTimeout();

    /** GITHUB_REQUEST_TIMEOUT: the whole response must arrive within this. */
    @WithDefault("30s")
    Duration requestTimeout();
}
