package io.github.eventsstats.archive;

import io.github.eventsstats.jobs.Jobs;
import io.github.eventsstats.stream.KafkaStream;
import io.github.eventsstats.stream.Membership;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Instant;

/**
 * ARCHIVE_SYNC_ENABLED: every ARCHIVE_SYNC_EVERY, the hours from ARCHIVE_SYNC_FROM to the last one
 * over. Each run is a job of {@link Jobs} (GET /admin/jobs lists it), kept once over only when it
 * loaded an hour or something failed: the many runs that find only hours not published yet would
 * otherwise push every other job out of the list. With Kafka, only the replica holding
 * {@link KafkaStream#ARCHIVE_SYNC} runs it; a replica that takes it over resumes from the ledger.
 */
@ApplicationScoped
public class ArchiveSyncJob {

    private static final Logger LOG = Logger.getLogger(ArchiveSyncJob.class);
    static final String JOB = "archive-sync";

    private final ArchiveSync sync;
    private final Jobs jobs;
    private final KafkaStream kafka;
    private final ArchiveSyncConfig config;
    private volatile Membership leader;

    ArchiveSyncJob(ArchiveSync sync, Jobs jobs, KafkaStream kafka, ArchiveSyncConfig config) {
        this.sync = sync;
        this.jobs = jobs;
        this.kafka = kafka;
        this.config = config;
    }

    /** With Kafka, a replica with the sync on joins the replicas that may run it, at start. */
    void onStart(@Observes StartupEvent event) {
        if (config.enabled() && kafka.enabled()) {
            leader = kafka.join(KafkaStream.ARCHIVE_SYNC);
        }
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
        Membership m = leader;
        if (m != null && !m.holds()) {
            return; // another replica runs the scheduled sync
        }
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
