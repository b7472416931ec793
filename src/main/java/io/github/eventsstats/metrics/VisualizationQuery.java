package io.github.eventsstats.metrics;

import io.github.eventsstats.cache.Query;
import io.github.eventsstats.metrics.MetricsAnswers.Visualization;

import java.time.Instant;

/**
 * /metrics/visualization's question: the bucket width, and the window's start and end as asked
 * (null where the default applies). {@code from} is rounded down to the interval, so that two starts
 * in one bucket are one question, as they are one answer.
 */
public record VisualizationQuery(Interval interval, Instant from, Instant to) implements Query<Visualization> {

    /** Bucket widths of the visualization. */
    public enum Interval {
        minute(60, 60), hour(3600, 24), day(86_400, 30);

        final int seconds;
        final int defaultBuckets;

        Interval(int seconds, int defaultBuckets) {
            this.seconds = seconds;
            this.defaultBuckets = defaultBuckets;
        }
    }

    public VisualizationQuery {
        from = from == null ? null : floor(from, interval.seconds);
    }

    /**
     * The window as asked at {@code now}, and its buckets: to is the end of the current interval
     * unless asked, from that many default buckets earlier unless asked, rounded down to the
     * interval. Not checked: the caller says what is too wide or empty.
     */
    public Window at(Instant now) {
        long step = interval.seconds;
        Instant end = to != null ? to : floor(now, step).plusSeconds(step);
        Instant start = from != null ? from : floor(end.minusSeconds(step * interval.defaultBuckets), step);
        long buckets = (end.getEpochSecond() - start.getEpochSecond() + step - 1) / step;
        return new Window(this, start, end, buckets);
    }

    /**
     * A window of {@code query} at the time asked. Only the query is the answer's key: a default
     * bound is relative to now (see {@link Query}).
     */
    public record Window(VisualizationQuery query, Instant from, Instant to, long buckets) {
    }

    private static Instant floor(Instant t, long stepSeconds) {
        return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), stepSeconds) * stepSeconds);
    }
}
