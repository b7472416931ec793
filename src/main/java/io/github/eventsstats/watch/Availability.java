package io.github.eventsstats.watch;

import io.github.eventsstats.platform.Printable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * What an error answer about a repository means for its watch: 404, 301, 451 and a 403 that is
 * not a rate limit say the repository cannot be polled (a clear state, tried again much later);
 * anything else is the poller's (retry, backoff, rate-limit waits).
 */
record Availability(WatchedRepository.Status status, String detail) {

    private static final Logger LOG = Logger.getLogger(Availability.class);

    /** From an answer's status and GitHub's error body ({@code message}, {@code url}), if it had one. */
    static Optional<Availability> fromAnswer(int status, byte[] body, ObjectMapper json) {
        JsonNode node = null;
        if (body != null && body.length > 0) {
            try {
                node = json.readTree(body);
            } catch (IOException e) {
                node = null; // not GitHub's JSON: the status alone says it
            }
        }
        // GitHub's words, as any server could send them: escaped and bounded before they are logged or kept.
        return of(status, printable(text(node, "message")), printable(text(node, "url")));
    }

    private static String printable(String text) {
        return text == null ? null : Printable.of(text);
    }

    private static String text(JsonNode node, String name) {
        return node != null && node.path(name).isTextual() ? node.path(name).asText() : null;
    }

    /**
     * The repository takes this state: not complete, tried again after {@code retry}. Logged when
     * the state changes only, so a repository that stays gone is not a log line a day.
     */
    void applyTo(WatchedRepository live, Instant now, Duration retry) {
        if (live.status != status) {
            LOG.warnf("watch: %s: %s; next try in %s", live.repository, detail, retry);
        }
        live.status = status;
        live.lastError = detail;
        live.lastErrorAt = now;
        live.retryAt = now.plus(retry);
        live.completeSince = null;
    }

    /**
     * @param message GitHub's {@code message} field, if the body had one
     * @param url     GitHub's {@code url} field (a 301 names the new place there), if any
     */
    static Optional<Availability> of(int status, String message, String url) {
        String said = message == null || message.isBlank() ? "" : " (\"" + message + "\")";
        return switch (status) {
            case 404, 410 -> Optional.of(new Availability(WatchedRepository.Status.NOT_FOUND,
                    "GitHub answers " + status + said + ": no such public repository (a private one looks the same)"));
            case 301, 302, 307, 308 -> Optional.of(new Availability(WatchedRepository.Status.MOVED,
                    "GitHub answers " + status + said + ": the repository was renamed or transferred"
                            + (url == null ? "" : ", now at " + url) + "; watch it under its new name"));
            case 451 -> Optional.of(new Availability(WatchedRepository.Status.BLOCKED,
                    "GitHub answers 451" + said + ": unavailable for legal reasons"));
            case 403 -> message != null && message.toLowerCase(Locale.ROOT).contains("rate limit")
                    ? Optional.empty()
                    : Optional.of(new Availability(WatchedRepository.Status.FORBIDDEN,
                    "GitHub answers 403" + said + ": access to the repository is blocked"));
            default -> Optional.empty();
        };
    }
}
