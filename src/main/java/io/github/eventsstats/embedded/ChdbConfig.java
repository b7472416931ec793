package io.github.eventsstats.embedded;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.util.Optional;

/** Where the embedded engine's library is. */
@ConfigMapping(prefix = "chdb")
public interface ChdbConfig {

    /** CHDB_LIBRARY: path of libchdb.so; unset: {@code cache-dir/chdb-VERSION/libchdb.so}. */
    Optional<Path> library();

    /**
     * CHDB_CACHE_DIR: where scripts/fetch-chdb.sh caches the library, by the script's own rule:
     * {@code ${XDG_CACHE_HOME:-$HOME/.cache}/github-events-stats}.
     */
    @WithDefault("${XDG_CACHE_HOME:${user.home}/.cache}/github-events-stats")
    Path cacheDir();
}
