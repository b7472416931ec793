package io.github.eventsstats.archive;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.github.eventsstats.event.TypeSelection;
import io.github.eventsstats.jobs.Jobs;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * GH Archive syncs as jobs of the admin API: a range of hours started on request, and the jobs
 * kept (the scheduled syncs' too) with their progress. Starting reads the clock and the sync's
 * state only; the sync itself runs as the job.
 */
@ApplicationScoped
public class SyncJobs {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(description = "A job and how far it is")
    public record JobState(
            @Schema(examples = "0f8e1c4e-5d55-4c5e-9a43-8f2d3c9f0b1a") String id,
            @Schema(examples = ArchiveSync.JOB_KIND) String kind,
            @Schema(enumeration = {"running", "succeeded", "failed"}) String state,
            @Schema(description = "who started it: the admin API, or the scheduled job (ARCHIVE_SYNC_ENABLED)",
                    enumeration = {"api", "schedule"}) String trigger,
            Instant startedAt,
            @Schema(nullable = true) Instant finishedAt,
            @Schema(description = "why it failed (an hour that failed every try, a full disk, ClickHouse)", nullable = true)
            String error,
            @Schema(implementation = SyncProgress.Snapshot.class) Object progress) {

        static JobState of(Jobs.Job j) {
            return new JobState(j.id(), j.kind(), lower(j.state()), lower(j.trigger()), j.startedAt(), j.finishedAt(),
                    j.error(), j.progress());
        }

        private static String lower(Enum<?> value) {
            return value.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Schema(description = "The jobs kept, the newest first")
    public record JobList(List<JobState> jobs) {
    }

    /** What asking for a sync ended in: its job, started; or a sync already running. */
    public sealed interface Start {
    }

    public record Started(JobState job) implements Start {
    }

    /** @param detail which sync runs, for the caller to be told */
    public record Busy(String detail) implements Start {
    }

    private final ArchiveSync sync;
    private final Jobs jobs;

    SyncJobs(ArchiveSync sync, Jobs jobs) {
        this.sync = sync;
        this.jobs = jobs;
    }

    /**
     * Event types as GitHub names them, comma-separated, or * for every type; blank: the
     * configured ones.
     *
     * @throws IllegalArgumentException saying which name is wrong
     */
    public TypeSelection types(String text) {
        return text == null || text.isBlank() ? sync.configuredTypes() : TypeSelection.parse(List.of(text.split(",")));
    }

    /**
     * A UTC date-hour (2026-11-01T00) or a period back (P7D).
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public Instant hour(String text) {
        return sync.parseHour(text);
    }

    /** The start of the current hour, where a sync ends unless told otherwise. */
    public Instant currentHour() {
        return sync.currentHour();
    }

    /** Starts syncing the hours [from, to) as a job, unless a sync runs already. */
    public Start start(Instant from, Instant to, TypeSelection types) {
        if (sync.isRunning()) {
            return new Busy(jobs.running(ArchiveSync.JOB_KIND).map(j -> "an archive sync is running: job " + j.id())
                    .orElse("an archive sync is running (the scheduled one); try again when it ends"));
        }
        SyncProgress progress = new SyncProgress(from, to, types);
        Jobs.Job job = jobs.start(ArchiveSync.JOB_KIND, progress::snapshot, () -> {
            sync.run(progress);
            return progress.problem();
        });
        return new Started(JobState.of(job));
    }

    public JobList recent() {
        return new JobList(jobs.recent().stream().map(JobState::of).toList());
    }

    public Optional<JobState> job(String id) {
        return jobs.get(id).map(JobState::of);
    }
}
