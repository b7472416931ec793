package io.github.eventsstats.archive;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * The waits between a download's tries: 2 s, doubling, at most a minute. Tests put one in its
 * place that only records them.
 */
@ApplicationScoped
public class SyncBackoff {

    static final Duration FIRST = Duration.ofSeconds(2);
    static final Duration MAX = Duration.ofMinutes(1);

    /** The wait after the {@code failures}-th failed try (1-based). */
    static Duration delay(int failures) {
        Duration d = FIRST.multipliedBy(1L << Math.min(failures - 1, 20));
        return d.compareTo(MAX) > 0 ? MAX : d;
    }

    public void pause(Duration d) throws InterruptedException {
        Thread.sleep(d);
    }
}
