package io.github.eventsstats.cli;

import io.github.eventsstats.clickhouse.ClickHouseConfig;
import io.github.eventsstats.embedded.ChdbConfig;
import io.github.eventsstats.embedded.ChdbLibrary;
import io.github.eventsstats.embedded.EngineAccess;
import io.github.eventsstats.embedded.EngineMain;
import io.github.eventsstats.platform.DataConfig;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.config.SmallRyeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.Console;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Only the embedded engine, without Quarkus, on the service's data and settings. */
@Command(name = "engine", sortOptions = false,
        header = "Run only the embedded ClickHouse engine, for curl and other ClickHouse HTTP tools.",
        description = {"Serves the service's data (DATA_DIR/clickhouse) on 127.0.0.1, with the service's settings;"
                + " stop the service first (one engine per data directory). Every request must carry CLICKHOUSE_USER"
                + " and CLICKHOUSE_PASSWORD, as with a server; without CLICKHOUSE_PASSWORD it makes one and prints how"
                + " to use it. Prints READY port=N once it answers, and serves until killed."})
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
        SmallRyeConfig config = ConfigBootstrap.read(MAPPINGS);
        EngineMain.Options options = engineOptions(config, port);
        String given = configuredPassword(config);
        String password = given != null ? given : EngineAccess.newPassword();
        int bound = EngineMain.serve(options, password);
        if (given == null) {
            Console console = System.console();
            printMadePassword(spec.commandLine().getOut(), options.user(), password, bound,
                    options.dataPath().resolve("engine.endpoint"), console != null && console.isTerminal());
        }
        Thread.currentThread().join(); // serve until killed
        return 0;
    }

    /** CLICKHOUSE_PASSWORD, or null when it is unset or empty (the engine then makes one). */
    static String configuredPassword(SmallRyeConfig config) {
        return config.getConfigMapping(ClickHouseConfig.class).password().filter(p -> !p.isEmpty()).orElse(null);
    }

    /**
     * How to use a password the engine made, said once, on this command's own output, never in a log line. Only
     * to a terminal does it show the password itself: an output that is not one (a service manager's, a
     * container's) usually ends in a log, so it is pointed to the owner-only endpoint file that holds it.
     */
    static void printMadePassword(PrintWriter out, String user, String password, int port, Path endpointFile,
                                  boolean terminal) {
        String url = "http://127.0.0.1:" + port;
        out.println("No CLICKHOUSE_PASSWORD is set, so the engine made one for this run; every request must carry it"
                + " (user " + user + ").");
        if (terminal) {
            out.println("  curl -u '" + user + ":" + password + "' '" + url + "/?query=SELECT+1'");
            out.println("  the service or a backfill elsewhere: CLICKHOUSE_URL=" + url + " CLICKHOUSE_USER=" + user
                    + " CLICKHOUSE_PASSWORD=" + password);
        } else {
            out.println("  It is not shown here, as this output is not a terminal: it is the `password` line of "
                    + endpointFile + " (readable by this user only).");
        }
        out.println("  A backfill on the same DATA_DIR finds the engine and its password in " + endpointFile + ".");
        out.println("Set CLICKHOUSE_PASSWORD to choose the password instead.");
        out.flush();
    }

    /** The library, data, port and user the service would use; {@code port} when given. */
    static EngineMain.Options engineOptions(SmallRyeConfig config, Integer port) {
        DataConfig data = config.getConfigMapping(DataConfig.class);
        ChdbConfig chdb = config.getConfigMapping(ChdbConfig.class);
        ClickHouseConfig clickHouse = config.getConfigMapping(ClickHouseConfig.class);
        return new EngineMain.Options(ChdbLibrary.resolve(chdb), data.dir().resolve("clickhouse"),
                port != null ? port : clickHouse.embedded().port(), clickHouse.embedded().connectionCount(),
                clickHouse.user(), false);
    }
}
