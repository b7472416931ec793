package io.github.eventsstats.embedded;

import io.smallrye.config.ConfigMapping;

import java.util.Optional;

/** Where the embedded engine's library is. */
@ConfigMapping(prefix = "chdb")
public interface ChdbConfig {

    /** CHDB_LIBRARY: path of libchdb.so; default is where scripts/fetch-chdb.sh caches it. */
    Optional<String> library();
}
