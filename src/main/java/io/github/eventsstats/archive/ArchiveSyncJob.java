package io.github.eventsstats.archive;

import io.github.eventsstats.jobs.Jobs;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Instant;

/**
 * ARCHIVE_SYNC_ENABLED: every ARCHIVE_SYNC_EVERY, the hours from ARCHIVE_SYNC_FROM to the last one
 * over. Each run is a job of {@link Jobs} (GET /admin/jobs lists it), kept once over only when it
 * loaded an hour or something failed: the many runs that find only hours not published yet would
 * otherwise push every other job out of the list.
 */
@ApplicationScoped
public class ArchiveSyncJob {

    private static final Logger LOG = Logger.getLogger(ArchiveSyncJob.class);
    static final String JOB = "archive-sync";

    private final ArchiveSync sync;
    private final Jobs jobs;

    ArchiveSyncJob(ArchiveSync sync, Jobs jobs) {
        this.sync = sync;
        this.jobs = jobs;
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
    void scheduled() {
        runOnce();
    }

    /** One run of the job; null when there is nothing to sync or another sync is running. */
    SyncProgress runOnce() {
        Instant from = sync.configuredStart();
        Instant to = sync.currentHour();
        if (!from.isBefore(to)) {
            return null;
        }
        if (sync.isRunning()) {
            LOG.debug("archive sync: skipped, another sync is running");
            return null;
        }
        SyncProgress progress = new SyncProgress(from, to, sync.configuredTypes());
        Jobs.Job job = jobs.runScheduled(ArchiveSync.JOB_KIND, progress::snapshot, () -> {
            try {
                sync.run(progress);
            } catch (ArchiveSync.BusyException e) {
                return e.getMessage(); // started since the check above, over HTTP
            }
            return progress.problem();
        });
        boolean eventful = progress.loaded.get() + progress.alreadyLoadedFetched.get() + progress.failed.get() > 0
                || job.state() != Jobs.State.SUCCEEDED;
        if (eventful) {
            progress.summary().forEach(LOG::info);
        } else {
            jobs.forget(job);
        }
        return progress;
    }
}
