package io.github.eventsstats.ingest;

import io.github.eventsstats.DataConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Appends raw events to hourly gzip JSON-lines files in GH Archive's layout
 * ({@code DATA_DIR/raw/YYYY-MM-DD-H.json.gz}, by the event's created_at hour, UTC), so the
 * backfill can load them again. Each append is a new gzip member; concatenated members are one
 * valid gzip stream, and a crash mid-append loses at most that member.
 */
@ApplicationScoped
public class RawArchive {

    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd-H").withZone(ZoneOffset.UTC);

    /** One event's JSON text (on one line) and its creation time. */
    public record RawEvent(byte[] json, Instant createdAt) {
    }

    private final Path dir;

    RawArchive(DataConfig data) {
        this.dir = data.dir().resolve("raw");
    }

    public static String fileName(Instant createdAt) {
        return HOUR.format(createdAt) + ".json.gz";
    }

    public synchronized void append(List<RawEvent> events) throws IOException {
        Map<String, List<RawEvent>> byHour = new LinkedHashMap<>();
        for (RawEvent e : events) {
            byHour.computeIfAbsent(fileName(e.createdAt()), k -> new ArrayList<>()).add(e);
        }
        Files.createDirectories(dir);
        for (Map.Entry<String, List<RawEvent>> hour : byHour.entrySet()) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve(hour.getKey()),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND), 1 << 16)) {
                for (RawEvent e : hour.getValue()) {
                    out.write(e.json());
                    out.write('\n');
                }
            }
        }
    }
}
