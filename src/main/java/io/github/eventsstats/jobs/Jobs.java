package io.github.eventsstats.jobs;

import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Long jobs and their progress while they run: those started over HTTP (an archive sync), each on
 * a virtual thread of its own, and the scheduled ones (the archive sync job), on the scheduler's
 * thread. Kept in memory, the last {@link #KEPT}: a restart forgets them (what they loaded is in
 * the ledger).
 */
@ApplicationScoped
public class Jobs {

    private static final Logger LOG = Logger.getLogger(Jobs.class);
    static final int KEPT = 100;

    public enum State { RUNNING, SUCCEEDED, FAILED }

    /** Who started a job. */
    public enum Trigger { API, SCHEDULE }

    /** One job: what it is, how far it is ({@code progress}), how it ended. */
    public static final class Job {
        private final String id;
        private final String kind;
        private final Trigger trigger;
        private final Instant startedAt;
        private final Supplier<Object> progress;
        private volatile State state = State.RUNNING;
        private volatile Instant finishedAt;
        private volatile String error;

        Job(String id, String kind, Trigger trigger, Instant startedAt, Supplier<Object> progress) {
            this.id = id;
            this.kind = kind;
            this.trigger = trigger;
            this.startedAt = startedAt;
            this.progress = progress;
        }

        public String id() {
            return id;
        }

        public String kind() {
            return kind;
        }

        public Trigger trigger() {
            return trigger;
        }

        public Instant startedAt() {
            return startedAt;
        }

        public State state() {
            return state;
        }

        public Instant finishedAt() {
            return finishedAt;
        }

        public String error() {
            return error;
        }

        public Object progress() {
            return progress.get();
        }
    }

    private final InstantSource clock;
    private final Map<String, Job> jobs = new LinkedHashMap<>();

    Jobs(InstantSource clock) {
        this.clock = clock;
    }

    /**
     * Starts {@code work} on a virtual thread of its own; it returns null when it succeeded, else
     * what went wrong (a job that throws failed with the exception's message).
     */
    public Job start(String kind, Supplier<Object> progress, Callable<String> work) {
        Job job = register(kind, Trigger.API, progress);
        Thread.ofVirtual().name("job-" + kind + "-" + job.id).start(() -> execute(job, work));
        return job;
    }

    /** Runs {@code work} as a scheduled job on this thread, listed while it runs; as {@link #start} otherwise. */
    public Job runScheduled(String kind, Supplier<Object> progress, Callable<String> work) {
        Job job = register(kind, Trigger.SCHEDULE, progress);
        execute(job, work);
        return job;
    }

    /** Drops a finished job from the list (a scheduled run that found nothing to do). */
    public void forget(Job job) {
        synchronized (jobs) {
            jobs.remove(job.id);
        }
    }

    private Job register(String kind, Trigger trigger, Supplier<Object> progress) {
        Job job = new Job(UUID.randomUUID().toString(), kind, trigger, clock.instant(), progress);
        synchronized (jobs) {
            jobs.put(job.id, job);
            if (jobs.size() > KEPT) {
                jobs.remove(jobs.keySet().iterator().next());
            }
        }
        return job;
    }

    private void execute(Job job, Callable<String> work) {
        String error;
        try {
            error = work.call();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the scheduler's shutdown: its thread must still see it
            error = "interrupted";
        } catch (Exception | LinkageError e) {
            LOG.errorf(e, "job %s (%s) failed", job.id, job.kind);
            error = e.getMessage() != null ? e.getMessage() : e.toString();
        }
        job.error = error;
        job.finishedAt = clock.instant();
        job.state = error == null ? State.SUCCEEDED : State.FAILED;
    }

    public Optional<Job> get(String id) {
        synchronized (jobs) {
            return Optional.ofNullable(jobs.get(id));
        }
    }

    /** The jobs kept, the newest first. */
    public List<Job> recent() {
        synchronized (jobs) {
            return new ArrayList<>(jobs.values()).reversed();
        }
    }

    /** A job of this kind still running, if any. */
    public Optional<Job> running(String kind) {
        synchronized (jobs) {
            return jobs.values().stream().filter(j -> j.kind.equals(kind) && j.state == State.RUNNING).findFirst();
        }
    }
}
