package io.github.eventsstats.embedded;

import java.nio.file.Path;
import java.util.Optional;

/** Where the pinned libchdb.so is expected: the same place scripts/fetch-chdb.sh caches it. */
public final class ChdbLibrary {

    public static final String VERSION = "26.7.3-stable.1";

    private ChdbLibrary() {
    }

    public static Path resolve(Optional<String> configured) {
        if (configured.isPresent() && !configured.get().isBlank()) {
            return Path.of(configured.get());
        }
        String cacheHome = System.getenv("XDG_CACHE_HOME");
        Path cache = cacheHome != null && !cacheHome.isBlank()
                ? Path.of(cacheHome) : Path.of(System.getProperty("user.home"), ".cache");
        String override = System.getenv("CHDB_CACHE_DIR");
        Path base = override != null && !override.isBlank() ? Path.of(override) : cache.resolve("github-events-stats");
        return base.resolve("chdb-" + VERSION).resolve("libchdb.so");
    }
}
