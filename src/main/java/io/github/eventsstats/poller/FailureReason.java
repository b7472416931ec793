package io.github.eventsstats.poller;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Why the poller is not polling, in words a person reads on the dashboard and in the health check:
 * "GitHub unreachable (connection refused) — retrying in 2 min", "rate limit reached — resumes at
 * 14:03 UTC (no token: 60 requests an hour)". Built from exceptions and the poll state only, so it
 * never holds a token (that travels in a header the exception does not carry).
 */
public final class FailureReason {

    /** GitHub's primary limit without a token, per hour. */
    static final int UNAUTHENTICATED_LIMIT = 60;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY_CLOCK = DateTimeFormatter.ofPattern("MMM d HH:mm").withZone(ZoneOffset.UTC);

    private FailureReason() {
    }

    /** A request that got no answer, in words: what went wrong on the way to GitHub. */
    static String unreachable(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpConnectTimeoutException) {
                return "GitHub unreachable (connection timed out)";
            }
            if (t instanceof ConnectException c) { // Netty's connect timeout is one too, saying so
                return c.getMessage() != null && c.getMessage().toLowerCase(Locale.ROOT).contains("timed out")
                        ? "GitHub unreachable (connection timed out)" : "GitHub unreachable (connection refused)";
            }
            if (t instanceof UnknownHostException u) {
                return "GitHub unreachable (unknown host" + (u.getMessage() == null ? "" : " " + u.getMessage()) + ")";
            }
            if (t instanceof NoRouteToHostException) {
                return "GitHub unreachable (no route to host)";
            }
            if (t instanceof SSLException) {
                return "GitHub unreachable (TLS failed)";
            }
            if (t instanceof HttpTimeoutException) {
                return "GitHub did not answer in time";
            }
        }
        return "GitHub unreachable (" + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()) + ")";
    }

    /** An answer that is not the events: what its status means. */
    static String status(int status) {
        return switch (status) {
            case 401 -> "GitHub refused the token (HTTP 401): check GITHUB_TOKEN";
            case 403 -> "GitHub refused the request (HTTP 403)";
            default -> status >= 500 ? "GitHub is failing (HTTP " + status + ")" : "GitHub answered HTTP " + status;
        };
    }

    /**
     * The sentence for a poller whose last poll did not succeed ({@code lastFailure} its reason),
     * or null when it did: the reason, then when it tries again (a time for a rate limit, which
     * GitHub set; a delay for a backoff), then, when the limit is the unauthenticated one, that a
     * token would lift it.
     *
     * @param token whether a GITHUB_TOKEN is set
     */
    public static String sentence(String lastFailure, PollState.Wait wait, Instant nextPollAt, Instant now,
                                  boolean token) {
        if (lastFailure == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(lastFailure);
        boolean toldToWait = wait == PollState.Wait.RATE_LIMIT || wait == PollState.Wait.RETRY_AFTER;
        if (nextPollAt != null) {
            if (toldToWait) {
                boolean sameDay = Duration.between(now, nextPollAt).compareTo(Duration.ofHours(20)) < 0;
                out.append(" — resumes at ").append((sameDay ? CLOCK : DAY_CLOCK).format(nextPollAt)).append(" UTC");
            } else {
                Duration in = Duration.between(now, nextPollAt);
                out.append(in.isNegative() || in.isZero() ? " — retrying now" : " — retrying in " + roughly(in));
            }
        }
        if (!token && toldToWait) {
            out.append(" (no token: ").append(UNAUTHENTICATED_LIMIT).append(" requests an hour)");
        }
        return out.toString();
    }

    /** 45 s, 2 min, 1 h 5 min: as a person says a wait. */
    static String roughly(Duration d) {
        long s = Math.max(1, d.toSeconds());
        if (s < 60) {
            return s + " s";
        }
        long min = Math.round(s / 60.0);
        return min < 60 ? min + " min" : (min / 60) + " h" + (min % 60 == 0 ? "" : " " + min % 60 + " min");
    }
}
