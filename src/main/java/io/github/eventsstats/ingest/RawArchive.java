package io.github.eventsstats.ingest;

import io.github.eventsstats.platform.DataConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Appends fetched pages of raw events to hourly gzip JSON-lines files in GH Archive's layout
 * ({@code DATA_DIR/raw/YYYY-MM-DD-H.json.gz}, by the UTC hour of fetching), so the backfill can
 * load them again. Each append is a new gzip member; concatenated members are one valid gzip
 * stream, and a crash mid-append loses at most that member.
 */
@ApplicationScoped
public class RawArchive {

    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd-H").withZone(ZoneOffset.UTC);

    private final Path dir;

    RawArchive(DataConfig data) {
        this.dir = data.dir().resolve("raw");
    }

    public static String fileName(Instant fetchedAt) {
        return HOUR.format(fetchedAt) + ".json.gz";
    }

    /** One page's events, each one JSON object on one line, as GitHub sent them. */
    public synchronized void append(List<byte[]> events, Instant fetchedAt) throws IOException {
        if (events.isEmpty()) {
            return;
        }
        Files.createDirectories(dir);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve(fileName(fetchedAt)),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND), 1 << 16)) {
            for (byte[] event : events) {
                out.write(event);
                out.write('\n');
            }
        }
    }
}
