package io.github.eventsstats.archive;

import io.github.eventsstats.cli.ConfigBootstrap;
import io.github.eventsstats.clickhouse.ApiQueryConfig;
import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.clickhouse.ClickHouseConfig;
import io.github.eventsstats.embedded.ChdbConfig;
import io.github.eventsstats.embedded.EmbeddedClickHouse;
import io.github.eventsstats.clickhouse.DataChanges;
import io.github.eventsstats.event.EventRow;
import io.github.eventsstats.event.EventSource;
import io.github.eventsstats.event.TypeSelection;
import io.github.eventsstats.ingest.EventStore;
import io.github.eventsstats.ingest.EventWriter;
import io.github.eventsstats.ingest.SightingStore;
import io.github.eventsstats.platform.DataConfig;
import io.smallrye.config.SmallRyeConfig;

import java.lang.reflect.Constructor;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A sync in a process of its own, for a real kill -9: {@code DATA_DIR ENGINE_DATA_DIR ARCHIVE_URL FROM TO HOLD}. It
 * attaches to the engine serving ENGINE_DATA_DIR as {@code backfill} does: where it is, and its user and password,
 * from the owner-only endpoint file.
 * With HOLD > 0 the writer stores HOLD batches, prints {@code HELD} and waits to be killed.
 */
public final class SyncChild {

    private SyncChild() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("archive.sync.url", args[2]);
        SmallRyeConfig config = attach(args[1]);
        ClickHouse clickHouse = clickHouse(config);
        EventWriter writer = writer(clickHouse);
        int hold = Integer.parseInt(args[5]);
        AtomicInteger batches = new AtomicInteger();
        Function<List<EventRow>, EventWriter.Result> write = rows -> {
            if (hold > 0 && batches.get() >= hold) {
                System.out.println("HELD");
                System.out.flush();
                try {
                    Thread.currentThread().join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            batches.incrementAndGet();
            return writer.write(rows, EventSource.ARCHIVE);
        };
        ArchiveSync sync = new ArchiveSync(config.getConfigMapping(ArchiveSyncConfig.class), TypeSelection.DEFAULTS,
                Path.of(args[0]), write, 100, new Ledger(clickHouse), new MissingHours(clickHouse),
                new UnreadableHours(clickHouse), InstantSource.system(), new SyncBackoff());
        SyncProgress progress = new SyncProgress(Instant.parse(args[3]), Instant.parse(args[4]), TypeSelection.DEFAULTS);
        sync.run(progress);
        progress.summary().forEach(System.out::println);
        System.out.flush();
        System.exit(progress.exitCode());
    }

    /**
     * The configuration of a process attached to the engine serving {@code engineDataDir}, found through its
     * endpoint file, as {@code backfill} attaches.
     */
    static SmallRyeConfig attach(String engineDataDir) {
        System.setProperty("data.dir", engineDataDir);
        System.setProperty("clickhouse.embedded.attach", "true");
        return ConfigBootstrap.read(ArchiveSyncConfig.class, ClickHouseConfig.class, ApiQueryConfig.class,
                ChdbConfig.class, DataConfig.class);
    }

    /** The client of the attached engine; never an engine of its own. */
    static ClickHouse clickHouse(SmallRyeConfig config) {
        ClickHouseConfig clickHouseConfig = config.getConfigMapping(ClickHouseConfig.class);
        EmbeddedClickHouse embedded = new EmbeddedClickHouse(clickHouseConfig, config.getConfigMapping(ChdbConfig.class),
                config.getConfigMapping(DataConfig.class));
        if (embedded.engine().isPresent()) {
            throw new IllegalStateException("started an engine of its own instead of attaching");
        }
        return new ClickHouse(clickHouseConfig, embedded.clickHouseEndpoint(), config.getConfigMapping(ApiQueryConfig.class));
    }

    /** The same store and writer as the service's, built here without CDI. */
    static EventWriter writer(ClickHouse clickHouse) throws Exception {
        DataChanges changes = new DataChanges(); // no cache listens in this process
        return construct(EventWriter.class, construct(EventStore.class, clickHouse, changes),
                construct(SightingStore.class, clickHouse, changes));
    }

    private static <T> T construct(Class<T> type, Object... args) throws Exception {
        Constructor<T> c = type.getDeclaredConstructor(java.util.Arrays.stream(args).map(Object::getClass)
                .toArray(Class<?>[]::new));
        c.setAccessible(true);
        return c.newInstance(args);
    }
}
