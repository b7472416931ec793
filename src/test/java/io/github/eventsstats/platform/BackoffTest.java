package io.github.eventsstats.platform;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {

    private static List<Duration> waits(Backoff b, int failures) {
        return IntStream.rangeClosed(1, failures).mapToObj(b::after).toList();
    }

    private static List<Duration> seconds(long... s) {
        return java.util.Arrays.stream(s).mapToObj(Duration::ofSeconds).toList();
    }

    @Test
    void doublesFromTheFirstWaitUpToTheCapAndStaysThere() {
        // The archive sync's downloads: 2 s doubling, at most a minute.
        assertEquals(seconds(2, 4, 8, 16, 32, 60, 60), waits(Backoff.doubling(Duration.ofSeconds(2), Duration.ofMinutes(1)), 7));
        // A watched repository's pulls list: a minute doubling, at most WATCH_PULLS_INTERVAL (1 h).
        assertEquals(seconds(60, 120, 240, 480, 960, 1920, 3600, 3600),
                waits(Backoff.doubling(Duration.ofMinutes(1), Duration.ofHours(1)), 8));
        // The engine's restarts: 500 ms doubling, at most 30 s.
        assertEquals(List.of(500L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L),
                waits(Backoff.doubling(Duration.ofMillis(500), Duration.ofSeconds(30)), 7).stream().map(Duration::toMillis).toList());
    }

    @Test
    void aLongOutageOrAHugeCapNeitherOverflowsNorRunsLong() {
        Backoff b = Backoff.doubling(Duration.ofSeconds(5), Duration.ofMinutes(10));
        assertEquals(Duration.ofMinutes(10), b.after(Integer.MAX_VALUE));
        Backoff unbounded = Backoff.doubling(Duration.ofMillis(1), Duration.ofSeconds(Long.MAX_VALUE));
        assertEquals(Duration.ofSeconds(Long.MAX_VALUE), unbounded.after(Integer.MAX_VALUE));
        assertEquals(Duration.ofMillis(1024), unbounded.after(11));
    }

    @Test
    void aCapBelowTheFirstWaitIsEveryWaitAndZeroStaysZero() {
        assertEquals(seconds(30, 30), waits(Backoff.doubling(Duration.ofMinutes(1), Duration.ofSeconds(30)), 2));
        assertEquals(seconds(0, 0), waits(Backoff.doubling(Duration.ZERO, Duration.ofMinutes(1)), 2));
        assertEquals(Duration.ofSeconds(2), Backoff.doubling(Duration.ofSeconds(2), Duration.ofMinutes(1)).after(0));
        assertThrows(IllegalArgumentException.class, () -> Backoff.doubling(Duration.ofSeconds(-1), Duration.ofMinutes(1)));
    }

    @Test
    void jitterDrawsFromHalfToAllOfTheWaitFromTheGivenGenerator() {
        Backoff plain = Backoff.doubling(Duration.ofSeconds(5), Duration.ofMinutes(10));
        RandomGenerator least = () -> 0L;
        assertEquals(List.of(Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)),
                waits(plain.withJitter(least), 3));
        assertEquals(Duration.ofMinutes(5), plain.withJitter(least).after(40), "half the cap at the least");
        RandomGenerator most = new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public long nextLong(long bound) {
                return bound - 1;
            }
        };
        assertEquals(Duration.ofSeconds(5), plain.withJitter(most).after(1));
        assertEquals(Duration.ofMinutes(10), plain.withJitter(most).after(40), "never past the cap");
        // The same seed gives the same waits: a test on a fake clock can expect them to the millisecond.
        assertEquals(waits(plain.withJitter(new SplittableRandom(7)), 12), waits(plain.withJitter(new SplittableRandom(7)), 12));
        Backoff drawn = plain.withJitter(new SplittableRandom(7));
        for (int i = 0; i < 200; i++) {
            long late = drawn.after(40).toMillis();
            assertTrue(late >= 300_000 && late <= 600_000, "capped: " + late);
        }
        assertEquals(Duration.ofMillis(1), Backoff.doubling(Duration.ZERO, Duration.ZERO).withJitter(least).after(3),
                "a jittered wait is 1 ms at least");
    }

    @Test
    void failuresWorthALogLineAreTheFirstSecondFourthEighth() {
        assertEquals(List.of(1, 2, 4, 8, 16, 32, 64),
                IntStream.rangeClosed(0, 100).filter(Backoff::worthLogging).boxed().toList());
        assertFalse(Backoff.worthLogging(0));
    }
}
