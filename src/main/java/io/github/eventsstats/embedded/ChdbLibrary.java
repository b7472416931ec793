package io.github.eventsstats.embedded;

import java.nio.file.Path;

/** Where the pinned libchdb.so is expected: the same place scripts/fetch-chdb.sh caches it. */
public final class ChdbLibrary {

    public static final String VERSION = "26.7.3-stable.1";

    private ChdbLibrary() {
    }

    public static Path resolve(ChdbConfig config) {
        return config.library().orElseGet(() -> config.cacheDir().resolve("chdb-" + VERSION).resolve("libchdb.so"));
    }
}
