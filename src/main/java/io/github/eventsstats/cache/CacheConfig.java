package io.github.eventsstats.cache;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The API's answer cache. */
@ConfigMapping(prefix = "api.cache")
public interface CacheConfig {

    /**
     * API_CACHE_TTL: how long an answer is served again at most; the bound on how stale an answer
     * can be after a write by another process (this process's writes drop answers at once). 0: off.
     */
    @WithDefault("2s")
    Duration ttl();
}
