package io.github.eventsstats.cli;

import io.github.eventsstats.clickhouse.ClickHouseConfig;
import io.github.eventsstats.embedded.ChdbConfig;
import io.github.eventsstats.embedded.ChdbLibrary;
import io.github.eventsstats.embedded.EngineMain;
import io.github.eventsstats.platform.DataConfig;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.config.SmallRyeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** Only the embedded engine, without Quarkus, on the service's data and settings. */
@Command(name = "engine", sortOptions = false,
        header = "Run only the embedded ClickHouse engine, for curl and other ClickHouse HTTP tools.",
        description = {"Serves the service's data (DATA_DIR/clickhouse) on 127.0.0.1, with the service's settings;"
                + " stop the service first (one engine per data directory). Prints READY port=N once it answers,"
                + " and serves until killed."})
@RegisterForReflection
final class EngineCommand implements Callable<Integer> {

    /** The settings it reads: the service's. */
    static final Class<?>[] MAPPINGS = {DataConfig.class, ChdbConfig.class, ClickHouseConfig.class};

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "N",
            description = "HTTP port; 0 picks a free one. Default: CLICKHOUSE_EMBEDDED_PORT (clickhouse.embedded.port).")
    Integer port;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Override
    public Integer call() throws Exception {
        if (port != null && (port < 0 || port > 65535)) {
            throw new ParameterException(spec.commandLine(), "--port must be from 0 to 65535; got " + port);
        }
        EngineMain.serve(engineOptions(ConfigBootstrap.read(MAPPINGS), port));
        Thread.currentThread().join(); // serve until killed
        return 0;
    }

    /** The library, data and port the service would use; {@code port} when given. */
    static EngineMain.Options engineOptions(SmallRyeConfig config, Integer port) {
        DataConfig data = config.getConfigMapping(DataConfig.class);
        ChdbConfig chdb = config.getConfigMapping(ChdbConfig.class);
        ClickHouseConfig clickHouse = config.getConfigMapping(ClickHouseConfig.class);
        return new EngineMain.Options(ChdbLibrary.resolve(chdb), data.dir().resolve("clickhouse"),
                port != null ? port : clickHouse.embedded().port(), clickHouse.embedded().connectionCount(), false);
    }
}
