package io.github.eventsstats.coverage;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.github.eventsstats.poller.PollLog.Poll;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the firehose poller was not polling: a stretch without a successful poll longer than twice
 * the interval it kept (a poll that comes a little late is no gap; a missed one is).
 */
public final class PollGaps {

    private PollGaps() {
    }

    /** A stretch without a successful poll; {@code from} is the last success before it, or the range start. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Gap(Instant from, Instant to, long seconds) {
        Gap(Instant from, Instant to) {
            this(from, to, Duration.between(from, to).toSeconds());
        }
    }

    /**
     * The gaps within [from, end), {@code end} being the range's end or now, whichever is earlier.
     * {@code polls} are the successes in time order from some time before {@code from} (the last one
     * before it tells whether the range starts inside a gap) up to {@code end}.
     */
    public static List<Gap> within(List<Poll> polls, Instant from, Instant end, Duration defaultInterval) {
        List<Gap> gaps = new ArrayList<>();
        Instant previous = null;
        Duration interval = defaultInterval;
        for (Poll p : polls) {
            if (p.at().isBefore(from)) {
                previous = p.at();
                interval = p.interval();
                continue;
            }
            if (!p.at().isBefore(end)) {
                break;
            }
            Instant start = previous != null ? previous : from;
            if (Duration.between(start, p.at()).compareTo(interval.multipliedBy(2)) > 0) {
                gaps.add(new Gap(start.isBefore(from) ? from : start, p.at()));
            }
            previous = p.at();
            interval = p.interval();
        }
        Instant start = previous != null ? previous : from;
        if (end.isAfter(from) && Duration.between(start, end).compareTo(interval.multipliedBy(2)) > 0) {
            gaps.add(new Gap(start.isBefore(from) ? from : start, end));
        }
        return gaps;
    }
}
