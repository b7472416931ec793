package io.github.eventsstats.github;

import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code GET /events} over the JDK HttpClient. The poller needs the raw body (to stream-parse it
 * and archive it verbatim), every response header and per-request timeouts; a typed REST client
 * would only stand in the way of those. Called from the poller's worker thread, never the event loop.
 */
@ApplicationScoped
public class GitHubEventsClient {

    private final GitHubConfig config;
    private final HttpClient http;
    private final URI base;

    GitHubEventsClient(GitHubConfig config) {
        this.config = config;
        this.base = URI.create(config.apiUrl().endsWith("/") ? config.apiUrl() : config.apiUrl() + "/");
        // No redirects: the JDK client would carry the Authorization header to wherever one points.
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The first page of the public events feed. */
    public String firstPageUrl(int perPage) {
        return base + "events?per_page=" + perPage;
    }

    /**
     * Whether a URL (a Link header's) lies under GITHUB_API_URL: same scheme, host and port, and
     * path below its path. The token goes with every request, so it must go nowhere else.
     */
    public boolean underApiUrl(String url) {
        return under(base, url);
    }

    static boolean under(URI base, String url) {
        try {
            URI u = URI.create(url);
            return base.getScheme().equalsIgnoreCase(u.getScheme())
                    && base.getHost() != null && base.getHost().equalsIgnoreCase(u.getHost())
                    && port(base) == port(u)
                    && u.getRawPath() != null && u.getRawPath().startsWith(base.getRawPath())
                    && u.getRawUserInfo() == null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** scheme://host:port of a URL, for logs: a query could carry anything. */
    public static String origin(String url) {
        try {
            URI u = URI.create(url);
            return u.getScheme() + "://" + u.getHost() + (u.getPort() >= 0 ? ":" + u.getPort() : "");
        } catch (IllegalArgumentException e) {
            return "an unparseable URL";
        }
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    /**
     * Fetches one page. The request timeout covers the whole response, body included, so a
     * server that trickles its body cannot hold the poller; the exchange is then cancelled.
     * Network failures and timeouts are IOExceptions whose messages never contain the token (it
     * only travels in a header).
     */
    public EventsPage fetch(String url, Optional<String> etag) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(config.requestTimeout())
                .header("Accept", "application/vnd.github+json")
                .header("X-GitHub-Api-Version", "2022-11-28")
                .header("User-Agent", config.userAgent())
                .GET();
        etag.ifPresent(e -> request.header("If-None-Match", e));
        config.token().filter(t -> !t.isBlank()).ifPresent(t -> request.header("Authorization", "Bearer " + t));
        CompletableFuture<HttpResponse<byte[]>> call = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> response;
        try {
            response = call.get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new HttpTimeoutException("no complete response within " + config.requestTimeout().toMillis() + " ms");
        } catch (InterruptedException e) {
            call.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("request failed: " + e.getCause(), e.getCause());
        }
        return GitHubHeaders.page(response.statusCode(), response.body(),
                name -> response.headers().firstValue(name).orElse(null), Instant.now());
    }
}
