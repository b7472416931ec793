package io.github.eventsstats.watch;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Any repository on demand: every repository-scoped answer asks here where the repository's
 * history stands. One not on the list is queued (up to ON_DEMAND_MAX_QUEUED waiting or loading),
 * and an on-demand one is noted as asked about, which keeps it fresh. Never waits: the API's event
 * loop asks; the watch poller's tick adds what was asked to the list ({@link #drain}), and loads it
 * after the watched repositories. Names are checked by the API before they come here, and again
 * here: an invalid one never reaches GitHub.
 */
@ApplicationScoped
public class OnDemand {

    private final WatchList list;
    private final OnDemandConfig config;
    private final InstantSource clock;
    /** Lower-case name → the ask not yet on the list (the first one: its time is queued_at). */
    private final Map<String, WatchList.Ask> pending = new ConcurrentHashMap<>();
    /** Lower-case name → the latest ask about an on-demand repository on the list. */
    private final Map<String, WatchList.Ask> asked = new ConcurrentHashMap<>();
    /** With Kafka: hands each tick's asks to every replica (the owner of a repository's partition polls it). */
    private volatile Consumer<List<WatchList.Ask>> sharing;

    OnDemand(WatchList list, OnDemandConfig config, InstantSource clock) {
        this.list = list;
        this.config = config;
        this.clock = clock;
    }

    /** Where the history of {@code repository} stands, queueing it if it is unknown and there is room. */
    public WatchList.Tracked ask(String repository) {
        var tracked = list.tracked(repository);
        String key = WatchedRepository.key(repository);
        if (tracked.isPresent()) {
            if (tracked.get().onDemand()) {
                asked.put(key, new WatchList.Ask(repository, clock.instant()));
            }
            return tracked.get();
        }
        if (!config.enabled() || !WatchList.valid(repository)) {
            return untracked(repository, History.NOT_QUEUED);
        }
        WatchList.Ask ask = pending.get(key);
        if (ask == null) {
            if (pending.size() + list.queuedOnDemand() >= config.maxQueued()) {
                return untracked(repository, History.NOT_QUEUED);
            }
            ask = pending.computeIfAbsent(key, k -> new WatchList.Ask(repository, clock.instant()));
        }
        return untracked(repository, new History("queued", 0, ask.at(), null));
    }

    private static WatchList.Tracked untracked(String repository, History history) {
        return new WatchList.Tracked(repository, history, null, false, false);
    }

    /** Puts what was asked since the last call on the list (one save); called from the watch poller's tick. */
    void drain() {
        List<WatchList.Ask> asks = new ArrayList<>();
        for (String key : List.copyOf(pending.keySet())) {
            WatchList.Ask a = pending.remove(key);
            if (a != null) {
                asks.add(a);
            }
        }
        for (String key : List.copyOf(asked.keySet())) {
            WatchList.Ask a = asked.remove(key);
            if (a != null) {
                asks.add(a);
            }
        }
        list.asked(asks);
        Consumer<List<WatchList.Ask>> s = sharing;
        if (s != null && !asks.isEmpty()) {
            s.accept(asks);
        }
    }

    /** Asks drained from now on go to {@code s} too (the shared watch list, with Kafka). */
    void share(Consumer<List<WatchList.Ask>> s) {
        sharing = s;
    }

    /** Forgets what was asked and not drained yet, as a restart does. */
    public void forget() {
        pending.clear();
        asked.clear();
    }
}
