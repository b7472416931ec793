package io.github.eventsstats.coverage;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.github.eventsstats.event.EventSource;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** What an answer rests on: the `coverage` object of every windowed metrics answer. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(description = "How much of GitHub's events of the kept types the answer rests on, over the UTC hours its"
        + " window touches (as of the last coverage refresh)")
public record Coverage(
        @Schema(description = "first hour of the window") Instant fromHour,
        @Schema(description = "end of the last hour, exclusive") Instant toHour,
        @Schema(description = "sources that saw events in these hours", examples = "[\"firehose\", \"archive\"]")
        List<String> sources,
        @Schema(description = "UTC hours the window touches") long hours,
        @Schema(description = "hours where the sources saw at least 99% of the estimated events") long hoursComplete,
        @Schema(description = "hours with events seen, but not complete (or without an estimate)") long hoursSampled,
        @Schema(description = "hours no source saw anything of") long hoursWithoutData,
        @Schema(description = "hours with a capture-recapture estimate (firehose and archive both saw the hour)")
        long hoursEstimated,
        @Schema(description = "distinct events any source saw in these hours") long eventsSeen,
        @Schema(description = "GitHub's events in the estimated hours (Chapman estimate); null without any",
                nullable = true) Double eventsEstimated,
        @Schema(description = "events seen / events estimated, over the estimated hours; null without any",
                nullable = true) Double estimatedFractionSeen,
        @Schema(description = "the start of the first UTC day whose events are kept (EVENTS_RETENTION): events created"
                + " before it have expired; null while events are kept for ever", nullable = true)
        Instant eventsExpiredBefore,
        @Schema(description = "hours of the window before events_expired_before. Their events are gone: answers that"
                + " count whole hours (events, visualization by hour or day, events-total-count, top-repos) take those"
                + " hours from the hourly rollups; every other count, and a window's partial first or last hour there,"
                + " has nothing of them") long hoursExpired,
        @Schema(description = "false when events this service stored are not in the coverage yet (it is computed"
                + " before answering; false only when that failed): the hours' figures may then be too low")
        boolean upToDate) {

    /** The same summary, saying whether the hours it rests on were computed with every stored event. */
    Coverage upToDate(boolean current) {
        return current == upToDate ? this : new Coverage(fromHour, toHour, sources, hours, hoursComplete, hoursSampled,
                hoursWithoutData, hoursEstimated, eventsSeen, eventsEstimated, estimatedFractionSeen, eventsExpiredBefore,
                hoursExpired, current);
    }

    /**
     * The summary of the hours [fromHour, toHour); {@code withData} holds those that have sightings.
     * {@code eventsExpiredBefore} is null while events are kept for ever.
     */
    public static Coverage of(Instant fromHour, Instant toHour, Collection<HourCoverage> withData,
                              Instant eventsExpiredBefore) {
        Set<EventSource> sources = EnumSet.noneOf(EventSource.class);
        long hours = Math.max(0, (toHour.getEpochSecond() - fromHour.getEpochSecond()) / 3600);
        long complete = 0;
        long estimated = 0;
        long seen = 0;
        long seenInEstimated = 0;
        double estimate = 0;
        for (HourCoverage h : withData) {
            sources.addAll(h.sources());
            seen += h.anySource();
            var n = h.estimatedEvents();
            if (n.isPresent()) {
                estimated++;
                estimate += n.getAsDouble();
                seenInEstimated += h.anySource();
            }
            if (h.complete()) {
                complete++;
            }
        }
        long sampled = withData.size() - complete;
        long expired = 0;
        if (eventsExpiredBefore != null && eventsExpiredBefore.isAfter(fromHour)) {
            Instant end = eventsExpiredBefore.isBefore(toHour) ? eventsExpiredBefore : toHour;
            expired = Math.max(0, (end.getEpochSecond() - fromHour.getEpochSecond()) / 3600);
        }
        return new Coverage(fromHour, toHour, sources.stream().map(EventSource::label).toList(), hours, complete, sampled,
                hours - withData.size(), estimated, seen, estimated > 0 ? estimate : null,
                estimated > 0 ? Math.min(1.0, seenInEstimated / estimate) : null, eventsExpiredBefore, expired, true);
    }
}
