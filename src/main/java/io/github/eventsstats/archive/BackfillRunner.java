package io.github.eventsstats.archive;

import io.github.eventsstats.clickhouse.ClickHouseUnavailableException;
import io.github.eventsstats.clickhouse.SchemaMigrator;
import io.github.eventsstats.event.EventMapper;
import io.github.eventsstats.event.EventSource;
import io.github.eventsstats.ingest.EventWriter;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.PrintStream;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Runs one {@link BackfillRequest}: archive files, or GH Archive's hours downloaded and loaded,
 * with the summary printed. Returns the command's exit status ({@link Backfill#OK} ...).
 */
@ApplicationScoped
public class BackfillRunner {

    /** The last line of a {@code backfill --from} with Kafka: its "stored" events are in the stream, not yet in ClickHouse. */
    static final String PUBLISHED = "with Kafka (KAFKA_BOOTSTRAP_SERVERS): the events were published to the stream;"
            + " the replicas' consumer group stores them (its lag: stream_consumer_lag_events in /q/metrics)";

    private final EventWriter writer;
    private final Ledger ledger;
    private final SchemaMigrator migrator;
    private final ArchiveSync sync;
    private final InstantSource clock;

    BackfillRunner(EventWriter writer, Ledger ledger, SchemaMigrator migrator, ArchiveSync sync, InstantSource clock) {
        this.writer = writer;
        this.ledger = ledger;
        this.migrator = migrator;
        this.sync = sync;
        this.clock = clock;
    }

    public int run(BackfillRequest options, PrintStream out, PrintStream err, PrintStream terminal)
            throws InterruptedException {
        if (options.from() != null) {
            return sync(options, out, err, terminal);
        }
        EventMapper mapper = new EventMapper(options.types(), clock);
        Thread natives = Thread.ofPlatform().name("archive-prepare").start(EventFileReader::prepareNativeLibraries);
        Backfill backfill;
        if (options.dryRun()) {
            backfill = new Backfill(mapper, null, null, Backfill.BATCH_SIZE, sync.maxLine());
        } else {
            if (!migrated(err)) {
                return Backfill.FAILED;
            }
            backfill = new Backfill(mapper, rows -> writer.write(rows, EventSource.ARCHIVE), ledger, Backfill.BATCH_SIZE,
                    sync.maxLine());
        }
        natives.join();
        Backfill.Summary summary = backfill.run(options.files(), terminal);
        summary.lines().forEach(out::println);
        return summary.exitCode();
    }

    private boolean migrated(PrintStream err) {
        try {
            migrator.migrate();
            return true;
        } catch (ClickHouseUnavailableException e) {
            // An engine that cannot start says what to do in its own words.
            err.println("backfill: " + (e.retryable() ? "ClickHouse is not usable: " : "") + e.getMessage());
        } catch (RuntimeException e) {
            err.println("backfill: ClickHouse is not usable: " + e.getMessage());
        }
        return false;
    }

    /** {@code backfill --from .. [--to ..]}: GH Archive's hours, downloaded and loaded. */
    private int sync(BackfillRequest options, PrintStream out, PrintStream err, PrintStream terminal)
            throws InterruptedException {
        Instant from = sync.hour(options.from());
        Instant to = options.to() != null ? sync.hour(options.to()) : sync.currentHour();
        Thread natives = Thread.ofPlatform().name("archive-prepare").start(EventFileReader::prepareNativeLibraries);
        if (!migrated(err)) {
            return Backfill.FAILED;
        }
        natives.join();
        SyncProgress progress = new SyncProgress(from, to,
                options.types() != null ? options.types() : sync.configuredTypes());
        try (ProgressTicker ignored = new ProgressTicker(progress::line, terminal)) {
            sync.run(progress);
        }
        progress.summary().forEach(out::println);
        if (sync.publishes()) {
            out.println(PUBLISHED);
        }
        return progress.exitCode();
    }
}
