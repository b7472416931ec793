package io.github.eventsstats.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** RAW_RETENTION's deletion of the raw archive's hour files. */
class RawArchiveTest {

    @TempDir
    Path data;

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(data.resolve("raw"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void filesWhoseHourEndedBeforeTheRetentionGoTheCurrentOneAndOthersNever() throws IOException {
        RawArchive archive = new RawArchive(() -> data);
        for (String hour : List.of("2026-12-04T22:10:00Z", "2026-12-04T23:59:59Z", "2026-12-05T00:00:00Z", "2026-12-06T10:05:00Z")) {
            archive.append(List.of("{\"id\":\"1\"}".getBytes()), Instant.parse(hour));
        }
        Files.writeString(data.resolve("raw/notes.txt"), "mine");
        Files.writeString(data.resolve("raw/2024-01-05-07.json.gz"), "not a name the archive writes");

        // files ending at or before 2026-12-05T00:00 go: the hours 22 and 23 of the 4th
        List<Path> deleted = archive.deleteEndedBefore(Instant.parse("2026-12-05T00:00:00Z"), Instant.parse("2026-12-06T10:30:00Z"));
        assertEquals(2, deleted.size());
        assertEquals(List.of("2024-01-05-07.json.gz", "2026-12-05-0.json.gz", "2026-12-06-10.json.gz", "notes.txt"), files());

        // a retention shorter than the hour being written still leaves its file
        archive.deleteEndedBefore(Instant.parse("2026-12-06T11:00:00Z"), Instant.parse("2026-12-06T10:30:00Z"));
        assertEquals(List.of("2024-01-05-07.json.gz", "2026-12-06-10.json.gz", "notes.txt"), files());
    }

    @Test
    void theHourIsReadOnlyFromTheNamesTheArchiveWrites() {
        assertEquals(Optional.of(Instant.parse("2026-12-06T07:00:00Z")), RawArchive.hourOf("2026-12-06-7.json.gz"));
        assertEquals(Optional.empty(), RawArchive.hourOf("2026-12-06-07.json.gz"));
        assertEquals(Optional.empty(), RawArchive.hourOf("2026-12-06-24.json.gz"));
        assertEquals(Optional.empty(), RawArchive.hourOf("2026-13-06-7.json.gz"));
        assertEquals(Optional.empty(), RawArchive.hourOf("2026-12-06-7.json"));
    }

    @Test
    void withoutTheDirectoryNothingIsDeleted() throws IOException {
        assertEquals(List.of(), new RawArchive(() -> data).deleteEndedBefore(Instant.now(), Instant.now()));
    }
}
