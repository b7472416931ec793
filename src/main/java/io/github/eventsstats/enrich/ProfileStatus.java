package io.github.eventsstats.enrich;

import java.util.Locale;
import java.util.Optional;

/** What GitHub said of a profile, as actor_profiles.status and repo_profiles.status keep it. */
public enum ProfileStatus {
    /** 200: the profile. */
    OK,
    /** 404 or 410: a deleted user or repository (a private repository looks the same). */
    NOT_FOUND,
    /** 301 and the like: a renamed or transferred repository (its events go on under the new name). */
    MOVED,
    /** 451, or a 403 that is not a rate limit: GitHub blocks it. */
    UNAVAILABLE;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ProfileStatus of(String tag) {
        return valueOf(tag.toUpperCase(Locale.ROOT));
    }

    /** The lasting state an error answer tells, if it tells one; empty for 5xx, rate limits and the like. */
    static Optional<ProfileStatus> ofError(int status, boolean rateLimit) {
        return switch (status) {
            case 404, 410 -> Optional.of(NOT_FOUND);
            case 301, 302, 307, 308 -> Optional.of(MOVED);
            case 451 -> Optional.of(UNAVAILABLE);
            case 403 -> rateLimit ? Optional.empty() : Optional.of(UNAVAILABLE);
            default -> Optional.empty();
        };
    }
}
