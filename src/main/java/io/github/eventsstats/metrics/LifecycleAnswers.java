package io.github.eventsstats.metrics;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.github.eventsstats.metrics.Lifecycle.ItemLife;
import io.github.eventsstats.metrics.Lifecycle.Stats;
import io.github.eventsstats.watch.History;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.TreeMap;

/** The answers of {@link LifecycleService}: JSON bodies, snake_case names, ISO-8601 UTC instants. */
public final class LifecycleAnswers {

    private LifecycleAnswers() {
    }

    static final String WINDOW = "An item belongs to the window by its creation time: from <= created_at <= to.";
    static final String QUANTILES = "Exact nearest-rank quantiles over the items the field counts (the value at rank"
            + " ceil(q * n) of the n sorted durations); null when it counts none.";
    static final String FIRST_RESPONSE = "The first response is the earliest comment (an issue comment or a pull-request"
            + " review comment) by someone who is neither the item's author nor a bot.";

    /** Where an answer's items came from, and whether they are all of the window's. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Completeness(boolean complete, Instant completeSince, History history) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(description = "Durations in seconds: p50, p90 and the mean. " + QUANTILES)
    public record Durations(@Schema(nullable = true) Long p50, @Schema(nullable = true) Long p90,
                            @Schema(nullable = true) Double mean) {

        static Durations of(Stats s) {
            return new Durations(s.p50(), s.p90(), s.mean());
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(description = "Durations in seconds: p50 and p90. " + QUANTILES)
    public record Quantiles(@Schema(nullable = true) Long p50, @Schema(nullable = true) Long p90) {

        static Quantiles of(Stats s) {
            return new Quantiles(s.p50(), s.p90());
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(description = "The pull requests created in one week (Monday 00:00 UTC to the next)")
    public record PullRequestWeek(
            @Schema(description = "the week's Monday", examples = "2026-11-30") LocalDate week,
            long opened,
            @Schema(description = "of those, merged by now") long merged,
            @Schema(nullable = true) Long timeToMergeP50,
            @Schema(nullable = true) Long timeToMergeP90,
            @Schema(nullable = true) Long timeToFirstResponseP50,
            @Schema(nullable = true) Long timeToFirstResponseP90) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(description = "The issues created in one week (Monday 00:00 UTC to the next)")
    public record IssueWeek(
            @Schema(description = "the week's Monday", examples = "2026-11-30") LocalDate week,
            long opened,
            @Schema(description = "of those, closed by now") long closed,
            @Schema(nullable = true) Long timeToCloseP50,
            @Schema(nullable = true) Long timeToCloseP90,
            @Schema(nullable = true) Long timeToFirstResponseP50,
            @Schema(nullable = true) Long timeToFirstResponseP90) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(description = "The lifecycle of a repository's pull requests created in the last `days` days. " + WINDOW
            + " " + FIRST_RESPONSE)
    public record PullRequests(
            @Schema(examples = "octocat/hello-world") String repository,
            int days,
            Instant from,
            @Schema(description = "the service's clock when computed, to the second") Instant to,
            @Schema(description = "whether bot-authored PRs are counted (include_bots)") boolean includeBots,
            @Schema(description = "PRs created in the window") long opened,
            @Schema(description = "of them, merged") long merged,
            @Schema(description = "of them, closed without a merge") long closedUnmerged,
            @Schema(description = "of them, still open") long open,
            @Schema(description = "merged / (merged + closed_unmerged); null when both are 0", nullable = true)
            Double mergeRate,
            @Schema(description = "merged_at - created_at over the merged PRs") Durations timeToMergeSeconds,
            @Schema(description = "closed_at - created_at over the PRs closed without a merge") Durations timeToCloseSeconds,
            @Schema(description = "first response - created_at over the PRs with a response")
            Quantiles timeToFirstResponseSeconds,
            @Schema(description = "PRs without a response yet") long unanswered,
            @Schema(description = "every week of the window, oldest first; weeks without PRs hold 0 and nulls")
            List<PullRequestWeek> byWeek,
            @Schema(description = "true when the repository's history is loaded: every PR of the window is counted;"
                    + " false: only the PRs whose opened event this service stored") boolean complete,
            @Schema(description = "with complete: the repository's first PR or issue (or when its history was loaded"
                    + " if it has none); null otherwise", nullable = true) Instant completeSince,
            History history,
            @Schema(description = "bot-authored PRs of the window left out (author type Bot or a login ending in"
                    + " [bot]); 0 with include_bots=true") long botsExcluded) {

        static PullRequests of(String repository, int days, Instant from, Instant to, boolean includeBots,
                               List<ItemLife> all, Completeness c) {
            List<ItemLife> items = counted(all, includeBots);
            long merged = items.stream().filter(ItemLife::merged).count();
            long closed = items.stream().filter(ItemLife::closedUnmerged).count();
            TreeMap<LocalDate, List<ItemLife>> weeks = Lifecycle.byWeek(items, from, to);
            List<PullRequestWeek> byWeek = weeks.entrySet().stream().map(e -> week(e.getKey(), e.getValue())).toList();
            return new PullRequests(repository, days, from, to, includeBots, items.size(), merged, closed,
                    items.stream().filter(ItemLife::open).count(),
                    merged + closed == 0 ? null : (double) merged / (merged + closed),
                    Durations.of(Lifecycle.stats(items, ItemLife::merged, ItemLife::toMerge)),
                    Durations.of(Lifecycle.stats(items, ItemLife::closedUnmerged, ItemLife::toClose)),
                    Quantiles.of(responses(items)),
                    countUnanswered(items), byWeek,
                    c.complete(), c.completeSince(), c.history(), all.size() - items.size());
        }

        private static PullRequestWeek week(LocalDate week, List<ItemLife> items) {
            Stats merge = Lifecycle.stats(items, ItemLife::merged, ItemLife::toMerge);
            Stats response = responses(items);
            return new PullRequestWeek(week, items.size(), items.stream().filter(ItemLife::merged).count(), merge.p50(),
                    merge.p90(), response.p50(), response.p90());
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(description = "The lifecycle of a repository's issues (not pull requests) created in the last `days` days. "
            + WINDOW + " " + FIRST_RESPONSE)
    public record Issues(
            @Schema(examples = "octocat/hello-world") String repository,
            int days,
            Instant from,
            @Schema(description = "the service's clock when computed, to the second") Instant to,
            @Schema(description = "whether bot-authored issues are counted (include_bots)") boolean includeBots,
            @Schema(description = "issues created in the window") long opened,
            @Schema(description = "of them, closed") long closed,
            @Schema(description = "of them, still open") long open,
            @Schema(description = "closed_at - created_at over the closed issues") Durations timeToCloseSeconds,
            @Schema(description = "first response - created_at over the issues with a response")
            Quantiles timeToFirstResponseSeconds,
            @Schema(description = "issues without a response yet") long unanswered,
            @Schema(description = "every week of the window, oldest first; weeks without issues hold 0 and nulls")
            List<IssueWeek> byWeek,
            @Schema(description = "true when the repository's history is loaded: every issue of the window is"
                    + " counted; false: only the issues whose opened event this service stored") boolean complete,
            @Schema(description = "with complete: the repository's first PR or issue (or when its history was loaded"
                    + " if it has none); null otherwise", nullable = true) Instant completeSince,
            History history,
            @Schema(description = "bot-authored issues of the window left out; 0 with include_bots=true")
            long botsExcluded) {

        static Issues of(String repository, int days, Instant from, Instant to, boolean includeBots,
                         List<ItemLife> all, Completeness c) {
            List<ItemLife> items = counted(all, includeBots);
            long closed = items.stream().filter(i -> i.closedAt() != null).count();
            TreeMap<LocalDate, List<ItemLife>> weeks = Lifecycle.byWeek(items, from, to);
            List<IssueWeek> byWeek = weeks.entrySet().stream().map(e -> week(e.getKey(), e.getValue())).toList();
            return new Issues(repository, days, from, to, includeBots, items.size(), closed, items.size() - closed,
                    Durations.of(Lifecycle.stats(items, i -> i.closedAt() != null, ItemLife::toClose)),
                    Quantiles.of(responses(items)),
                    countUnanswered(items), byWeek,
                    c.complete(), c.completeSince(), c.history(), all.size() - items.size());
        }

        private static IssueWeek week(LocalDate week, List<ItemLife> items) {
            Stats close = Lifecycle.stats(items, i -> i.closedAt() != null, ItemLife::toClose);
            Stats response = responses(items);
            return new IssueWeek(week, items.size(), items.stream().filter(i -> i.closedAt() != null).count(),
                    close.p50(), close.p90(), response.p50(), response.p90());
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(description = "One repository of a comparison: its pull-request and issue answers")
    public record Compared(String repository, PullRequests pullRequests, Issues issues) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(description = "Up to 10 repositories side by side, in the order asked")
    public record Comparison(int days, boolean includeBots, List<Compared> repositories) {
    }

    /** The items a window counts: all, or those not by a bot. */
    private static List<ItemLife> counted(List<ItemLife> all, boolean includeBots) {
        return includeBots ? all : all.stream().filter(i -> !i.bot()).toList();
    }

    /** Time to the first response, over the items that have one. */
    private static Stats responses(List<ItemLife> items) {
        return Lifecycle.stats(items, i -> i.firstResponseAt() != null, ItemLife::toFirstResponse);
    }

    private static long countUnanswered(List<ItemLife> items) {
        return items.stream().filter(i -> i.firstResponseAt() == null).count();
    }
}
