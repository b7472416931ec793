package io.github.eventsstats.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.quarkus.runtime.annotations.RegisterForReflection;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code quarkus-run.jar} with no command runs the service; the commands are picocli's, their
 * arguments checked before anything starts (see {@code --help}).
 */
@QuarkusMain
@RegisterForReflection
@Command(name = "github-events-stats", sortOptions = false,
        header = "GitHub public events, counted in ClickHouse.",
        description = {"Without a command: run the service (REST API on quarkus.http.port, the poller, the embedded"
                + " ClickHouse engine unless CLICKHOUSE_URL is set). Settings: environment variables or .env, see"
                + " .env.example."},
        commandListHeading = "%nCommands (each has --help):%n")
public final class Main {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    public static void main(String... args) {
        if (args.length == 0) {
            // Not through picocli's exit: in dev mode Quarkus.run returns to restart the service.
            Quarkus.run();
            return;
        }
        System.exit(commandLine().execute(args));
    }

    /** The command tree, with the shared settings. */
    public static CommandLine commandLine() {
        return Commands.configure(new CommandLine(new Main())
                .addSubcommand(new BackfillCommand.Line())
                .addSubcommand(new EngineCommand())
                .addSubcommand(new HealthcheckCommand()));
    }
}
