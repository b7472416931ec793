package io.github.eventsstats.metrics;

import io.github.eventsstats.rollup.HourlyRollup;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which repositories can be a window's top {@code limit}, from the rows of
 * {@link MetricsQueries#TOP_REPOS_BOUNDS}, without summing every repository of every hour.
 *
 * <p>Each sealed hour lists its first {@link HourlyRollup#TOP_PER_HOUR} repositories and a bound:
 * no other repository had more events in that hour. The rest of the window (the open part) comes
 * counted per repository, its first ones ranked. So a repository in no list has at most
 * {@code T} = the sum of all bounds plus the open part's bound; a listed one has at least
 * {@code low} (its listed counts and its open count) and at most {@code low} plus the bounds of
 * the hours it is not listed in. If the {@code limit}-th largest {@code low} beats {@code T},
 * every repository outside the lists ranks below at least {@code limit} listed ones, and so does
 * every listed one whose upper bound is below that {@code low}: the answer is among the rest,
 * whose exact counts decide it. Otherwise nothing is settled and the caller sums the window.
 */
public final class TopRepoBounds {

    private TopRepoBounds() {
    }

    /** One row of {@link MetricsQueries#TOP_REPOS_BOUNDS}. */
    public record Row(String kind, String repo, long n, long m) {
    }

    /**
     * The repositories whose exact counts decide the top {@code limit}, or empty if the bounds do
     * not settle it.
     */
    public static Optional<List<String>> candidates(List<Row> rows, int limit, int topPerHour) {
        long sealedBound = 0;
        long openBound = 0;
        Map<String, Long> listed = new HashMap<>(); // events in the hours that list the repository
        Map<String, Long> covered = new HashMap<>(); // the bounds of those hours
        Map<String, Long> open = new HashMap<>();
        Set<String> openTop = new HashSet<>();
        for (Row r : rows) {
            switch (r.kind()) {
                case "bound" -> sealedBound = r.n();
                case "top" -> {
                    listed.put(r.repo(), r.n());
                    covered.put(r.repo(), r.m());
                }
                case "open" -> {
                    if (r.m() <= topPerHour) {
                        open.put(r.repo(), r.n());
                        openTop.add(r.repo());
                    } else if (r.m() == topPerHour + 1L) {
                        openBound = r.n();
                        open.putIfAbsent(r.repo(), r.n());
                    } else {
                        open.put(r.repo(), r.n());
                    }
                }
                default -> throw new IllegalArgumentException("unknown row kind " + r.kind());
            }
        }
        // A ranked-out open count still adds to a listed repository; unlisted and outside the open
        // top, a repository is bounded by T.
        Set<String> candidates = new HashSet<>(listed.keySet());
        candidates.addAll(openTop);
        long outside = sealedBound + openBound;
        record Range(String repo, long low, long high) {
        }
        List<Range> ranges = new ArrayList<>();
        for (String repo : candidates) {
            long low = listed.getOrDefault(repo, 0L) + open.getOrDefault(repo, 0L);
            long notListed = sealedBound - covered.getOrDefault(repo, 0L);
            // open counts are exact for the open top and for listed repositories (the query returns
            // both); an unlisted repository of the open top is bounded in every sealed hour
            ranges.add(new Range(repo, low, low + notListed));
        }
        if (ranges.size() < limit) {
            // fewer listed repositories than asked for: settled only if no other one has an event
            return outside == 0 ? Optional.of(ranges.stream().map(Range::repo).sorted().toList()) : Optional.empty();
        }
        ranges.sort(Comparator.comparingLong(Range::low).reversed());
        long lowAtLimit = ranges.get(limit - 1).low();
        if (outside >= lowAtLimit) {
            return Optional.empty();
        }
        return Optional.of(ranges.stream().filter(r -> r.high() >= lowAtLimit).map(Range::repo).sorted().toList());
    }
}
