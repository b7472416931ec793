package io.github.eventsstats.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;

import java.util.Locale;

/**
 * Turns away, before any route, the requests no route should see, each with a problem+json body:
 * <ul>
 * <li>a request target longer than {@link #MAX_URI_LENGTH}: 414. Vert.x's own limit on the request
 * line ({@code quarkus.http.limits.max-initial-line-length}) is set far above it, because what Vert.x
 * refuses itself gets an empty 414 that no handler of ours can word;</li>
 * <li>a body declared (Content-Length) larger than {@link #MAX_BODY_BYTES}: 413, unread, and the
 * connection closes. No endpoint of this API reads a body. A body without a length (chunked) is
 * counted as it arrives and refused the same way once past the bound;</li>
 * <li>a path with a {@code .} or {@code ..} segment, written plainly or as {@code %2e}: 404. Vert.x
 * would resolve it first ({@code /metrics/pr-average/%2e%2e/%2e%2e} is {@code /}) and answer
 * another resource, the dashboard's page, than the one asked for.</li>
 * </ul>
 * Runs on the event loop: it reads the request line and headers, and counts a chunked body's bytes.
 */
@Singleton
public class RequestGate {

    /** Characters of a request target (path and query); this API's longest real one is far shorter. */
    static final int MAX_URI_LENGTH = 4096;
    /** Bytes of a request body. The API reads none; a small one sent by mistake is ignored. */
    static final long MAX_BODY_BYTES = 64 * 1024;
    /** Before Quarkus's own body limit (its route order -2), after its headers (which set the security headers). */
    private static final int ORDER = -3;

    private final byte[] uriTooLong;
    private final ObjectMapper json;

    RequestGate(ObjectMapper json) {
        this.json = json;
        this.uriTooLong = body(Response.Status.REQUEST_URI_TOO_LONG, "The request's URL is longer than "
                + MAX_URI_LENGTH + " characters; no URL of this API needs that many", null);
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
    }

    private void check(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (request.uri().length() > MAX_URI_LENGTH) {
            // The instance would be the over-long URL itself: left out.
            refuse(context, Response.Status.REQUEST_URI_TOO_LONG, uriTooLong);
            return;
        }
        if (declaredLength(request) > MAX_BODY_BYTES) {
            tooLarge(context);
            return;
        }
        if (hasDotSegment(request.path())) {
            refuse(context, Response.Status.NOT_FOUND, body(Response.Status.NOT_FOUND, "No resource at "
                    + request.path() + ": a path of this API has no '.' or '..' segment (nor %2e, their"
                    + " escaped form); see /q/swagger-ui", request.path()));
            return;
        }
        if (request.headers().contains(HttpHeaders.TRANSFER_ENCODING) && !request.headers().contains(
                HttpHeaders.CONTENT_LENGTH)) {
            countBody(context);
            return;
        }
        context.next();
    }

    /**
     * A body sent without a length (chunked): counted as it arrives and dropped, as no endpoint
     * reads a body; past {@link #MAX_BODY_BYTES} it is refused as a declared one is. Quarkus's own
     * limit ({@code quarkus.http.limits.max-body-size}) does not apply here, as it applies only where
     * a body is read: unbounded, a chunked body of any size was drained and the request answered.
     * The route runs once the body has ended.
     */
    private void countBody(RoutingContext context) {
        HttpServerRequest request = context.request();
        long[] received = {0};
        boolean[] refused = {false};
        request.handler(chunk -> {
            received[0] += chunk.length();
            if (!refused[0] && received[0] > MAX_BODY_BYTES) {
                refused[0] = true;
                tooLarge(context);
            }
        });
        request.endHandler(v -> {
            if (!refused[0]) {
                context.next();
            }
        });
        request.resume();
    }

    /** 413, and the connection closes once it is sent: what is left of the body is never read. */
    private void tooLarge(RoutingContext context) {
        HttpServerRequest request = context.request();
        request.response().putHeader(HttpHeaders.CONNECTION, "close");
        request.response().endHandler(v -> request.connection().close());
        refuse(context, Response.Status.REQUEST_ENTITY_TOO_LARGE, body(Response.Status.REQUEST_ENTITY_TOO_LARGE,
                "The request's body is larger than " + MAX_BODY_BYTES / 1024 + " KiB; no endpoint of this API"
                        + " reads a body, so send none", request.path()));
    }

    private static long declaredLength(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            return -1; // Vert.x refuses a malformed Content-Length before this handler
        }
    }

    /** True when a segment of the raw path is {@code .} or {@code ..}, with any dot written as {@code %2e}. */
    static boolean hasDotSegment(String rawPath) {
        if (rawPath == null) {
            return false;
        }
        for (String segment : rawPath.split("/", -1)) {
            String decoded = segment.toLowerCase(Locale.ROOT).replace("%2e", ".");
            if (decoded.equals(".") || decoded.equals("..")) {
                return true;
            }
        }
        return false;
    }

    private static void refuse(RoutingContext context, Response.Status status, byte[] body) {
        context.response().setStatusCode(status.getStatusCode())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(io.vertx.core.buffer.Buffer.buffer(body));
    }

    private byte[] body(Response.Status status, String detail, String instance) {
        try {
            return json.writeValueAsBytes(new Problem("about:blank", status.getReasonPhrase(), status.getStatusCode(),
                    detail, instance, null));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
