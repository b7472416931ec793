package io.github.eventsstats.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;

/** Where the service keeps local state: the embedded engine's data, poller state, raw archives. */
@ConfigMapping(prefix = "data")
public interface DataConfig {

    /** DATA_DIR. */
    @WithDefault("data")
    Path dir();
}
