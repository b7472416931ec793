package io.github.eventsstats.watch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.eventsstats.platform.Printable;
import io.github.eventsstats.stream.KafkaStream;
import io.github.eventsstats.stream.SharedList;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * The watched repositories as the API shows and changes them: each with its state. Every call
 * reads or writes the watch file: callers run it on a worker thread, never the event loop.
 */
@ApplicationScoped
public class WatchService {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(WatchService.class);

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(description = "A watched repository and what GitHub last said about it")
    public record WatchState(
            @Schema(examples = "octocat/hello-world") String repository,
            @Schema(description = "config: from WATCH_REPOSITORIES (removed only there); api: added with PUT;"
                    + " on_demand: queued because someone asked about it", enumeration = {"config", "api", "on_demand"})
            String source,
            @Schema(description = "loaded because someone asked about it; kept fresh while people ask (ON_DEMAND_IDLE)")
            boolean onDemand,
            @Schema(description = "on demand: when it was last asked about", nullable = true) Instant lastAskedAt,
            History history,
            Instant addedAt,
            @Schema(description = "pending: not polled yet; active: polled; not_found (404), moved (301: renamed or"
                    + " transferred), forbidden (403: access blocked), blocked (451: legal reasons): tried again"
                    + " after WATCH_UNAVAILABLE_RETRY",
                    enumeration = {"pending", "active", "not_found", "moved", "forbidden", "blocked"}) String status,
            @Schema(description = "every event of the repository is stored since complete_since, and its whole"
                    + " pull-request history") boolean complete,
            @Schema(description = "since when: the first successful poll of its events, once its pull-request history"
                    + " is loaded too", nullable = true) Instant completeSince,
            @Schema(nullable = true) Instant lastPollAt,
            @Schema(nullable = true) Instant lastSuccessAt,
            @Schema(description = "the next poll of its events (X-Poll-Interval, backoff, rate budget or retry)")
            Instant nextPollAt,
            @Schema(description = "what went wrong last; null after a success", nullable = true) String lastError,
            @Schema(nullable = true) Instant lastErrorAt,
            @Schema(description = "whether the pull-request history is loaded back to the first PR") boolean pullsLoaded,
            @Schema(description = "distinct pull requests stored from its pulls list, counted when a pass over it ends")
            long pullsStored,
            @Schema(description = "once loaded: every PR since is counted (its first PR, or when the history was loaded"
                    + " if it has none); null before, and while the repository is unavailable", nullable = true)
            Instant pullsCompleteSince,
            @Schema(nullable = true) Instant pullsLastSyncAt,
            @Schema(description = "the next request for its pulls list (WATCH_PULLS_INTERVAL, a pass under way, backoff"
                    + " or rate budget)") Instant pullsNextSyncAt,
            @Schema(description = "what went wrong last with its pulls list; null after a pass that ended well",
                    nullable = true) String pullsLastError,
            @Schema(nullable = true) Instant pullsLastErrorAt) {

        static WatchState of(WatchedRepository w) {
            boolean polled = w.status == WatchedRepository.Status.PENDING || w.status == WatchedRepository.Status.ACTIVE;
            return new WatchState(w.repository, w.configured ? "config" : w.onDemand ? "on_demand" : "api", w.onDemand,
                    w.lastAskedAt, History.of(w), w.addedAt, w.status.tag(),
                    w.status == WatchedRepository.Status.ACTIVE && w.completeSince != null, w.completeSince,
                    w.events.lastPollAt, w.events.lastSuccessAt, polled || w.retryAt == null ? w.events.nextPollAt : w.retryAt,
                    w.lastError, w.lastErrorAt, w.pulls.loaded, w.pulls.stored,
                    w.pullRequestsCompleteSince().orElse(null), w.pulls.lastSyncAt, w.pulls.nextSyncAt,
                    w.pulls.lastError, w.pulls.lastErrorAt);
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(description = "The watched repositories, by name")
    public record WatchStates(List<WatchState> repositories) {
    }

    /** What adding a repository did: whether it is new to the list, and its state now. */
    public record Watching(boolean added, WatchState state) {
    }

    /** Keys of the shared list's entries that are asks on demand, not repositories watched. */
    private static final String ASKED = "asked/";
    /** Keys of the shared list's entries that are a repository's state as the replica polling it last saved it. */
    private static final String STATE = "state/";

    private final WatchList list;
    private final OnDemand onDemand;
    private final KafkaStream kafka;
    private final WatchPoller poller;
    private final ObjectMapper json;
    /** The list all replicas share, with Kafka; null when this process keeps it alone. */
    private volatile SharedList shared;

    WatchService(WatchList list, OnDemand onDemand, KafkaStream kafka, WatchPoller poller,
                 ObjectMapper json) {
        this.list = list;
        this.onDemand = onDemand;
        this.kafka = kafka;
        this.poller = poller;
        this.json = json;
    }

    /**
     * With Kafka, every replica's additions and removals reach this one's list, the ones before its
     * start too; so do the repositories asked about on demand (an entry per repository, its latest
     * ask), so that the replica owning a repository's partition loads it whichever replica was asked.
     * The replica polling a repository publishes its state after each change (key {@code state/<name>});
     * every other replica takes it, so that all answer alike for it (GET /watch, history, complete).
     */
    void onStart(@Observes StartupEvent event) {
        if (!kafka.enabled()) {
            return;
        }
        SharedList s = kafka.watchList((key, value) -> {
            if (key.startsWith(ASKED)) {
                asked(value).ifPresent(a -> list.asked(List.of(a)));
            } else if (key.startsWith(STATE)) {
                String repository = key.substring(STATE.length());
                if (value == null) {
                    list.forget(repository);
                } else {
                    try {
                        state(value).ifPresent(w -> list.adopt(repository, w, poller.keeps(repository)));
                    } catch (UncheckedIOException e) {
                        // The next state of it comes with its next poll; the list goes on being followed.
                        LOG.warnf("watch: the shared state of %s not saved here: %s", Printable.of(repository), e.getMessage());
                    }
                }
            } else if (!WatchList.valid(key)) {
                return; // another part's entry (the firehose's poll state)
            } else if (value != null) {
                // The topic is anyone's to write: only a valid name filed under its own key is taken.
                if (WatchList.valid(value) && WatchedRepository.key(value).equals(key)) {
                    list.add(value);
                } else {
                    LOG.warnf("watch: the shared list's entry %s names %s; skipped", Printable.of(key), Printable.of(value));
                }
            } else {
                list.get(key).ifPresent(w -> {
                    boolean removed = list.remove(w.repository) == WatchList.Removed.REMOVED; // not one configured here
                    SharedList here = shared;
                    if (removed && here != null && poller.keeps(key)) {
                        // A state this replica's poll saved just before it read the removal may reach the
                        // broker after the remover's tombstone: this one follows it, so none outlives it.
                        here.put(STATE + key, null);
                    }
                });
            }
        });
        shared = s;
        list.onChange(w -> {
            try {
                s.put(STATE + WatchedRepository.key(w.repository), json.writeValueAsString(w));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        });
        onDemand.share(asks -> {
            try {
                asks.forEach(a -> s.add(ASKED + WatchedRepository.key(a.repository()),
                        a.at().toEpochMilli() + " " + a.repository()));
            } catch (IllegalStateException e) {
                LOG.warnf("watch: %d ask(s) on demand kept in this replica only: %s", asks.size(), e.getMessage());
            }
        });
    }

    /** A repository's state as the shared list carries it (the watch file's JSON of one entry); empty when unreadable. */
    private java.util.Optional<WatchedRepository> state(String value) {
        try {
            return java.util.Optional.ofNullable(json.readValue(value, WatchedRepository.class));
        } catch (IOException e) {
            LOG.warnf("watch: a repository's state in the shared list is unreadable (%s); kept as it was",
                    Printable.of(e.getMessage()));
            return java.util.Optional.empty();
        }
    }

    /** An ask as the shared list carries it: epoch millis, a space, the name as asked. */
    private static java.util.Optional<WatchList.Ask> asked(String value) {
        int space = value == null ? -1 : value.indexOf(' ');
        if (space < 1 || !WatchList.valid(value.substring(space + 1))) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(new WatchList.Ask(value.substring(space + 1),
                    Instant.ofEpochMilli(Long.parseLong(value.substring(0, space)))));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    public WatchStates all() {
        return new WatchStates(list.all().stream().map(WatchState::of).toList());
    }

    /** Idempotent: a repository already watched (in any letter case) is answered as it is. */
    public Watching add(String repository) {
        SharedList s = shared;
        if (s != null && list.get(repository).filter(w -> !w.onDemand).isEmpty()) {
            s.add(WatchedRepository.key(repository), repository); // the broker has it before this replica answers
        }
        WatchList.Added added = list.add(repository);
        return new Watching(added == WatchList.Added.ADDED, WatchState.of(list.get(repository).orElseThrow()));
    }

    public WatchList.Removed remove(String repository) {
        SharedList s = shared;
        if (s != null && list.get(repository).filter(w -> !w.configured).isPresent()) {
            s.remove(WatchedRepository.key(repository));
            // Its state and its ask go with it, by compaction: else a replica replaying the topic after
            // the tombstone's delete.retention.ms would take the ask, and the repository back on demand.
            s.put(STATE + WatchedRepository.key(repository), null);
            s.put(ASKED + WatchedRepository.key(repository), null);
        }
        return list.remove(repository);
    }
}
