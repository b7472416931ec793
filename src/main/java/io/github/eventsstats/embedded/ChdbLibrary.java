package io.github.eventsstats.embedded;

import io.smallrye.config.SmallRyeConfigBuilder;

import java.nio.file.Path;

/** Where the pinned libchdb.so is expected: the same place scripts/fetch-chdb.sh caches it. */
public final class ChdbLibrary {

    public static final String VERSION = "26.7.3-stable.1";

    private ChdbLibrary() {
    }

    public static Path resolve(ChdbConfig config) {
        return config.library().orElseGet(() -> config.cacheDir().resolve("chdb-" + VERSION).resolve("libchdb.so"));
    }

    /**
     * The library as the service would resolve it, for code that runs without Quarkus (the
     * {@code engine} command, a test's child process): CHDB_LIBRARY / CHDB_CACHE_DIR from the
     * environment or {@code -Dchdb.*}, else the mapping's default.
     */
    public static Path resolve() {
        return resolve(new SmallRyeConfigBuilder()
                .addDefaultSources()
                .addDefaultInterceptors()
                .withMapping(ChdbConfig.class)
                .build()
                .getConfigMapping(ChdbConfig.class));
    }
}
