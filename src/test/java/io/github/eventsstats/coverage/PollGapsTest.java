package io.github.eventsstats.coverage;

import io.github.eventsstats.poller.PollLog.Poll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PollGapsTest {

    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private static List<Poll> everyMinute(Instant from, int count) {
        List<Poll> polls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            polls.add(new Poll(from.plus(MINUTE.multipliedBy(i)), MINUTE));
        }
        return polls;
    }

    @Test
    void aStretchOfMoreThanTwoIntervalsWithoutASuccessIsAGap() {
        List<Poll> polls = new ArrayList<>(everyMinute(T0, 10));              // 10:00 .. 10:09
        polls.add(new Poll(T0.plus(Duration.ofSeconds(9 * 60 + 115)), MINUTE)); // 10:10:55, 115 s later: late, no gap
        polls.addAll(everyMinute(T0.plus(Duration.ofMinutes(30)), 30));        // 10:30 .. 10:59

        List<PollGaps.Gap> gaps = PollGaps.within(polls, T0, T0.plus(Duration.ofHours(1)), MINUTE);

        assertEquals(List.of(new PollGaps.Gap(T0.plus(Duration.ofSeconds(655)), T0.plus(Duration.ofMinutes(30)), 1145)),
                gaps);
    }

    @Test
    void theRangeStartsInsideAGapAndEndsInAnother() {
        List<Poll> polls = List.of(new Poll(T0.minus(Duration.ofHours(2)), MINUTE),
                new Poll(T0.plus(Duration.ofMinutes(20)), MINUTE));
        Instant end = T0.plus(Duration.ofHours(1));

        assertEquals(List.of(new PollGaps.Gap(T0, T0.plus(Duration.ofMinutes(20))),
                new PollGaps.Gap(T0.plus(Duration.ofMinutes(20)), end)), PollGaps.within(polls, T0, end, MINUTE));
    }

    @Test
    void noSuccessAtAllIsOneGapOverTheRange() {
        Instant end = T0.plus(Duration.ofHours(1));
        assertEquals(List.of(new PollGaps.Gap(T0, end, 3600)), PollGaps.within(List.of(), T0, end, MINUTE));
        assertEquals(List.of(), PollGaps.within(List.of(), T0, T0, MINUTE), "an empty range has no gap");
    }
}
