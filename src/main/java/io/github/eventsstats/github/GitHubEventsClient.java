package io.github.eventsstats.github;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.vertx.core.Context;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MultivaluedHashMap;
import org.jboss.resteasy.reactive.RestResponse;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpTimeoutException;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every GitHub request (the firehose, watched repositories' feeds and pulls, profiles) through the
 * Quarkus REST client ({@link GitHubApi}), made blocking for the pollers' worker threads: never call
 * it on the event loop. What a typed client does not do by itself is added here, each for a reason
 * docs/design/outbound-http.md gives: a deadline on the whole response (the client's read timeout is
 * an idle timeout), a bound on the body, no redirects, and no Link followed outside GITHUB_API_URL.
 */
@ApplicationScoped
public class GitHubEventsClient {

    /** No GitHub page comes near this (a page of 100 pull requests is a few MB): a bound for a hostile server. */
    static final long MAX_BODY_BYTES = 32L * 1024 * 1024;

    private final GitHubConfig config;
    private final GitHubApi api;
    private final InstantSource clock;
    private final long maxBodyBytes;

    @Inject
    GitHubEventsClient(GitHubConfig config, InstantSource clock) {
        this(config, clock, MAX_BODY_BYTES);
    }

    GitHubEventsClient(GitHubConfig config, InstantSource clock, long maxBodyBytes) {
        this.config = config;
        this.clock = clock;
        this.maxBodyBytes = maxBodyBytes;
        Optional<String> authorization = config.token().filter(t -> !t.isBlank()).map(t -> "Bearer " + t);
        this.api = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(config.apiUrl()))
                .connectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                // An idle timeout (no byte for this long), and the wait for a pooled connection.
                .readTimeout(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                // A 301 is a renamed or moved repository: its watcher must see it, and the token
                // must not follow a Location anywhere.
                .followRedirects(false)
                // Every status is an answer the pollers read (RestResponse), none an exception.
                .disableDefaultMapper(true)
                .userAgent(config.userAgent())
                .clientHeadersFactory((incoming, outgoing) -> {
                    MultivaluedHashMap<String, String> headers = new MultivaluedHashMap<>();
                    authorization.ifPresent(a -> headers.putSingle("Authorization", a));
                    return headers;
                })
                .httpClientRequestCustomizer(this::boundBody)
                .build(GitHubApi.class);
    }

    /** Closes the client's pooled connections when the application stops. */
    @PreDestroy
    void close() throws IOException {
        if (api instanceof Closeable closeable) {
            closeable.close();
        }
    }

    /**
     * Whether {@code url} lies under GITHUB_API_URL: same scheme, host and port, and a path below
     * its path. The token goes with every request, so a Link to anywhere else must not be followed.
     */
    public boolean withinApi(String url) {
        return withinApi(config.apiUrl(), url);
    }

    static boolean withinApi(String apiUrl, String url) {
        URI api;
        URI target;
        try {
            api = URI.create(apiUrl).normalize();
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
     * Sends one request and waits for the whole answer, on a worker or virtual thread. Network
     * failures, timeouts and an oversized body are IOExceptions whose messages never contain the
     * token (it only travels in a header). A Link outside GITHUB_API_URL is refused here too,
     * whatever the caller checked.
     */
    public EventsPage fetch(GitHubRequest request, Optional<String> etag) throws IOException, InterruptedException {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("a GitHub request waits for its answer: not on the event loop");
        }
        if (request instanceof GitHubRequest.Link link && !withinApi(link.url())) {
            throw new IOException("not sent: " + link.url() + " lies outside GITHUB_API_URL");
        }
        RestResponse<byte[]> response = within(request.send(api, etag.orElse(null)).subscribeAsCompletionStage());
        return GitHubHeaders.page(response.getStatus(), body(response), response::getHeaderString, clock.instant());
    }

    /**
     * The body as received. The client converts a 2xx's entity to bytes and leaves any other's as
     * the stream of the bytes it gathered (still within {@link #MAX_BODY_BYTES}).
     */
    private static byte[] body(RestResponse<byte[]> response) throws IOException {
        Object entity = response.getEntity();
        if (entity instanceof byte[] bytes) {
            return bytes;
        }
        if (entity instanceof InputStream in) {
            try (in) {
                return in.readAllBytes();
            }
        }
        return new byte[0];
    }

    /**
     * Waits for the whole response, body included, within GITHUB_REQUEST_TIMEOUT: the client's own
     * timeout restarts with every byte, so a body that trickles in would hold the poller for ever.
     * Cancelling resets the exchange.
     */
    private RestResponse<byte[]> within(CompletableFuture<RestResponse<byte[]>> response)
            throws IOException, InterruptedException {
        long timeout = config.requestTimeout().toMillis();
        try {
            return response.get(timeout, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            response.cancel(true);
            throw new HttpTimeoutException("no complete response within " + timeout + " ms");
        } catch (InterruptedException e) {
            response.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            // The client wraps what went wrong (a reset wraps the body bound's reason, for one).
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                if (t instanceof IOException io) {
                    throw io;
                }
                if (t instanceof TimeoutException) {
                    throw new HttpTimeoutException("no byte within " + timeout + " ms");
                }
            }
            throw new IOException(String.valueOf(e.getCause()), e.getCause());
        }
    }

    /**
     * Resets an exchange whose body would pass the bound: at once when Content-Length says so, else
     * when the bytes received do. This handler only counts; the client still gathers the body.
     */
    private void boundBody(HttpClientRequest request) {
        request.response().onSuccess(response -> {
            if (declaredLength(response) > maxBodyBytes) {
                request.reset(0, tooLarge());
                return;
            }
            long[] received = {0};
            response.handler(chunk -> {
                long before = received[0];
                received[0] += chunk.length();
                if (before <= maxBodyBytes && received[0] > maxBodyBytes) {
                    request.reset(0, tooLarge());
                }
            });
        });
    }

    private IOException tooLarge() {
        return new IOException("GitHub's answer is larger than " + maxBodyBytes + " bytes; not read further");
    }

    private static long declaredLength(HttpClientResponse response) {
        return GitHubHeaders.number(response.getHeader("Content-Length")).orElse(-1L);
    }
}
