package io.github.eventsstats.enrich;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.github.eventsstats.coverage.Coverage;
import io.github.eventsstats.enrich.EnrichmentStore.ActorProfile;
import io.github.eventsstats.enrich.EnrichmentStore.RepoProfile;
import io.github.eventsstats.enrich.EnrichmentStore.Stored;
import io.github.eventsstats.watch.History;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The answers of {@link ProfileService}: JSON bodies, snake_case names, ISO-8601 UTC instants. */
public final class ProfileAnswers {

    private ProfileAnswers() {
    }

    static final String STATUS = "ok: the profile; pending: not fetched yet; not_found: GitHub answered 404 (deleted);"
            + " moved: renamed or transferred; unavailable: GitHub blocks it (403, 451)";
    static final String FETCHED_AT = "when the profile data came from GitHub (its last 200)";
    static final String CHECKED_AT = "when GitHub was last asked (a 304 says the profile is unchanged); asked again"
            + " after ENRICH_TTL";

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(description = "An actor's enrichment and stored activity")
    public record Actor(
            @Schema(examples = "octocat") String login,
            @Schema(description = STATUS, examples = "ok") String profileStatus,
            @Schema(nullable = true, description = FETCHED_AT) Instant fetchedAt,
            @Schema(nullable = true, description = CHECKED_AT) Instant checkedAt,
            @Schema(nullable = true, description = "GET /users/{login} as stored; null unless profile_status is ok")
            Profile profile,
            Activity activity) {

        static Actor of(String login, Optional<Stored<ActorProfile>> stored, EnrichmentStore.Activity a) {
            return new Actor(login, status(stored), stored.map(Stored::fetchedAt).orElse(null),
                    stored.map(Stored::checkedAt).orElse(null), stored.map(Stored::profile).map(Profile::of).orElse(null),
                    new Activity(a.totalEvents(), a.others(), a.firstEventAt(), a.lastEventAt(), a.counts()));
        }

        @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
        public record Profile(long id, String name, String company, String location,
                              @Schema(nullable = true, description = "ISO 3166-1 alpha-2 country told offline from location;"
                                      + " null when it cannot be told", examples = "DE") String countryCode,
                              String blog, long followers, long publicRepos,
                              @Schema(nullable = true) Instant createdAt) {

            static Profile of(ActorProfile p) {
                return new Profile(p.id(), p.name(), p.company(), p.location(), p.countryCode(), p.blog(), p.followers(),
                        p.publicRepos(), p.createdAt());
            }
        }

        @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
        @Schema(description = "The actor's stored events, each counted once")
        public record Activity(long totalEvents, @Schema(description = "distinct repositories") long repositories,
                               @Schema(nullable = true) Instant firstEventAt, @Schema(nullable = true) Instant lastEventAt,
                               @Schema(description = "events by type") Map<String, Long> counts) {
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(description = "A repository's enrichment and stored activity")
    public record Repository(
            @Schema(examples = "octocat/hello-world") String repository,
            @Schema(description = STATUS, examples = "ok") String profileStatus,
            @Schema(nullable = true, description = FETCHED_AT) Instant fetchedAt,
            @Schema(nullable = true, description = CHECKED_AT) Instant checkedAt,
            @Schema(nullable = true, description = "GET /repos/{owner}/{repo} as stored; null unless profile_status is ok")
            Profile profile,
            Activity activity,
            @Schema(description = "where the loading of its history (pull requests, issues, comments) stands; asking"
                    + " queues it") History history) {

        static Repository of(String name, Optional<Stored<RepoProfile>> stored, EnrichmentStore.Activity a,
                             History history) {
            return new Repository(name, status(stored), stored.map(Stored::fetchedAt).orElse(null),
                    stored.map(Stored::checkedAt).orElse(null), stored.map(Stored::profile).map(Profile::of).orElse(null),
                    new Activity(a.totalEvents(), a.others(), a.firstEventAt(), a.lastEventAt(), a.counts()), history);
        }

        @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
        public record Profile(long id, String description, @Schema(nullable = true, examples = "Java") String language,
                              List<String> topics, long stars, long forks,
                              @Schema(nullable = true, description = "SPDX id", examples = "MIT") String license,
                              @Schema(nullable = true) Instant createdAt, boolean archived) {

            static Profile of(RepoProfile p) {
                return new Profile(p.id(), p.description(), p.language(), p.topics(), p.stars(), p.forks(), p.license(),
                        p.createdAt(), p.archived());
            }
        }

        @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
        @Schema(description = "The repository's stored events, each counted once")
        public record Activity(long totalEvents, @Schema(description = "distinct actors") long uniqueUsers,
                               @Schema(nullable = true) Instant firstEventAt, @Schema(nullable = true) Instant lastEventAt,
                               @Schema(description = "events by type") Map<String, Long> counts) {
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(description = "Countries by the actors with events created in [from, to] whose profile location tells"
            + " one; the totals say how many actors that leaves out")
    public record TopCountries(int days, Instant from, Instant to, int limit, List<Country> countries,
                               @Schema(description = "actors with events in the window") long actors,
                               @Schema(description = "of them, those with a stored profile (or a 404 for one)")
                               long actorsEnriched,
                               @Schema(description = "of them, those whose location tells a country") long actorsLocated,
                               Coverage coverage) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Country(@Schema(description = "ISO 3166-1 alpha-2", examples = "DE") String countryCode,
                          @Schema(description = "distinct actors located there") long actors,
                          @Schema(description = "their events in the window, each once") long events) {
    }

    private static String status(Optional<? extends Stored<?>> stored) {
        return stored.map(s -> s.status().tag()).orElse("pending");
    }
}
