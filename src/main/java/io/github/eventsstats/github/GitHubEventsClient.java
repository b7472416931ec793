package io.github.eventsstats.github;

import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code GET /events} (and the other GitHub requests: feeds, pulls, profiles) over the JDK HttpClient. The poller needs the raw body (to stream-parse it
 * and archive it verbatim), every response header and per-request timeouts; a typed REST client
 * would only stand in the way of those. Called from the poller's worker thread, never the event loop.
 */
@ApplicationScoped
public class GitHubEventsClient {

    private final GitHubConfig config;
    private final HttpClient http;
    private final InstantSource clock;

    GitHubEventsClient(GitHubConfig config, InstantSource clock) {
        this.config = config;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                // A 301 is a renamed or moved repository: its watcher must see it, and the token
                // must not follow a Location anywhere.
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The first page of the public events feed. */
    public String firstPageUrl(int perPage) {
        return api() + "events?per_page=" + perPage;
    }

    /** The first page of one repository's events; owner and repo are GitHub-valid names (no escaping needed). */
    public String repoEventsUrl(String repository, int perPage) {
        return api() + "repos/" + repository + "/events?per_page=" + perPage;
    }

    /** A page of one repository's pull requests, newest first, open and closed. */
    public String pullsUrl(String repository, int perPage) {
        return api() + "repos/" + repository + "/pulls?state=all&sort=created&direction=desc&per_page=" + perPage;
    }

    /** One user's profile; a login may end in [bot], which is escaped. */
    public String userUrl(String login) {
        return api() + "users/" + java.net.URLEncoder.encode(login, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** One repository's profile; owner and repo are GitHub-valid names (no escaping needed). */
    public String repoUrl(String repository) {
        return api() + "repos/" + repository;
    }

    private String api() {
        return config.apiUrl().endsWith("/") ? config.apiUrl() : config.apiUrl() + "/";
    }

    /**
     * Whether {@code url} lies under GITHUB_API_URL: same scheme, host and port, and a path below
     * its path. The token goes with every request, so a Link to anywhere else must not be followed.
     */
    public boolean withinApi(String url) {
        URI api;
        URI target;
        try {
            api = URI.create(config.apiUrl()).normalize();
            target = new URI(url).normalize();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return false;
        }
        String base = api.getRawPath() == null ? "" : api.getRawPath().replaceAll("/+$", "");
        String path = target.getRawPath() == null ? "" : target.getRawPath();
        return api.getScheme().equalsIgnoreCase(String.valueOf(target.getScheme()))
                && api.getHost().equalsIgnoreCase(String.valueOf(target.getHost()))
                && port(api) == port(target)
                && target.getRawUserInfo() == null
                && (base.isEmpty() || path.equals(base) || path.startsWith(base + "/"));
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /**
     * Fetches one page. Network failures and timeouts are IOExceptions whose messages never
     * contain the token (it only travels in a header).
     */
    public EventsPage fetch(String url, Optional<String> etag) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Accept", "application/vnd.github+json")
                .header("X-GitHub-Api-Version", "2022-11-28")
                .header("User-Agent", config.userAgent())
                .GET();
        etag.ifPresent(e -> request.header("If-None-Match", e));
        config.token().filter(t -> !t.isBlank()).ifPresent(t -> request.header("Authorization", "Bearer " + t));
        HttpResponse<byte[]> response = sendWithin(request.build());
        return GitHubHeaders.page(response.statusCode(), response.body(),
                name -> response.headers().firstValue(name).orElse(null), clock.instant());
    }

    /**
     * The JDK's per-request timeout stops at the response headers; a body that trickles in would
     * hold the poller indefinitely. This deadline covers the whole response, and cancelling the
     * future aborts the exchange.
     */
    private HttpResponse<byte[]> sendWithin(HttpRequest request) throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<byte[]>> response = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        try {
            return response.get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            response.cancel(true);
            throw new HttpTimeoutException("no complete response within " + config.requestTimeout().toMillis() + " ms");
        } catch (InterruptedException e) {
            response.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(String.valueOf(e.getCause()), e.getCause());
        }
    }
}
