package io.github.eventsstats.archive;

import io.github.eventsstats.ConfigBootstrap;
import io.github.eventsstats.embedded.EngineUnavailableException;
import io.github.eventsstats.ingest.EventMapper;
import io.github.eventsstats.ingest.EventWriter;
import io.github.eventsstats.store.EventType;
import io.github.eventsstats.store.SchemaMigrator;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code backfill [--dry-run] [--types T,..] PATH...}: loads GH Archive files (and the poller's raw
 * archive) into ClickHouse. Exit status: 0 everything loaded (or already loaded), 1 some lines or
 * a truncated gzip were skipped (the rest is loaded), 2 usage error, 3 a file could not be loaded.
 */
@ApplicationScoped
public class BackfillCommand implements QuarkusApplication {

    static final String USAGE = "usage: backfill [--dry-run] [--types T,..] PATH...   (PATH: a .json, .json.gz or"
            + " .jsonl file, or a directory of them; types: " + EnumSet.allOf(EventType.class) + ")";

    /** The Quarkus profile the command runs under (application.properties): a command, not the service. */
    static final String PROFILE = "backfill";

    private final EventWriter writer;
    private final Ledger ledger;
    private final SchemaMigrator migrator;

    BackfillCommand(EventWriter writer, Ledger ledger, SchemaMigrator migrator) {
        this.writer = writer;
        this.ledger = ledger;
        this.migrator = migrator;
    }

    /** The parsed command line. */
    record Options(boolean dryRun, Set<EventType> types, List<Path> files) {
    }

    /** Entry point from {@code Main}: checks the arguments, then starts Quarkus under the backfill profile. */
    public static void launch(String... args) {
        QuickCompiler.start();
        try {
            if (parse(args) == null) {
                System.out.println(USAGE);
                return;
            }
        } catch (ArchiveFiles.UsageException e) {
            System.err.println("backfill: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(Backfill.USAGE);
        }
        ConfigBootstrap.activate(PROFILE);
        Quarkus.run(BackfillCommand.class, args);
    }

    /** The options, or null when help was asked for. */
    static Options parse(String... args) {
        boolean dryRun = false;
        Set<EventType> types = EnumSet.allOf(EventType.class);
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-h", "--help" -> {
                    return null;
                }
                case "--dry-run" -> dryRun = true;
                case "--types" -> {
                    if (i + 1 >= args.length) {
                        throw new ArchiveFiles.UsageException("--types needs a value, e.g. --types WatchEvent,IssuesEvent");
                    }
                    types = types(args[++i]);
                }
                default -> {
                    if (a.startsWith("--types=")) {
                        types = types(a.substring("--types=".length()));
                    } else if (a.startsWith("-") && !a.equals("-")) {
                        throw new ArchiveFiles.UsageException("unknown option " + a);
                    } else {
                        paths.add(a);
                    }
                }
            }
        }
        if (paths.isEmpty()) {
            throw new ArchiveFiles.UsageException("no PATH given");
        }
        return new Options(dryRun, types, ArchiveFiles.expand(paths));
    }

    private static Set<EventType> types(String list) {
        Set<EventType> types = EnumSet.noneOf(EventType.class);
        for (String t : list.split(",")) {
            String name = t.strip();
            if (name.isEmpty()) {
                continue;
            }
            types.add(EventType.of(name).orElseThrow(() -> new ArchiveFiles.UsageException(
                    "unknown event type '" + name + "' (known: " + EnumSet.allOf(EventType.class) + ")")));
        }
        if (types.isEmpty()) {
            throw new ArchiveFiles.UsageException("--types lists no event type");
        }
        return types;
    }

    @Override
    public int run(String... args) throws Exception {
        return execute(args, System.out, System.err, Progress.terminalOrNull());
    }

    /** Runs the command; returns the exit status. */
    int execute(String[] args, PrintStream out, PrintStream err, PrintStream terminal) throws InterruptedException {
        Options options;
        try {
            options = parse(args);
        } catch (ArchiveFiles.UsageException e) {
            err.println("backfill: " + e.getMessage());
            err.println(USAGE);
            return Backfill.USAGE;
        }
        if (options == null) {
            out.println(USAGE);
            return Backfill.OK;
        }
        EventMapper mapper = new EventMapper(options.types());
        Thread natives = Thread.ofPlatform().name("archive-prepare").start(EventFileReader::prepareNativeLibraries);
        Backfill backfill;
        if (options.dryRun()) {
            backfill = new Backfill(mapper, null, null, Backfill.BATCH_SIZE);
        } else {
            try {
                migrator.migrate();
            } catch (EngineUnavailableException e) {
                err.println("backfill: " + engineMessage(e));
                return Backfill.FAILED;
            } catch (RuntimeException e) {
                err.println("backfill: ClickHouse is not usable: " + e.getMessage());
                return Backfill.FAILED;
            }
            backfill = new Backfill(mapper, writer::write, ledger, Backfill.BATCH_SIZE);
        }
        natives.join();
        QuickCompiler.await();
        Backfill.Summary summary = backfill.run(options.files(), terminal);
        summary.lines().forEach(out::println);
        return summary.exitCode();
    }

    /** The engine refuses a second process on one data directory; say what to do about it. */
    static String engineMessage(EngineUnavailableException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("Another server instance") || m.contains("Cannot lock file")) {
            return "the embedded engine's data directory is in use by another process that does not share its"
                    + " engine (an older service or `engine` command); stop it and run the backfill again, or point"
                    + " CLICKHOUSE_URL at a ClickHouse server";
        }
        return m;
    }
}
