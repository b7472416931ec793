package io.github.eventsstats.archive;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Instant;

/** ARCHIVE_SYNC_ENABLED: every ARCHIVE_SYNC_EVERY, the hours from ARCHIVE_SYNC_FROM to the last one over. */
@ApplicationScoped
public class ArchiveSyncJob {

    private static final Logger LOG = Logger.getLogger(ArchiveSyncJob.class);
    static final String JOB = "archive-sync";

    private final ArchiveSync sync;

    ArchiveSyncJob(ArchiveSync sync) {
        this.sync = sync;
    }

    /** Skips the job when ARCHIVE_SYNC_ENABLED=false. */
    @Singleton
    public static class Disabled implements Scheduled.SkipPredicate {

        private final ArchiveSyncConfig config;

        Disabled(ArchiveSyncConfig config) {
            this.config = config;
        }

        @Override
        public boolean test(ScheduledExecution execution) {
            return !config.enabled();
        }
    }

    @Scheduled(identity = JOB, every = "${archive.sync.every}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Disabled.class)
    void scheduled() throws InterruptedException {
        runOnce();
    }

    /** One run of the job; null when there is nothing to sync or another sync is running. */
    SyncProgress runOnce() throws InterruptedException {
        Instant from = sync.configuredStart();
        Instant to = sync.currentHour();
        if (!from.isBefore(to)) {
            return null;
        }
        SyncProgress progress = new SyncProgress(from, to);
        try {
            sync.run(progress);
        } catch (ArchiveSync.BusyException e) {
            LOG.debug("archive sync: skipped, another sync is running");
            return null;
        }
        if (progress.loaded.get() > 0 || progress.failed.get() > 0 || progress.error.get() != null) {
            progress.summary().forEach(LOG::info);
        }
        return progress;
    }
}
