package io.github.eventsstats.ingest;

import io.github.eventsstats.platform.DataConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
    private static final Pattern NAME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}-\\d{1,2}\\.json\\.gz");

    private final Path dir;

    RawArchive(DataConfig data) {
        this.dir = data.dir().resolve("raw");
    }

    public static String fileName(Instant fetchedAt) {
        return HOUR.format(fetchedAt) + ".json.gz";
    }

    /** The hour a file of this archive holds, from its name; empty for a name this class does not write. */
    static Optional<Instant> hourOf(String name) {
        if (!NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        try {
            Instant hour = LocalDateTime.parse(name.substring(0, name.length() - ".json.gz".length()), HOUR)
                    .toInstant(ZoneOffset.UTC);
            return fileName(hour).equals(name) ? Optional.of(hour) : Optional.empty(); // 2024-01-05-07 is no name of ours
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * Deletes the files whose hour ended at or before {@code before} (RAW_RETENTION), never the file
     * of {@code now}'s hour, which appends still write; files of other names are left alone.
     * Appends wait meanwhile, so no file is deleted while one is written. Returns those deleted.
     */
    public synchronized List<Path> deleteEndedBefore(Instant before, Instant now) throws IOException {
        List<Path> deleted = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return deleted;
        }
        String current = fileName(now);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                Optional<Instant> hour = hourOf(name);
                if (hour.isPresent() && !name.equals(current) && !hour.get().plusSeconds(3600).isAfter(before)
                        && Files.deleteIfExists(f)) {
                    deleted.add(f);
                }
            }
        }
        return deleted;
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
