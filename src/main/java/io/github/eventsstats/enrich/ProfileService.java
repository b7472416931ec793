package io.github.eventsstats.enrich;

import io.github.eventsstats.cache.AnswerCache;
import io.github.eventsstats.cache.Query;
import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.coverage.CoverageService;
import io.github.eventsstats.enrich.ProfileAnswers.Actor;
import io.github.eventsstats.enrich.ProfileAnswers.Country;
import io.github.eventsstats.enrich.ProfileAnswers.Repository;
import io.github.eventsstats.enrich.ProfileAnswers.TopCountries;
import io.github.eventsstats.watch.History;
import io.github.eventsstats.watch.OnDemand;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The enriched profiles as the API shows them: one actor or repository beside its stored events,
 * and the countries of the active actors. Computed off the event loop ({@link ClickHouse#async});
 * top-countries is cached ({@link TopCountriesQuery}).
 */
@ApplicationScoped
public class ProfileService {

    /** The countries of the actors active in the last {@code days}, up to now. */
    public record TopCountriesQuery(int days, int limit) implements Query<TopCountries> {
    }

    private final ClickHouse clickHouse;
    private final EnrichmentStore store;
    private final InstantSource clock;
    private final AnswerCache cache;
    private final CoverageService coverage;

    private final OnDemand onDemand;

    ProfileService(ClickHouse clickHouse, EnrichmentStore store, InstantSource clock, AnswerCache cache,
                   CoverageService coverage, OnDemand onDemand) {
        this.onDemand = onDemand;
        this.clickHouse = clickHouse;
        this.store = store;
        this.clock = clock;
        this.cache = cache;
        this.coverage = coverage;
    }

    /** Empty when neither a profile nor an event of {@code login} is stored. */
    public Uni<Optional<Actor>> actor(String login) {
        return clickHouse.async(() -> {
            var stored = store.actor(login);
            var activity = store.actorActivity(login);
            return stored.isEmpty() && activity.totalEvents() == 0 ? Optional.empty()
                    : Optional.of(Actor.of(login, stored, activity));
        });
    }

    /**
     * Empty when neither a profile nor an event of the repository {@code name} is stored. Asking
     * queues the repository's history when it is unknown (on demand), whatever the answer.
     */
    public Uni<Optional<Repository>> repository(String name) {
        History history = onDemand.ask(name).history(); // queues it when unknown
        return clickHouse.async(() -> {
            var stored = store.repository(name);
            var activity = store.repositoryActivity(name);
            return stored.isEmpty() && activity.totalEvents() == 0 ? Optional.empty()
                    : Optional.of(Repository.of(name, stored, activity, history));
        });
    }

    public Uni<TopCountries> topCountries(TopCountriesQuery query) {
        return cache.answer(query, q -> clickHouse.async(() -> {
            // Read when computed, not part of the key (see Query).
            Instant to = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            Instant from = to.minus(Duration.ofDays(q.days()));
            List<EnrichmentStore.CountryRow> rows = store.countries(from, to);
            long actors = rows.stream().mapToLong(EnrichmentStore.CountryRow::actors).sum();
            long enriched = rows.stream().filter(r -> !r.status().isEmpty())
                    .mapToLong(EnrichmentStore.CountryRow::actors).sum();
            List<Country> countries = rows.stream()
                    .filter(r -> r.status().equals(ProfileStatus.OK.tag()) && !r.country().isEmpty())
                    .map(r -> new Country(r.country(), r.actors(), r.events()))
                    .sorted(Comparator.comparingLong(Country::actors).reversed()
                            .thenComparing(Comparator.comparingLong(Country::events).reversed())
                            .thenComparing(Country::countryCode))
                    .toList();
            long located = countries.stream().mapToLong(Country::actors).sum();
            return new TopCountries(q.days(), from, to, q.limit(), countries.subList(0, Math.min(q.limit(), countries.size())),
                    actors, enriched, located, coverage.of(from, to));
        }));
    }
}
