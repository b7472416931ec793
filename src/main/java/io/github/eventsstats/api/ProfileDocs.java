package io.github.eventsstats.api;

import io.github.eventsstats.enrich.EnrichmentStore;
import jakarta.ws.rs.core.Response;

import java.util.Optional;

/** What the profile endpoints (actors, repositories) share: their texts and their answer when nothing is stored. */
final class ProfileDocs {

    private ProfileDocs() {
    }

    static final String STATUS = "ok: the profile; pending: not fetched yet; not_found: GitHub answered 404 (deleted);"
            + " moved: renamed or transferred; unavailable: GitHub blocks it (403, 451)";
    static final String FETCHED_AT = "when the profile data came from GitHub (its last 200)";
    static final String CHECKED_AT = "when GitHub was last asked (a 304 says the profile is unchanged); asked again"
            + " after ENRICH_TTL";

    static String status(Optional<? extends EnrichmentStore.Stored<?>> stored) {
        return stored.map(s -> s.status().tag()).orElse("pending");
    }

    static Response notFound(String detail, String path) {
        return ProblemMapper.problem(Response.Status.NOT_FOUND, detail, path, null).toResponse();
    }
}
