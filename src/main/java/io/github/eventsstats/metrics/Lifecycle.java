package io.github.eventsstats.metrics;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * The lifecycle figures of a window's pull requests or issues, from one row per item, without
 * I/O (docs/design/lifecycle.md has the definitions): counts by state, exact quantiles
 * (nearest rank) and means of the times to merge, close and first response, and the same by week.
 */
public final class Lifecycle {

    private Lifecycle() {
    }

    /**
     * One item created in the window: when it was closed and merged (null: not), whether a bot
     * opened it, and its first response (null: none).
     */
    public record ItemLife(long number, Instant createdAt, Instant closedAt, Instant mergedAt, boolean bot,
                           Instant firstResponseAt) {

        boolean merged() {
            return mergedAt != null;
        }

        boolean closedUnmerged() {
            return closedAt != null && mergedAt == null;
        }

        boolean open() {
            return closedAt == null && mergedAt == null;
        }

        long toMerge() {
            return seconds(mergedAt);
        }

        long toClose() {
            return seconds(closedAt);
        }

        long toFirstResponse() {
            return seconds(firstResponseAt);
        }

        /** Never negative: a clock skew between GitHub's records is not a negative wait. */
        private long seconds(Instant t) {
            return Math.max(0, Duration.between(createdAt, t).toSeconds());
        }
    }

    /** p50, p90 and the mean of some durations in seconds; each null when there are none. */
    public record Stats(Long p50, Long p90, Double mean) {
    }

    /**
     * The nearest-rank quantile: the value at rank ceil(q * n) of the n values sorted ascending,
     * so always one of the values; null without any.
     */
    static Long quantile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return null;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(1, rank) - 1];
    }

    static Stats stats(List<ItemLife> items, Predicate<ItemLife> counted, ToLongFunction<ItemLife> seconds) {
        long[] values = items.stream().filter(counted).mapToLong(seconds).sorted().toArray();
        Double mean = values.length == 0 ? null : Arrays.stream(values).average().orElseThrow();
        return new Stats(quantile(values, 0.5), quantile(values, 0.9), mean);
    }

    /** The items created in the week (Monday 00:00 UTC) of each week from {@code from}'s to {@code to}'s, in order. */
    static TreeMap<LocalDate, List<ItemLife>> byWeek(List<ItemLife> items, Instant from, Instant to) {
        TreeMap<LocalDate, List<ItemLife>> weeks = new TreeMap<>();
        for (LocalDate w = week(from); !w.isAfter(week(to)); w = w.plusWeeks(1)) {
            weeks.put(w, new ArrayList<>());
        }
        for (ItemLife i : items) {
            weeks.computeIfAbsent(week(i.createdAt()), k -> new ArrayList<>()).add(i);
        }
        return weeks;
    }

    static LocalDate week(Instant t) {
        return t.atZone(ZoneOffset.UTC).toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }
}
