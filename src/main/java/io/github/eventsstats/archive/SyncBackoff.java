package io.github.eventsstats.archive;

import io.github.eventsstats.platform.Backoff;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * The waits between a download's tries: 2 s, doubling, at most a minute. Tests put one in its
 * place that only records them.
 */
@ApplicationScoped
public class SyncBackoff {

    private static final Backoff WAITS = Backoff.doubling(Duration.ofSeconds(2), Duration.ofMinutes(1));

    /** The wait after the {@code failures}-th failed try (1-based). */
    static Duration delay(int failures) {
        return WAITS.after(failures);
    }

    public void pause(Duration d) throws InterruptedException {
        Thread.sleep(d);
    }
}
