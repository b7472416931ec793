package io.github.eventsstats.rollup;

import io.github.eventsstats.clickhouse.SchemaMigrator;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Counts the hours that changed since they were last counted into events_hourly and the top-repos
 * rollup (V023), so that long windows find them there. Answers are exact without it (a changed
 * hour is read from `events`); it only keeps them cheap. Any number of replicas may run it at once: a count of an hour is
 * right whoever takes it, and the latest one is kept.
 */
@ApplicationScoped
public class RollupJob {

    private static final Logger LOG = Logger.getLogger(RollupJob.class);
    /** Below this many hours a run is routine and logs at DEBUG. */
    private static final int LOUD_RUN_HOURS = 240;

    private final HourlyRollup rollup;
    private final SchemaMigrator schema;
    private final RollupConfig config;

    RollupJob(HourlyRollup rollup, SchemaMigrator schema, RollupConfig config) {
        this.rollup = rollup;
        this.schema = schema;
        this.config = config;
    }

    @Scheduled(identity = "hourly-rollup", every = "${rollup.count-interval}", delayed = "${rollup.count-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledRun() {
        if (!schema.isApplied()) {
            return;
        }
        try {
            run();
        } catch (RuntimeException e) {
            LOG.warnf("hourly rollup: %s; trying again in %s", e.getMessage(), config.countInterval());
        }
    }

    /** Counts every changed, quiet hour; returns how many. */
    public int run() {
        long started = System.nanoTime();
        int total = rollup.changedHourCount(config.quiet());
        int counted = rollup.countChangedHours(config.quiet(), (soFar, lastHour) -> {
            if (total >= LOUD_RUN_HOURS) {
                double seconds = (System.nanoTime() - started) / 1e9;
                double rate = soFar / Math.max(seconds, 1e-3);
                LOG.infof("hourly rollup: %d of %d hours counted (up to %s), %.0f hours/s, ETA %.0f s",
                        soFar, total, lastHour, rate, Math.max(0, total - soFar) / rate);
            }
        });
        LOG.debugf("hourly rollup: %d hours counted in %.1f s", (Object) counted, (Object) ((System.nanoTime() - started) / 1e9));
        return counted;
    }
}
