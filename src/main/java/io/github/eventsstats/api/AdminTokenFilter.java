package io.github.eventsstats.api;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The gate of every {@link AdminOnly} endpoint. The token is never logged nor echoed. A burst of
 * wrong tokens locks every admin endpoint for a while ({@link TokenFailures}): 429 with Retry-After.
 */
@jakarta.ws.rs.ext.Provider
@AdminOnly
@Priority(Priorities.AUTHENTICATION)
public class AdminTokenFilter implements ContainerRequestFilter {

    private static final String BEARER = "Bearer ";

    // Filters are built while REST deploys, before config mappings exist: read the token lazily.
    @Inject
    Provider<AdminConfig> config;
    @Inject
    Provider<TokenFailures> failures;
    private volatile Optional<byte[]> expected;

    @Override
    public void filter(ContainerRequestContext request) {
        Optional<byte[]> expected = this.expected;
        if (expected == null) {
            expected = config.get().token().filter(t -> !t.isBlank()).map(AdminTokenFilter::digest);
            this.expected = expected;
        }
        String path = request.getUriInfo().getRequestUri().getRawPath();
        if (expected.isEmpty()) {
            request.abortWith(problem(Response.Status.NOT_FOUND,
                    "No resource at " + path + "; admin endpoints are off until ADMIN_TOKEN is set", path));
            return;
        }
        Optional<TokenFailures.Lockout> lockout = failures.get().locked();
        if (lockout.isPresent()) {
            request.abortWith(locked(lockout.get(), path));
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            request.abortWith(unauthorized("this admin endpoint needs Authorization: Bearer <ADMIN_TOKEN>", path));
        } else if (!MessageDigest.isEqual(expected.get(), digest(header.substring(BEARER.length()).strip()))) {
            failures.get().failed();
            request.abortWith(unauthorized("the bearer token is not ADMIN_TOKEN", path));
        }
    }

    private static Response locked(TokenFailures.Lockout lockout, String path) {
        return Response.fromResponse(problem(Response.Status.TOO_MANY_REQUESTS, "Too many wrong admin tokens within"
                        + " a minute: the admin endpoints refuse every request until " + lockout.until()
                        + "; try again then", path))
                .header(HttpHeaders.RETRY_AFTER, lockout.secondsLeft()).build();
    }

    /** Comparing digests keeps the comparison constant-time whatever the lengths. */
    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Response unauthorized(String detail, String path) {
        return Response.fromResponse(problem(Response.Status.UNAUTHORIZED, detail, path))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"admin\"").build();
    }

    private static Response problem(Response.Status status, String detail, String path) {
        Problem body = new Problem("about:blank", status.getReasonPhrase(), status.getStatusCode(), detail, path, null);
        return Response.status(status).entity(body).type(Problem.MEDIA_TYPE).build();
    }
}
