package io.github.eventsstats.embedded;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The library is looked for where scripts/fetch-chdb.sh caches it. */
class ChdbLibraryTest {

    private static final String LIB = "chdb-" + ChdbLibrary.VERSION + "/libchdb.so";

    @Test
    void followsTheFetchScriptsRules() {
        assertEquals(Path.of("/home/u/.cache/github-events-stats/" + LIB), resolve(Map.of()));
        assertEquals(Path.of("/xdg/github-events-stats/" + LIB), resolve(Map.of("XDG_CACHE_HOME", "/xdg")));
        assertEquals(Path.of("/cache/" + LIB), resolve(Map.of("XDG_CACHE_HOME", "/xdg", "CHDB_CACHE_DIR", "/cache")));
        assertEquals(Path.of("/lib/libchdb.so"), resolve(Map.of("CHDB_CACHE_DIR", "/cache", "CHDB_LIBRARY", "/lib/libchdb.so")));
    }

    @Test
    void theScriptHasTheSameVersionAndDefault() throws IOException {
        String script = Files.readString(Path.of("scripts/fetch-chdb.sh"));
        assertTrue(script.contains("\nVERSION=\"" + ChdbLibrary.VERSION + "\"\n"), "scripts/fetch-chdb.sh pins another version");
        // The cache root is the fetch scripts' shared rule (scripts/npm-fetch.sh).
        String shared = Files.readString(Path.of("scripts/npm-fetch.sh"));
        assertTrue(shared.contains("cache_root=\"${CHDB_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/github-events-stats}\""),
                "scripts/npm-fetch.sh caches elsewhere; keep ChdbConfig.cacheDir() in step");
        assertTrue(script.contains("cache=\"$cache_root/chdb-${VERSION}\""),
                "scripts/fetch-chdb.sh caches elsewhere; keep ChdbConfig.cacheDir() in step");
    }

    /** As the service would, from these environment variables. */
    private static Path resolve(Map<String, String> env) {
        return ChdbLibrary.resolve(new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(new HashMap<>(env), 300))
                .withSources(new PropertiesConfigSource(Map.of("user.home", "/home/u"), "system", 400))
                .addDefaultInterceptors()
                .withMapping(ChdbConfig.class)
                .build()
                .getConfigMapping(ChdbConfig.class));
    }
}
