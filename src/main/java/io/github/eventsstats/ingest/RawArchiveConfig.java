package io.github.eventsstats.ingest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The optional raw archive of fetched events. */
@ConfigMapping(prefix = "save")
public interface RawArchiveConfig {

    /** SAVE_EVENTS_TO_FILES: append every fetched event to DATA_DIR/raw/YYYY-MM-DD-H.json.gz (hour of fetching, UTC). */
    @WithDefault("false")
    boolean eventsToFiles();
}
