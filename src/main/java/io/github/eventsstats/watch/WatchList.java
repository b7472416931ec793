package io.github.eventsstats.watch;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.eventsstats.platform.JsonFiles;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.InstantSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The watched repositories: WATCH_REPOSITORIES plus those added through the admin API, saved
 * (atomically) in WATCH_FILE with each one's poll state after every change, so the list and where
 * each feed stood survive a restart. Callers get copies; changes go through {@link #update}.
 */
@ApplicationScoped
public class WatchList {

    private static final Logger LOG = Logger.getLogger(WatchList.class);
    // GitHub's rules, as the metrics endpoints check them (api/Params).
    private static final Pattern FULL_NAME = Pattern.compile(
            "^[A-Za-z0-9][A-Za-z0-9-]{0,38}/(?!\\.\\.?$)[A-Za-z0-9._-]{1,100}$");

    /** The watch file's content. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class Saved {
        public List<WatchedRepository> repositories = new ArrayList<>();
        /** The repository polled last, where the round-robin goes on. */
        public String lastPolled;
    }

    /** What {@link #add} did. */
    public enum Added { ADDED, ALREADY_WATCHED }

    /** What {@link #remove} did. */
    public enum Removed { REMOVED, NOT_WATCHED, CONFIGURED }

    private final WatchConfig config;
    private final OnDemandConfig onDemand;
    private final ObjectMapper json;
    private final InstantSource clock;
    private final TreeMap<String, WatchedRepository> repositories = new TreeMap<>();
    private String lastPolled;
    /** GitHub's spelling → since when its PRs are complete, as of the last save: read without the lock. */
    private volatile Map<String, Instant> pullRequestsComplete = Map.of();
    /** Lower-case name → its history's state, as of the last save: read without the lock. */
    private volatile Map<String, Tracked> histories = Map.of();

    /** On-demand repositories that are kept fresh (asked about within ON_DEMAND_IDLE, and among the most recent). */
    private volatile java.util.Set<String> freshOnDemand = java.util.Set.of();
    /** On-demand repositories not loaded yet (queued or loading), as of the last save. */
    private volatile int queuedOnDemand;
    /** Hears a copy of each entry its poller changed ({@link #update}): with Kafka, the other replicas' view of it. */
    private volatile Consumer<WatchedRepository> changes = w -> { };
    /**
     * States another replica's poller published ({@link #adopt}) for repositories not on this list
     * yet, by key, taken when an ask puts one on the list on demand ({@link #asked}): replaying the
     * shared list, an on-demand repository's state comes before its ask (compaction keeps each key's
     * last record, and the ask is written again at every ask). A repository added with PUT starts
     * afresh: its name's record comes before any state of it, so a state waiting here is a removed
     * one's. At most {@link #UNPLACED_MAX}, the oldest dropped first; a state tombstone takes one away.
     */
    private final Map<String, WatchedRepository> unplaced = new java.util.LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, WatchedRepository> eldest) {
            return size() > UNPLACED_MAX;
        }
    };
    /** A bound on {@link #unplaced}: every on-demand repository kept fresh, and many more (a few KB each). */
    private static final int UNPLACED_MAX = 4096;

    /**
     * A repository as the answers see it: the name its history is stored under, its state, when it
     * was loaded, whether it is on the list on demand, and whether it is kept fresh (a watched one
     * always; an on-demand one while people ask about it).
     */
    public record Tracked(String storedName, History history, Instant loadedAt, boolean onDemand, boolean fresh) {

        /** Its loaded history holds every item: loaded, and kept up to date. */
        public boolean complete() {
            return history.loaded() && fresh;
        }
    }

    /** A repository someone asked about, to be added on demand: its name as asked and when. */
    public record Ask(String repository, Instant at) {
    }

    WatchList(WatchConfig config, OnDemandConfig onDemand, ObjectMapper json, InstantSource clock) {
        this.config = config;
        this.onDemand = onDemand;
        this.json = json;
        this.clock = clock;
        reload();
    }

    /** Reads the watch file and WATCH_REPOSITORIES again, as a restart does. */
    public synchronized void reload() {
        repositories.clear();
        Saved saved = JsonFiles.readOrMoveAside(json, config.file(), Saved.class, Saved::new, "watch file");
        for (WatchedRepository w : saved.repositories) {
            if (w != null && w.repository != null && FULL_NAME.matcher(w.repository).matches()) {
                w.configured = false; // WATCH_REPOSITORIES decides that again below
                repositories.put(WatchedRepository.key(w.repository), w);
            }
        }
        lastPolled = saved.lastPolled;
        for (String name : configured()) {
            WatchedRepository w = repositories.computeIfAbsent(WatchedRepository.key(name), k -> fresh(name));
            w.configured = true;
            w.onDemand = false;
        }
        save();
    }

    /** WATCH_REPOSITORIES, checked: a malformed name stops the service at start with the reason. */
    private List<String> configured() {
        List<String> names = new ArrayList<>();
        for (String raw : config.repositories().orElse(List.of())) {
            String name = raw.trim();
            if (name.isEmpty()) {
                continue;
            }
            if (!valid(name)) {
                throw new IllegalArgumentException("WATCH_REPOSITORIES: '" + name + "' is not owner/repo (owner 1 to 39"
                        + " ASCII letters, digits or hyphens, no leading hyphen; repository 1 to 100 ASCII letters,"
                        + " digits, '.', '_' or '-')");
            }
            names.add(name);
        }
        return names;
    }

    public static boolean valid(String fullName) {
        return FULL_NAME.matcher(fullName).matches();
    }

    private WatchedRepository fresh(String name) {
        WatchedRepository w = new WatchedRepository();
        w.repository = name;
        w.addedAt = clock.instant();
        return w;
    }

    /** Watches a repository; one that was on the list on demand is watched from now on. */
    public synchronized Added add(String repository) {
        String key = WatchedRepository.key(repository);
        WatchedRepository known = repositories.get(key);
        if (known != null && known.onDemand) {
            known.onDemand = false;
            save();
            LOG.infof("watch: %s added (loaded on demand before)", repository);
            return Added.ADDED;
        }
        if (known != null) {
            return Added.ALREADY_WATCHED;
        }
        unplaced.remove(key); // a state published before it was added is a removed repository's
        repositories.put(key, fresh(repository));
        save();
        LOG.infof("watch: %s added", repository);
        return Added.ADDED;
    }

    public synchronized Removed remove(String repository) {
        WatchedRepository w = repositories.get(WatchedRepository.key(repository));
        if (w == null) {
            return Removed.NOT_WATCHED;
        }
        if (w.configured) {
            return Removed.CONFIGURED;
        }
        repositories.remove(WatchedRepository.key(repository));
        save();
        LOG.infof("watch: %s removed", repository);
        return Removed.REMOVED;
    }

    /**
     * Adds the repositories asked about that are not on the list yet, on demand, and notes when the
     * on-demand ones were last asked about. One save for all.
     */
    synchronized void asked(java.util.Collection<Ask> asks) {
        if (asks.isEmpty()) {
            return;
        }
        for (Ask a : asks) {
            WatchedRepository w = repositories.get(WatchedRepository.key(a.repository()));
            if (w == null) {
                w = fresh(a.repository());
                w.addedAt = a.at();
                w.onDemand = true;
                w = arriving(w);
                repositories.put(WatchedRepository.key(a.repository()), w);
                LOG.debugf("watch: %s queued on demand", a.repository());
            }
            if (w.onDemand && (w.lastAskedAt == null || a.at().isAfter(w.lastAskedAt))) {
                w.lastAskedAt = a.at();
            }
        }
        save();
    }

    synchronized boolean onDemand(String key) {
        WatchedRepository w = repositories.get(key);
        return w != null && w.onDemand;
    }

    /**
     * The on-demand repositories kept fresh now, by key; when that differs from the last save's
     * (one went idle), the answers' view of them is saved anew.
     */
    synchronized java.util.Set<String> keptFresh() {
        java.util.Set<String> now = keptFresh(clock.instant());
        if (!now.equals(freshOnDemand)) {
            save();
        }
        return now;
    }

    /** What the watched repositories and those on demand have waiting in the rate budget. */
    record Claims(long watched, long onDemand) {
    }

    /**
     * Each tier's claim at {@code now} ({@link WatchSchedule#claim}) for the repositories this replica
     * {@code polls}; on-demand ones only if kept {@code fresh}.
     */
    synchronized Claims claims(java.util.Set<String> fresh, Instant now, java.util.function.Predicate<String> polls) {
        long watched = 0;
        long asked = 0;
        for (var e : repositories.entrySet()) {
            WatchedRepository w = e.getValue();
            if (!polls.test(e.getKey())) {
                continue;
            }
            if (!w.onDemand) {
                watched += WatchSchedule.claim(w, now, config.pullsPagesPerTick());
            } else if (fresh.contains(e.getKey())) {
                asked += WatchSchedule.claim(w, now, config.pullsPagesPerTick());
            }
        }
        return new Claims(watched, asked);
    }

    /** On-demand repositories waiting for or in their first load, as of the last save. */
    public int queuedOnDemand() {
        return queuedOnDemand;
    }

    /** A copy of one entry, by name in any case. */
    public synchronized Optional<WatchedRepository> get(String repository) {
        return Optional.ofNullable(repositories.get(WatchedRepository.key(repository))).map(this::copy);
    }

    /** Copies of every entry, by name. */
    public synchronized List<WatchedRepository> all() {
        return repositories.values().stream().map(this::copy).toList();
    }

    synchronized List<String> keys() {
        return new ArrayList<>(repositories.keySet());
    }

    synchronized String lastPolled() {
        return lastPolled;
    }

    /**
     * Changes one entry (skipped when it was removed meanwhile) and saves the file; {@code polled}
     * moves the round-robin on past it.
     */
    synchronized void update(String key, boolean polled, Consumer<WatchedRepository> change) {
        WatchedRepository w = repositories.get(key);
        if (w == null) {
            return;
        }
        change.accept(w);
        w.revision++;
        if (polled) {
            lastPolled = key;
        }
        save();
        changes.accept(copy(w));
    }

    /** {@code changes} hears a copy of each entry after {@link #update} saved it. */
    void onChange(Consumer<WatchedRepository> changes) {
        this.changes = changes;
    }

    /**
     * Takes the state another replica's poller published for {@code key} (its feed's and history's
     * poll state, status, errors, when it was added), so this replica answers for it as that one does
     * and, should the repository move here, polls on from there. What the list itself decides stays:
     * whether it is configured, on demand, when it was last asked about. When this replica
     * {@code pollsIt} and has it, taken only when newer than its own ({@link WatchedRepository#revision}):
     * a state of its last holder newer than this replica's file (the replica restarted, and given the
     * repository before it read that state) is polled on from, a late record of that holder older
     * than what this replica polled since is not. Kept for when it is added when it is not on the
     * list yet.
     */
    synchronized void adopt(String key, WatchedRepository shared, boolean pollsIt) {
        if (shared == null || shared.repository == null || !valid(shared.repository)
                || !key.equals(WatchedRepository.key(shared.repository))) {
            return;
        }
        WatchedRepository w = repositories.get(key);
        if (w == null) {
            unplaced.remove(key); // the newest last: the cap drops the oldest first
            unplaced.put(key, shared);
        } else if (!pollsIt || shared.revision > w.revision) {
            repositories.put(key, placed(w, shared));
            save();
        }
    }

    /** The published state of {@code key} is gone (the repository removed): not to be taken later. */
    synchronized void forget(String key) {
        unplaced.remove(key);
    }

    /** A repository new to the list: {@code fresh}, or the state published for it before, placed as {@code fresh} is. */
    private WatchedRepository arriving(WatchedRepository fresh) {
        WatchedRepository early = unplaced.remove(WatchedRepository.key(fresh.repository));
        return early == null ? fresh : placed(fresh, early);
    }

    /** {@code shared}, with what this list decides as {@code w} has it. */
    private static WatchedRepository placed(WatchedRepository w, WatchedRepository shared) {
        shared.repository = w.repository;
        shared.configured = w.configured;
        shared.onDemand = w.onDemand;
        shared.lastAskedAt = w.lastAskedAt;
        return shared;
    }

    /**
     * Since when every PR of {@code repository} is stored, if it is watched and its history loaded;
     * the name as GitHub spells it, as pr_metrics_agg keys it. Never waits (the API's event loop asks).
     */
    public Optional<Instant> pullRequestsCompleteSince(String repository) {
        return Optional.ofNullable(pullRequestsComplete.get(repository));
    }

    /**
     * The history of {@code repository} (any letter case), if it is on the list. Never waits (the
     * API's event loop asks).
     */
    public Optional<Tracked> tracked(String repository) {
        return Optional.ofNullable(histories.get(WatchedRepository.key(repository)));
    }

    /**
     * The on-demand repositories kept fresh at {@code now}: asked about within ON_DEMAND_IDLE, the
     * ON_DEMAND_MAX_REPOSITORIES most recently asked.
     */
    private java.util.Set<String> keptFresh(Instant now) {
        Instant since = now.minus(onDemand.idle());
        return repositories.entrySet().stream()
                .filter(e -> e.getValue().onDemand)
                .filter(e -> e.getValue().lastAskedAt == null || e.getValue().lastAskedAt.isAfter(since))
                .sorted(java.util.Comparator.comparing((Map.Entry<String, WatchedRepository> e) ->
                        e.getValue().lastAskedAt == null ? e.getValue().addedAt : e.getValue().lastAskedAt).reversed())
                .limit(Math.max(0, onDemand.maxRepositories()))
                .map(Map.Entry::getKey)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    private WatchedRepository copy(WatchedRepository w) {
        return json.convertValue(w, WatchedRepository.class);
    }

    private void save() {
        Map<String, Instant> complete = new HashMap<>();
        Map<String, Tracked> tracked = new HashMap<>();
        java.util.Set<String> fresh = keptFresh(clock.instant());
        int queued = 0;
        for (WatchedRepository w : repositories.values()) {
            String key = WatchedRepository.key(w.repository);
            Instant loadedAt = w.lists().stream().map(l -> l.loadedAt).filter(java.util.Objects::nonNull)
                    .max(java.util.Comparator.naturalOrder()).orElse(null);
            boolean isFresh = !w.onDemand || fresh.contains(key);
            History history = History.of(w);
            tracked.put(key, new Tracked(w.storedName(), history, loadedAt, w.onDemand, isFresh));
            if (w.onDemand && ("queued".equals(history.state()) || "loading".equals(history.state()))) {
                queued++;
            }
            if (!isFresh) {
                continue; // its data stays, but is no longer kept complete
            }
            w.pullRequestsCompleteSince().ifPresent(since ->
                    complete.put(w.pulls.fullName != null ? w.pulls.fullName : w.repository, since));
        }
        pullRequestsComplete = Map.copyOf(complete);
        histories = Map.copyOf(tracked);
        freshOnDemand = fresh;
        queuedOnDemand = queued;
        Saved saved = new Saved();
        saved.repositories = new ArrayList<>(repositories.values());
        saved.lastPolled = lastPolled;
        try {
            JsonFiles.writeAtomically(json, config.file(), saved);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the watch file " + config.file(), e);
        }
    }

}
