package io.github.eventsstats.watch;

import java.util.Locale;
import java.util.Optional;

/**
 * What an error answer about a repository means for its watch: 404, 301, 451 and a 403 that is
 * not a rate limit say the repository cannot be polled (a clear state, tried again much later);
 * anything else is the poller's (retry, backoff, rate-limit waits).
 */
record Availability(WatchedRepository.Status status, String detail) {

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
