package io.github.eventsstats.metrics;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The lifecycle figures' rules, with exact values. */
class LifecycleFiguresTest {

    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z"); // a Wednesday

    @Test
    void quantilesAreTheNearestRankSoAlwaysOneOfTheValues() {
        long[] four = {10, 20, 30, 40};
        assertEquals(20L, Lifecycle.quantile(four, 0.5), "rank ceil(2) = 2");
        assertEquals(40L, Lifecycle.quantile(four, 0.9), "rank ceil(3.6) = 4");
        long[] ten = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertEquals(5L, Lifecycle.quantile(ten, 0.5));
        assertEquals(9L, Lifecycle.quantile(ten, 0.9));
        assertEquals(7L, Lifecycle.quantile(new long[]{7}, 0.5));
        assertNull(Lifecycle.quantile(new long[0], 0.5));
    }

    @Test
    void statsCountOnlyTheItemsTheFieldCountsAndNeverANegativeWait() {
        List<Lifecycle.ItemLife> items = List.of(
                new Lifecycle.ItemLife(1, T0, T0.plusSeconds(100), T0.plusSeconds(100), false, null),
                new Lifecycle.ItemLife(2, T0, T0.plusSeconds(300), T0.plusSeconds(300), false, T0.plusSeconds(5)),
                new Lifecycle.ItemLife(3, T0, T0.plusSeconds(50), null, false, T0.minusSeconds(9)),
                new Lifecycle.ItemLife(4, T0, null, null, true, null));
        Lifecycle.Stats merge = Lifecycle.stats(items, Lifecycle.ItemLife::merged, Lifecycle.ItemLife::toMerge);
        assertEquals(new Lifecycle.Stats(100L, 300L, 200.0), merge);
        Lifecycle.Stats response = Lifecycle.stats(items, i -> i.firstResponseAt() != null,
                Lifecycle.ItemLife::toFirstResponse);
        assertEquals(0L, response.p50(), "a response stamped before its item is no negative wait");
        assertEquals(new Lifecycle.Stats(null, null, null),
                Lifecycle.stats(List.of(), Lifecycle.ItemLife::merged, Lifecycle.ItemLife::toMerge));
    }

    @Test
    void weeksStartOnMondayUtcAndEveryWeekOfTheWindowIsListed() {
        assertEquals(LocalDate.parse("2026-11-30"), Lifecycle.week(T0));
        assertEquals(LocalDate.parse("2026-11-30"), Lifecycle.week(Instant.parse("2026-11-30T00:00:00Z")));
        assertEquals(LocalDate.parse("2026-11-23"), Lifecycle.week(Instant.parse("2026-11-29T23:59:59Z")));
        var weeks = Lifecycle.byWeek(List.of(new Lifecycle.ItemLife(1, T0, null, null, false, null)),
                T0.minusSeconds(20 * 86_400L), T0);
        assertEquals(List.of(LocalDate.parse("2026-11-09"), LocalDate.parse("2026-11-16"),
                LocalDate.parse("2026-11-23"), LocalDate.parse("2026-11-30")), List.copyOf(weeks.keySet()));
        assertEquals(1, weeks.get(LocalDate.parse("2026-11-30")).size());
    }
}
