package io.github.eventsstats.watch;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.github.eventsstats.poller.PollState;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

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
    /** true: queued because someone asked about it, not watched by an admin; kept fresh while asked about. */
    public boolean onDemand;
    /** An on-demand repository: when it was last asked about. */
    public Instant lastAskedAt;
    public Instant addedAt;
    public Status status = Status.PENDING;
    /** What went wrong last, for a person; null after a success. */
    public String lastError;
    public Instant lastErrorAt;
    /** The first successful events poll: from then on every event of the repository is fetched. */
    public Instant eventsSince;
    /** eventsSince once the whole pull-request history is stored too. */
    public Instant completeSince;
    /**
     * Changes of its state so far, by whichever replica polled it (each takes the count on with the
     * state): of two states of one repository, the one with more is the newer. A count, so that
     * replicas' clocks play no part; 0 in a file written before it was kept.
     */
    public long revision;
    /** While unavailable: when to ask GitHub again. */
    public Instant retryAt;
    public PollState events = new PollState();
    public PullsState pulls = new PullsState();

    /** The issues list, in passes as {@link ListState} describes them. */
    public ListState issues = new ListState();
    /** The comments on its issues and PRs. */
    public ListState issueComments = new ListState();
    /** The review comments on its PRs. */
    public ListState reviewComments = new ListState();

    /**
     * One of the repository's history lists (pulls, issues, issue comments, review comments),
     * loaded in passes over it, the most recently updated first: the first pass walks every page
     * back; a later one stops at the first page holding an item updated before the watermark (the
     * newest update a finished pass saw), so an old PR merged since is seen. A pass under way
     * resumes at its next page, after a restart too.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @RegisterForReflection
    public static class ListState {
        /** The next page of the pass under way; null when none is. */
        public String nextUrl;
        /** The newest update the pass under way saw (it becomes {@link #watermark} when the pass ends). */
        public Instant loadingWatermark;
        /** The newest update the passes done saw; a later pass stops at items updated before it. Null before. */
        public Instant watermark;
        /** The first pass reached the list's end. */
        public boolean loaded;
        /** When it did. */
        public Instant loadedAt;
        /** Pages received, all passes together (the history's progress while it loads). */
        public long pagesLoaded;
        /** The first page's ETag of the last pass that ended: an unchanged list costs a free 304. */
        public String etag;
        public Instant lastSyncAt;
        public Instant nextSyncAt = Instant.EPOCH;
        /** What went wrong last with the list; null after a pass that ended well. */
        public String lastError;
        public Instant lastErrorAt;
        public int consecutiveFailures;
    }

    /** The pulls list's passes, and what pr-average needs of them. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @RegisterForReflection
    public static class PullsState extends ListState {
        /** The repository's first PR, once loaded (null: it has none); every PR since is counted. */
        public Instant firstCreatedAt;
        /** GitHub's spelling of the repository, as its PRs name it (the watch may be spelt otherwise). */
        public String fullName;
        /** Distinct PRs stored, counted when a pass ends. */
        public long stored;
    }

    /** The four lists of its history, in the order they are synced. */
    java.util.List<ListState> lists() {
        return java.util.List.of(pulls, issues, issueComments, reviewComments);
    }

    /** Every list of its history has been read to its end once. */
    public boolean historyLoaded() {
        return lists().stream().allMatch(l -> l.loaded);
    }

    /** The name its history is stored under: GitHub's spelling once a pulls page said it. */
    public String storedName() {
        return pulls.fullName != null ? pulls.fullName : repository;
    }

    static String key(String repository) {
        return repository.toLowerCase(Locale.ROOT);
    }

    boolean complete() {
        return status == Status.ACTIVE && completeSince != null;
    }

    /**
     * Since when every PR of the repository is stored: its first PR's creation (the time the
     * history was loaded when it has none), while the history is loaded and GitHub answers for it.
     */
    public Optional<Instant> pullRequestsCompleteSince() {
        if (status != Status.ACTIVE || !pulls.loaded) {
            return Optional.empty();
        }
        return Optional.ofNullable(pulls.firstCreatedAt != null ? pulls.firstCreatedAt : pulls.loadedAt);
    }
}
