package io.github.eventsstats.embedded;

import io.github.eventsstats.clickhouse.ClickHouseConfig;
import io.github.eventsstats.clickhouse.ClickHouseEndpoint;
import io.github.eventsstats.clickhouse.ClickHouseUnavailableException;
import io.github.eventsstats.platform.DataConfig;
import io.quarkus.runtime.ImageMode;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.Optional;
import org.jboss.logging.Logger;

/** Says where ClickHouse is, and owns the embedded engine process when no CLICKHOUSE_URL is configured. */
@ApplicationScoped
public class EmbeddedClickHouse {

    private static final Logger LOG = Logger.getLogger(EmbeddedClickHouse.class);

    private final ClickHouseConfig config;
    private final ChdbConfig chdb;
    private final DataConfig data;
    private EngineProcess engine;
    private ClickHouseEndpoint.Target attached;

    public EmbeddedClickHouse(ClickHouseConfig config, ChdbConfig chdb, DataConfig data) {
        this.config = config;
        this.chdb = chdb;
        this.data = data;
    }

    public boolean enabled() {
        return config.url().filter(u -> !u.isBlank()).isEmpty();
    }

    /**
     * The client's endpoint: CLICKHOUSE_URL, or the embedded engine, started when the client first
     * asks for the URL (so a command that never queries, like {@code backfill --dry-run}, starts none).
     */
    @Produces
    @Singleton
    public ClickHouseEndpoint clickHouseEndpoint() {
        if (!enabled()) {
            return new ClickHouseEndpoint.Server(new ClickHouseEndpoint.Target(config.url().orElseThrow(), config.user(),
                    config.password().orElse("")));
        }
        return new ClickHouseEndpoint() {
            @Override
            public Target target() {
                try {
                    return start();
                } catch (EngineUnavailableException e) {
                    // No retry brings up an engine that could not start: say so, without this package's type.
                    throw ClickHouseUnavailableException.permanent(e.getMessage(), e.getCause());
                }
            }

            @Override
            public boolean embedded() {
                return true;
            }
        };
    }

    /**
     * Starts the engine once and returns its HTTP endpoint and credentials; with {@code attach} on, those of
     * a live engine already serving the data directory, when there is one (from its endpoint file, which
     * only this user may read).
     */
    synchronized ClickHouseEndpoint.Target start() {
        if (attached != null) {
            return attached;
        }
        if (engine == null && config.embedded().attach()) {
            attached = EngineEndpointFile.live(data.dir().resolve("clickhouse")).orElse(null);
            if (attached != null) {
                LOG.infof("using the embedded engine already serving %s at %s", data.dir(), attached.url());
                return attached;
            }
        }
        if (engine == null) {
            if (ImageMode.current() == ImageMode.NATIVE_RUN) {
                throw new EngineUnavailableException("the embedded ClickHouse engine is not available in the native"
                        + " image; set CLICKHOUSE_URL to a ClickHouse server");
            }
            EngineProcess e = new EngineProcess(new EngineProcess.Options(ChdbLibrary.resolve(chdb),
                    data.dir().resolve("clickhouse"), config.embedded().port(), config.embedded().connectionCount(),
                    config.user(), config.embedded().startTimeout()));
            e.start();
            engine = e;
        }
        return engine.target();
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
