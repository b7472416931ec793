package io.github.eventsstats.watch;

import io.github.eventsstats.watch.GeneratedHistory.Comment;
import io.github.eventsstats.watch.GeneratedHistory.Item;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lifecycle fields computed straight from a generated truth, written apart from the service's
 * code: what every field of /metrics/pull-requests and /metrics/issues must equal. Durations are
 * whole seconds; quantiles nearest-rank; JSON-shaped maps so a test compares them with the answer.
 */
final class LifecycleOracle {

    private LifecycleOracle() {
    }

    /** The items of one kind created in [from, to], bots out unless asked for. */
    static List<Item> window(GeneratedHistory h, boolean pulls, Instant from, Instant to, boolean bots) {
        List<Item> out = new ArrayList<>();
        for (Item i : h.items) {
            if (i.pull == pulls && !i.createdAt.isBefore(from) && !i.createdAt.isAfter(to) && (bots || !i.author.bot())) {
                out.add(i);
            }
        }
        return out;
    }

    static long botsLeftOut(GeneratedHistory h, boolean pulls, Instant from, Instant to, boolean bots) {
        return bots ? 0 : window(h, pulls, from, to, true).size() - window(h, pulls, from, to, false).size();
    }

    /** The earliest comment by someone neither the author nor a bot, or null. */
    static Instant firstResponse(GeneratedHistory h, Item item) {
        Instant first = null;
        for (Comment c : h.comments) {
            if (c.number() == item.number && !c.author().bot() && !c.author().login().equals(item.author.login())
                    && (first == null || c.createdAt().isBefore(first))) {
                first = c.createdAt();
            }
        }
        return first;
    }

    static Long nearestRank(List<Long> values, double q) {
        if (values.isEmpty()) {
            return null;
        }
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(rank, 1) - 1);
    }

    static Double mean(List<Long> values) {
        if (values.isEmpty()) {
            return null;
        }
        double sum = 0;
        for (long v : values) {
            sum += v;
        }
        return sum / values.size();
    }

    private static long seconds(Instant from, Instant to) {
        return to.getEpochSecond() - from.getEpochSecond();
    }

    static Map<String, Object> durations(List<Long> values, boolean withMean) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("p50", nearestRank(values, 0.5));
        m.put("p90", nearestRank(values, 0.9));
        if (withMean) {
            m.put("mean", mean(values));
        }
        return m;
    }

    static List<Long> toMerge(List<Item> items) {
        return items.stream().filter(i -> i.mergedAt != null).map(i -> seconds(i.createdAt, i.mergedAt)).toList();
    }

    static List<Long> toCloseUnmerged(List<Item> items) {
        return items.stream().filter(i -> i.closedAt != null && i.mergedAt == null)
                .map(i -> seconds(i.createdAt, i.closedAt)).toList();
    }

    static List<Long> toClose(List<Item> items) {
        return items.stream().filter(i -> i.closedAt != null).map(i -> seconds(i.createdAt, i.closedAt)).toList();
    }

    static List<Long> toFirstResponse(GeneratedHistory h, List<Item> items) {
        List<Long> out = new ArrayList<>();
        for (Item i : items) {
            Instant r = firstResponse(h, i);
            if (r != null) {
                out.add(seconds(i.createdAt, r));
            }
        }
        return out;
    }

    static LocalDate monday(Instant t) {
        LocalDate d = t.atZone(ZoneOffset.UTC).toLocalDate();
        while (d.getDayOfWeek() != DayOfWeek.MONDAY) {
            d = d.minusDays(1);
        }
        return d;
    }

    /** The pull-request answer's fields (those that are numbers, in JSON's shape). */
    static Map<String, Object> pullRequests(GeneratedHistory h, Instant from, Instant to, boolean bots) {
        List<Item> items = window(h, true, from, to, bots);
        long merged = items.stream().filter(i -> i.mergedAt != null).count();
        long closed = items.stream().filter(i -> i.closedAt != null && i.mergedAt == null).count();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("opened", (long) items.size());
        m.put("merged", merged);
        m.put("closed_unmerged", closed);
        m.put("open", items.stream().filter(i -> i.closedAt == null).count());
        m.put("merge_rate", merged + closed == 0 ? null : (double) merged / (merged + closed));
        m.put("time_to_merge_seconds", durations(toMerge(items), true));
        m.put("time_to_close_seconds", durations(toCloseUnmerged(items), true));
        m.put("time_to_first_response_seconds", durations(toFirstResponse(h, items), false));
        m.put("unanswered", items.stream().filter(i -> firstResponse(h, i) == null).count());
        m.put("bots_excluded", botsLeftOut(h, true, from, to, bots));
        m.put("by_week", byWeek(h, items, from, to, (in, row) -> {
            row.put("merged", in.stream().filter(i -> i.mergedAt != null).count());
            row.put("time_to_merge_p50", nearestRank(toMerge(in), 0.5));
            row.put("time_to_merge_p90", nearestRank(toMerge(in), 0.9));
        }));
        return m;
    }

    /** The issue answer's fields. */
    static Map<String, Object> issues(GeneratedHistory h, Instant from, Instant to, boolean bots) {
        List<Item> items = window(h, false, from, to, bots);
        long closed = items.stream().filter(i -> i.closedAt != null).count();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("opened", (long) items.size());
        m.put("closed", closed);
        m.put("open", items.size() - closed);
        m.put("time_to_close_seconds", durations(toClose(items), true));
        m.put("time_to_first_response_seconds", durations(toFirstResponse(h, items), false));
        m.put("unanswered", items.stream().filter(i -> firstResponse(h, i) == null).count());
        m.put("bots_excluded", botsLeftOut(h, false, from, to, bots));
        m.put("by_week", byWeek(h, items, from, to, (in, row) -> {
            row.put("closed", in.stream().filter(i -> i.closedAt != null).count());
            row.put("time_to_close_p50", nearestRank(toClose(in), 0.5));
            row.put("time_to_close_p90", nearestRank(toClose(in), 0.9));
        }));
        return m;
    }

    /**
     * A row for each week (Monday UTC) from the window's first to its last: week, opened, what
     * {@code kindFields} adds for the items created in it, and their first-response quantiles.
     */
    private static List<Map<String, Object>> byWeek(GeneratedHistory h, List<Item> items, Instant from, Instant to,
                                                    java.util.function.BiConsumer<List<Item>, Map<String, Object>> kindFields) {
        List<Map<String, Object>> weeks = new ArrayList<>();
        for (LocalDate w = monday(from); !w.isAfter(monday(to)); w = w.plusWeeks(1)) {
            LocalDate week = w;
            List<Item> in = items.stream().filter(i -> monday(i.createdAt).equals(week)).toList();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("week", week.toString());
            row.put("opened", (long) in.size());
            kindFields.accept(in, row);
            row.put("time_to_first_response_p50", nearestRank(toFirstResponse(h, in), 0.5));
            row.put("time_to_first_response_p90", nearestRank(toFirstResponse(h, in), 0.9));
            weeks.add(row);
        }
        return weeks;
    }
}
