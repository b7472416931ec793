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
    private final ObjectMapper json;
    private final InstantSource clock;
    private final TreeMap<String, WatchedRepository> repositories = new TreeMap<>();
    private String lastPolled;
    /** GitHub's spelling → since when its PRs are complete, as of the last save: read without the lock. */
    private volatile Map<String, Instant> pullRequestsComplete = Map.of();
    /** Lower-case name → its history's state, as of the last save: read without the lock. */
    private volatile Map<String, Tracked> histories = Map.of();

    /** A repository of the list as the answers see it: the name its history is stored under, and its state. */
    public record Tracked(String storedName, History history, Instant loadedAt) {
    }

    WatchList(WatchConfig config, ObjectMapper json, InstantSource clock) {
        this.config = config;
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
            repositories.computeIfAbsent(WatchedRepository.key(name), k -> fresh(name)).configured = true;
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

    public synchronized Added add(String repository) {
        String key = WatchedRepository.key(repository);
        if (repositories.containsKey(key)) {
            return Added.ALREADY_WATCHED;
        }
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
        if (polled) {
            lastPolled = key;
        }
        save();
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

    private WatchedRepository copy(WatchedRepository w) {
        return json.convertValue(w, WatchedRepository.class);
    }

    private void save() {
        Map<String, Instant> complete = new HashMap<>();
        Map<String, Tracked> tracked = new HashMap<>();
        for (WatchedRepository w : repositories.values()) {
            Instant loadedAt = w.lists().stream().map(l -> l.loadedAt).filter(java.util.Objects::nonNull)
                    .max(java.util.Comparator.naturalOrder()).orElse(null);
            tracked.put(WatchedRepository.key(w.repository), new Tracked(w.storedName(), History.of(w), loadedAt));
            w.pullRequestsCompleteSince().ifPresent(since ->
                    complete.put(w.pulls.fullName != null ? w.pulls.fullName : w.repository, since));
        }
        pullRequestsComplete = Map.copyOf(complete);
        histories = Map.copyOf(tracked);
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
