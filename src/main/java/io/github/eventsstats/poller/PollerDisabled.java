package io.github.eventsstats.poller;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.inject.Singleton;

/** Skips the poller's tick when POLLER_ENABLED=false. */
@Singleton
public class PollerDisabled implements Scheduled.SkipPredicate {

    private final PollerConfig config;

    PollerDisabled(PollerConfig config) {
        this.config = config;
    }

    @Override
    public boolean test(ScheduledExecution execution) {
        return !config.enabled();
    }
}
