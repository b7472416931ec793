package io.github.eventsstats.coverage;

import io.github.eventsstats.clickhouse.SchemaMigrator;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.inject.Singleton;

/** Skips the coverage refresh until the schema is applied (the first tick comes during start-up). */
@Singleton
public class SchemaPending implements Scheduled.SkipPredicate {

    private final SchemaMigrator migrator;

    SchemaPending(SchemaMigrator migrator) {
        this.migrator = migrator;
    }

    @Override
    public boolean test(ScheduledExecution execution) {
        return !migrator.isApplied();
    }
}
