package io.github.eventsstats.archive;

import io.github.eventsstats.cli.ConfigBootstrap;
import io.github.eventsstats.clickhouse.ApiQueryConfig;
import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.clickhouse.ClickHouseConfig;
import io.github.eventsstats.clickhouse.ClickHouseEndpoint;
import io.github.eventsstats.clickhouse.DataChanges;
import io.github.eventsstats.event.EventRow;
import io.github.eventsstats.event.EventSource;
import io.github.eventsstats.event.TypeSelection;
import io.github.eventsstats.ingest.EventStore;
import io.github.eventsstats.ingest.EventWriter;
import io.github.eventsstats.ingest.SightingStore;
import io.smallrye.config.SmallRyeConfig;

import java.lang.reflect.Constructor;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A sync in a process of its own, for a real kill -9: {@code DATA_DIR ENGINE_URL ARCHIVE_URL FROM TO HOLD}, with
 * the engine's user and password in CLICKHOUSE_USER and CLICKHOUSE_PASSWORD, as for a server.
 * With HOLD > 0 the writer stores HOLD batches, prints {@code HELD} and waits to be killed.
 */
public final class SyncChild {

    private SyncChild() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("archive.sync.url", args[2]);
        SmallRyeConfig config = ConfigBootstrap.read(ArchiveSyncConfig.class, ClickHouseConfig.class, ApiQueryConfig.class);
        ClickHouse clickHouse = clickHouse(config, args[1]);
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
                Path.of(args[0]), write, 100, new Ledger(clickHouse), new MissingHours(clickHouse), InstantSource.system(),
                new SyncBackoff());
        SyncProgress progress = new SyncProgress(Instant.parse(args[3]), Instant.parse(args[4]), TypeSelection.DEFAULTS);
        sync.run(progress);
        progress.summary().forEach(System.out::println);
        System.out.flush();
        System.exit(progress.exitCode());
    }

    /** The client of the engine at {@code engine}, as the backfill attaches to one. */
    static ClickHouse clickHouse(SmallRyeConfig config, String engine) {
        ClickHouseConfig clickHouseConfig = config.getConfigMapping(ClickHouseConfig.class);
        ClickHouseEndpoint.Target target = new ClickHouseEndpoint.Target(engine, clickHouseConfig.user(),
                clickHouseConfig.password().orElse(""));
        return new ClickHouse(clickHouseConfig, new ClickHouseEndpoint() {
            @Override
            public Target target() {
                return target;
            }

            @Override
            public boolean embedded() {
                return true;
            }
        }, config.getConfigMapping(ApiQueryConfig.class));
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
