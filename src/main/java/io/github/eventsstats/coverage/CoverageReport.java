package io.github.eventsstats.coverage;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.github.eventsstats.event.EventSource;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The body of GET /metrics/coverage. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(description = "Per UTC hour of [from, to): what each source saw of the kept event types, the overlaps, and"
        + " the capture-recapture estimate of GitHub's events; and where the firehose poller was not polling")
public record CoverageReport(
        @Schema(description = "first hour") Instant from,
        @Schema(description = "end of the last hour, exclusive") Instant to,
        @Schema(description = "every hour of the range, in order, empty ones included") List<Hour> hours,
        @Schema(description = "stretches within [from, min(to, now)) without a successful poll of GET /events for"
                + " more than twice the poll interval") List<PollGaps.Gap> pollerGaps,
        @Schema(description = "the same summary as the metrics answers carry") Coverage coverage) {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Hour(
            Instant hour,
            @Schema(description = "the sources that saw events of this hour (firehose, watched, archive, pulls)")
            Map<String, Source> sources,
            @Schema(description = "distinct events any source saw") long eventsSeen,
            @Schema(description = "Chapman estimate from firehose and archive; null unless both saw the hour and"
                    + " share an event", nullable = true) Double estimatedEvents,
            @Schema(nullable = true) Double estimatedFractionSeen,
            @Schema(description = "events_seen is at least 99% of estimated_events") boolean complete) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Source(
            @Schema(description = "distinct events this source saw") long seen,
            @Schema(description = "for each other source, how many of them it saw too") Map<String, Long> alsoSeenBy) {
    }

    public static CoverageReport of(Instant fromHour, Instant toHour, List<HourCoverage> withData,
                                    List<PollGaps.Gap> gaps, Instant eventsExpiredBefore) {
        Map<Instant, HourCoverage> byHour = new LinkedHashMap<>();
        withData.forEach(h -> byHour.put(h.hour(), h));
        List<Hour> hours = new ArrayList<>();
        for (Instant t = fromHour; t.isBefore(toHour); t = t.plusSeconds(3600)) {
            HourCoverage h = byHour.get(t);
            if (h == null) {
                hours.add(new Hour(t, Map.of(), 0, null, null, false));
                continue;
            }
            Map<String, Source> sources = new LinkedHashMap<>();
            for (EventSource s : h.sources()) {
                Map<String, Long> also = new LinkedHashMap<>();
                h.alsoSeenBy(s).forEach((other, n) -> also.put(other.label(), n));
                sources.put(s.label(), new Source(h.seen(s), also));
            }
            var estimate = h.estimatedEvents();
            var fraction = h.fractionSeen();
            hours.add(new Hour(t, sources, h.anySource(), estimate.isPresent() ? estimate.getAsDouble() : null,
                    fraction.isPresent() ? fraction.getAsDouble() : null, h.complete()));
        }
        return new CoverageReport(fromHour, toHour, hours, gaps, Coverage.of(fromHour, toHour, withData, eventsExpiredBefore));
    }
}
