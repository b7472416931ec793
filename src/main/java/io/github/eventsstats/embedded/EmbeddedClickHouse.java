package io.github.eventsstats.embedded;

import io.github.eventsstats.DataConfig;
import io.github.eventsstats.store.ClickHouseConfig;
import io.quarkus.runtime.ImageMode;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/** Owns the embedded engine process when no CLICKHOUSE_URL is configured. */
@ApplicationScoped
public class EmbeddedClickHouse {

    private final ClickHouseConfig config;
    private final ChdbConfig chdb;
    private final DataConfig data;
    private EngineProcess engine;

    EmbeddedClickHouse(ClickHouseConfig config, ChdbConfig chdb, DataConfig data) {
        this.config = config;
        this.chdb = chdb;
        this.data = data;
    }

    public boolean enabled() {
        return config.url().filter(u -> !u.isBlank()).isEmpty();
    }

    /** Starts the engine once and returns its HTTP endpoint. */
    public synchronized String start() {
        if (engine == null) {
            if (ImageMode.current() == ImageMode.NATIVE_RUN) {
                throw new EngineUnavailableException("the embedded ClickHouse engine is not available in the native"
                        + " image; set CLICKHOUSE_URL to a ClickHouse server");
            }
            EngineProcess e = new EngineProcess(new EngineProcess.Options(ChdbLibrary.resolve(chdb.library()),
                    data.dir().resolve("clickhouse"), config.embedded().port(), config.embedded().startTimeout()));
            e.start();
            engine = e;
        }
        return engine.endpoint();
    }

    /** The running engine, when this service runs one. */
    public synchronized Optional<EngineProcess> engine() {
        return Optional.ofNullable(engine);
    }

    @PreDestroy
    synchronized void stop() {
        if (engine != null) {
            engine.close();
        }
    }
}
