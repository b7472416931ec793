package io.github.eventsstats.enrich;

import io.github.eventsstats.github.GitHubConfig;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.inject.Singleton;

/** Skips the enricher's run when enrichment is off (ENRICH_ENABLED, or no token). */
@Singleton
public class EnrichDisabled implements Scheduled.SkipPredicate {

    private final boolean on;

    EnrichDisabled(EnrichConfig config, GitHubConfig github) {
        this.on = config.on(github.token());
    }

    @Override
    public boolean test(ScheduledExecution execution) {
        return !on;
    }
}
