package io.github.eventsstats.api;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.Set;

/**
 * Gives every request that no route answers (404, 405, and the 413 and 414 {@link RequestGate} gives
 * before routing) one {@code uri} tag. Quarkus tags a 405 on a templated route, and anything answered
 * before routing, with the raw path ({@code /actors/anyone}), so anyone could fill the registry's
 * budget of uri tags with made-up names, after which real endpoints are no longer timed.
 */
@Singleton
public class UnmatchedRequestTag {

    static final String UNMATCHED = "UNMATCHED";
    private static final Set<String> NO_ROUTE = Set.of("404", "405", "413", "414"); // Set.of: contains(null) throws

    @Produces
    @Singleton
    MeterFilter unmatchedRequests() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                String status = id.getTag("status");
                if (status != null && NO_ROUTE.contains(status) && id.getName().startsWith("http.server.")
                        && !UNMATCHED.equals(id.getTag("uri"))) {
                    return id.replaceTags(id.getTags().stream()
                            .map(t -> t.getKey().equals("uri") ? Tag.of("uri", UNMATCHED) : t).toList());
                }
                return id;
            }
        };
    }
}
