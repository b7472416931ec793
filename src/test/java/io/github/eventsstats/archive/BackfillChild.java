package io.github.eventsstats.archive;

import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.event.EventMapper;
import io.github.eventsstats.event.EventSource;
import io.github.eventsstats.event.TypeSelection;
import io.github.eventsstats.ingest.EventWriter;
import io.smallrye.config.SmallRyeConfig;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;

/**
 * The backfill of files in a process of its own (a heap of the test's choosing), attached to a
 * running engine as the command attaches to the service's: {@code ENGINE_DATA_DIR FILE...}. Prints the
 * summary and exits with the command's status.
 */
public final class BackfillChild {

    private BackfillChild() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("archive.sync.url", "http://127.0.0.1:9/"); // unused: files only
        SmallRyeConfig config = SyncChild.attach(args[0]);
        ClickHouse clickHouse = SyncChild.clickHouse(config);
        EventWriter writer = SyncChild.writer(clickHouse);
        Backfill backfill = new Backfill(new EventMapper(TypeSelection.DEFAULTS, InstantSource.system()),
                rows -> writer.write(rows, EventSource.ARCHIVE), new Ledger(clickHouse), Backfill.BATCH_SIZE,
                ArchiveSyncConfig.maxLineBytes(config.getConfigMapping(ArchiveSyncConfig.class).maxLine()));
        Backfill.Summary summary = backfill.run(List.of(args).subList(1, args.length).stream().map(Path::of).toList(), null);
        summary.lines().forEach(System.out::println);
        System.out.flush();
        System.exit(summary.exitCode());
    }
}
