package io.github.eventsstats.watch;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.github.eventsstats.github.PollState;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.Locale;

/**
 * One watched repository as the watch file keeps it: where it came from, what GitHub last said
 * about it, and the poll state of its events feed and of its pulls history. Unknown fields are
 * ignored so an older service can read a newer file.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@RegisterForReflection(targets = {WatchedRepository.class, WatchedRepository.Status.class, WatchList.Saved.class})
public class WatchedRepository {

    /** What GitHub says about the repository. Only PENDING and ACTIVE are polled at their pace. */
    public enum Status {
        /** Not polled yet. */
        PENDING,
        /** Polled. */
        ACTIVE,
        /** 404: no such public repository (or a private one). */
        NOT_FOUND,
        /** 301: renamed or transferred; GitHub points elsewhere. */
        MOVED,
        /** 403 that is not a rate limit: access blocked. */
        FORBIDDEN,
        /** 451: unavailable for legal reasons (e.g. a DMCA takedown). */
        BLOCKED;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }

        boolean polled() {
            return this == PENDING || this == ACTIVE;
        }
    }

    /** owner/repo as given. */
    public String repository;
    /** true: from WATCH_REPOSITORIES (removed only there). */
    public boolean configured;
    public Instant addedAt;
    public Status status = Status.PENDING;
    /** What went wrong last, for a person; null after a success. */
    public String lastError;
    public Instant lastErrorAt;
    /** The first successful events poll: from then on every event of the repository is fetched. */
    public Instant eventsSince;
    /** eventsSince once the whole pull-request history is stored too. */
    public Instant completeSince;
    /** While unavailable: when to ask GitHub again. */
    public Instant retryAt;
    public PollState events = new PollState();
    public PullsState pulls = new PullsState();

    /** The pulls history: a first load walks every page back (resumable), later syncs stop at known PRs. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @RegisterForReflection
    public static class PullsState {
        /** The next page of the load under way; null when none is. */
        public String nextUrl;
        /** The newest PR number of the load under way (it becomes {@link #newestNumber} when the load ends). */
        public long loadingNewest;
        /** The newest PR number fully loaded; a sync stops at it. 0 before the first load ends. */
        public long newestNumber;
        public boolean loaded;
        public Instant lastSyncAt;
        public Instant nextSyncAt = Instant.EPOCH;
        public long stored;
    }

    static String key(String repository) {
        return repository.toLowerCase(Locale.ROOT);
    }

    boolean complete() {
        return status == Status.ACTIVE && completeSince != null;
    }
}
