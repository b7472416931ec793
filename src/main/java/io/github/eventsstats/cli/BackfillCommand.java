package io.github.eventsstats.cli;

import io.github.eventsstats.archive.ArchiveFiles;
import io.github.eventsstats.archive.ArchiveHours;
import io.github.eventsstats.archive.Backfill;
import io.github.eventsstats.archive.BackfillRequest;
import io.github.eventsstats.archive.BackfillRunner;
import io.github.eventsstats.archive.ProgressTicker;
import io.github.eventsstats.event.EventType;
import io.github.eventsstats.event.TypeSelection;
import io.quarkus.runtime.ApplicationLifecycleManager;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code backfill [--dry-run] [--types T,..] PATH...}: loads GH Archive files (and the poller's raw
 * archive) into ClickHouse. Exit status: 0 everything loaded (or already loaded), 1 some lines or
 * a truncated gzip were skipped (the rest is loaded), 2 usage error, 3 a file could not be loaded.
 */
@ApplicationScoped
public class BackfillCommand implements QuarkusApplication {

    /** The Quarkus profile the command runs under (application.properties): a command, not the service. */
    static final String PROFILE = "backfill";

    /**
     * The request {@link Line} read, for the application {@link Quarkus#run} starts next. Quarkus
     * builds the application from its class and can pass it only strings; handing the typed request
     * over here keeps the command line read once, before Quarkus starts, so that a usage error
     * starts nothing. Taken once, by {@link #execute}.
     */
    private static final AtomicReference<BackfillRequest> READ_BEFORE_START = new AtomicReference<>();

    private final BackfillRunner runner;

    BackfillCommand(BackfillRunner runner) {
        this.runner = runner;
    }

    static void handOver(BackfillRequest request) {
        READ_BEFORE_START.set(request);
    }

    /** The command line as picocli reads it. Checked in full before Quarkus starts. */
    @Command(name = "backfill", sortOptions = false,
            header = {"Load GH Archive files, or the poller's raw archive, into ClickHouse, and exit.",
                    "With --from: download GH Archive's hours FROM up to TO and load them."},
            description = {"Each event is stored once, whatever was loaded or polled before. Uses the running"
                    + " service's engine when there is one; serves no HTTP and does not poll."},
            exitCodeListHeading = "Exit status:%n",
            exitCodeList = {
                    Backfill.OK + ":every file loaded, or skipped as already loaded",
                    Backfill.INPUT_SKIPPED + ":some input was skipped (bad lines, a truncated or corrupt gzip); the rest is loaded",
                    Backfill.USAGE + ":usage error: unknown option or event type, missing or unreadable PATH",
                    Backfill.FAILED + ":a file could not be loaded (unreadable, or ClickHouse failed)"})
    @RegisterForReflection
    public static final class Line implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--dry-run", description = "Read and count everything, write nothing (starts no engine).")
        boolean dryRun;

        @Option(names = "--types", paramLabel = "T,..", completionCandidates = TypeNames.class,
                description = "Event types to store, comma-separated GitHub names (${COMPLETION-CANDIDATES}), or * for"
                        + " every type. Default: WatchEvent,PullRequestEvent,IssuesEvent; with --from, the types the"
                        + " service's sync stores (ARCHIVE_SYNC_EVENT_TYPES, else POLLER_EVENT_TYPES).")
        String types;

        @Option(names = "--from", paramLabel = "HOUR",
                description = "Download and load GH Archive's hour files from this UTC date-hour (2026-11-01T00)"
                        + " or period back (P7D), instead of reading PATHs.")
        String from;

        @Option(names = "--to", paramLabel = "HOUR",
                description = "With --from: up to this hour, not included (default: the current hour).")
        String to;

        @Parameters(paramLabel = "PATH", arity = "0..*",
                description = "A .json, .json.gz or .jsonl file (gzip or not), or a directory searched for them.")
        List<String> paths = new ArrayList<>();

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;

        @Override
        public Integer call() {
            BackfillRequest options;
            try {
                options = options();
            } catch (ArchiveFiles.UsageException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            ConfigBootstrap.activate(PROFILE);
            handOver(options);
            Quarkus.run(BackfillCommand.class); // exits the JVM with run()'s status
            return ApplicationLifecycleManager.getExitCode();
        }

        /** The checks picocli does not make: the event types, and the paths, which are expanded. */
        BackfillRequest options() {
            TypeSelection selected = types == null ? null : types(types);
            if (from == null) {
                selected = selected == null ? TypeSelection.DEFAULTS : selected;
                if (to != null) {
                    throw new ArchiveFiles.UsageException("--to needs --from");
                }
                if (paths.isEmpty()) {
                    throw new ArchiveFiles.UsageException("no PATH given");
                }
                return new BackfillRequest(dryRun, selected, ArchiveFiles.expand(paths), null, null);
            }
            if (!paths.isEmpty()) {
                throw new ArchiveFiles.UsageException("give PATHs or --from, not both");
            }
            if (dryRun) {
                throw new ArchiveFiles.UsageException("--dry-run reads files; with --from nothing would be read");
            }
            ArchiveHours.HourSpec start = hour(from);
            ArchiveHours.HourSpec end = to == null ? null : hour(to);
            // Resolved here only to check them; the command resolves both again on its own clock.
            Instant now = Instant.now();
            try {
                Instant first = start.at(now);
                if (end != null) {
                    Instant last = end.at(now);
                    if (!last.isAfter(first)) {
                        throw new ArchiveFiles.UsageException("--to " + to + " is not after --from " + from);
                    }
                    ArchiveHours.checkRange(first, last);
                } else {
                    ArchiveHours.checkRange(first, now);
                }
            } catch (IllegalArgumentException e) {
                throw new ArchiveFiles.UsageException(e.getMessage());
            }
            return new BackfillRequest(false, selected, List.of(), start, end);
        }
    }

    /** The names {@code --types} takes, for the help. */
    @RegisterForReflection
    public static final class TypeNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return EventType.DOCUMENTED.iterator();
        }
    }

    private static CommandLine commandLine() {
        return Commands.configure(new CommandLine(new Line()));
    }

    static String usage() {
        return commandLine().getUsageMessage();
    }

    /**
     * The options, or null when help was asked for.
     *
     * @throws ArchiveFiles.UsageException for arguments that do not make a backfill
     */
    static BackfillRequest parse(String... args) {
        CommandLine line = commandLine();
        try {
            line.parseArgs(args);
        } catch (ParameterException e) {
            throw new ArchiveFiles.UsageException(Commands.message(e));
        }
        return line.isUsageHelpRequested() ? null : line.<Line>getCommand().options();
    }

    private static ArchiveHours.HourSpec hour(String text) {
        try {
            return ArchiveHours.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ArchiveFiles.UsageException(e.getMessage());
        }
    }

    private static TypeSelection types(String list) {
        try {
            return TypeSelection.parse(List.of(list.split(",")));
        } catch (IllegalArgumentException e) {
            throw new ArchiveFiles.UsageException("--types: " + e.getMessage());
        }
    }

    @Override
    public int run(String... args) throws Exception {
        return execute(args, System.out, System.err, ProgressTicker.terminalOrNull());
    }

    /**
     * Runs the request {@link Line} read before Quarkus started or, without one (a caller in this
     * process), {@code args} read here; returns the exit status.
     */
    public int execute(String[] args, PrintStream out, PrintStream err, PrintStream terminal) throws InterruptedException {
        BackfillRequest options = READ_BEFORE_START.getAndSet(null);
        if (options == null) {
            try {
                options = parse(args);
            } catch (ArchiveFiles.UsageException e) {
                err.println("backfill: " + e.getMessage());
                err.print(usage());
                return Backfill.USAGE;
            }
            if (options == null) {
                out.print(usage());
                return Backfill.OK;
            }
        }
        return runner.run(options, out, err, terminal);
    }
}
