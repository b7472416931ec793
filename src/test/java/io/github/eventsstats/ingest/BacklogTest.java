package io.github.eventsstats.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.github.eventsstats.event.EventRow;
import io.github.eventsstats.event.EventSource;
import io.github.eventsstats.event.EventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BacklogTest {

    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private static EventRow row(long id) {
        return new EventRow(id, EventType.WATCH, 2, "o/r", 1, "octo", "started", Instant.parse("2026-01-01T00:00:00Z"));
    }

    private static Map<EventSource, List<EventRow>> firehose(List<EventRow> rows) {
        return rows.isEmpty() ? Map.of() : Map.of(EventSource.FIREHOSE, rows);
    }

    @Test
    void eachRowKeepsItsSourceThroughARestartAndALineOfEarlierVersionsIsTheFirehoses(@TempDir Path dir)
            throws IOException {
        Path spool = dir.resolve("backlog.json");
        Files.writeString(spool, json.writeValueAsString(row(1)) + "\n"); // spooled before sources were kept
        Backlog backlog = new Backlog(spool, json, 10);
        backlog.load();
        backlog.add(List.of(row(2), row(3)), EventSource.WATCHED);
        backlog.add(List.of(row(4)), EventSource.FIREHOSE);

        Backlog restarted = new Backlog(spool, json, 10);
        restarted.load();
        assertEquals(Map.of(EventSource.FIREHOSE, List.of(row(1), row(4)), EventSource.WATCHED, List.of(row(2), row(3))),
                restarted.bySource());
        restarted.drop(EventSource.WATCHED, 1);
        Backlog again = new Backlog(spool, json, 10);
        again.load();
        assertEquals(Map.of(EventSource.FIREHOSE, List.of(row(1), row(4)), EventSource.WATCHED, List.of(row(3))),
                again.bySource(), "only the stored rows of that source are dropped");
    }

    @Test
    void addsAreAppendedAsLinesAndARestartReadsThemBack(@TempDir Path dir) throws IOException {
        Path spool = dir.resolve("backlog.json");
        Backlog backlog = new Backlog(spool, json, 10);
        backlog.add(List.of(row(1), row(2)), EventSource.FIREHOSE);
        String before = Files.readString(spool);
        backlog.add(List.of(row(3)), EventSource.FIREHOSE);
        String after = Files.readString(spool);
        assertTrue(after.startsWith(before), "appended, not rewritten");
        assertEquals(3, after.lines().count());

        Backlog restarted = new Backlog(spool, json, 10);
        restarted.load();
        assertEquals(firehose(List.of(row(1), row(2), row(3))), restarted.bySource());
        restarted.drop(EventSource.FIREHOSE, 3);
        assertFalse(Files.exists(spool), "the spool goes once everything is stored");
    }

    @Test
    void aPartlyStoredBacklogKeepsTheRest(@TempDir Path dir) {
        Path spool = dir.resolve("backlog.json");
        Backlog backlog = new Backlog(spool, json, 10);
        backlog.add(List.of(row(1), row(2), row(3)), EventSource.FIREHOSE);
        backlog.drop(EventSource.FIREHOSE, 2);
        Backlog restarted = new Backlog(spool, json, 10);
        restarted.load();
        assertEquals(firehose(List.of(row(3))), restarted.bySource());
    }

    @Test
    void theArrayOfEarlierVersionsIsReadAndALineCutByACrashIsKeptAside(@TempDir Path dir) throws IOException {
        Path spool = dir.resolve("backlog.json");
        Files.writeString(spool, json.writeValueAsString(List.of(row(1), row(2))));
        Backlog old = new Backlog(spool, json, 10);
        old.load();
        assertEquals(firehose(List.of(row(1), row(2))), old.bySource());
        old.add(List.of(row(3)), EventSource.FIREHOSE);
        assertEquals(3, Files.readString(spool).lines().count(), "rewritten as lines on the first change");

        String cut = json.writeValueAsString(row(4));
        Files.writeString(spool, Files.readString(spool) + cut.substring(0, cut.length() / 2));
        Backlog crashed = new Backlog(spool, json, 10);
        crashed.load();
        assertEquals(firehose(List.of(row(1), row(2), row(3))), crashed.bySource());
        try (var files = Files.list(dir)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("backlog.json.corrupt-")));
        }
    }

    @Test
    void aRowCutJustBeforeItsNewlineIsNotRunIntoByTheNextAppend(@TempDir Path dir) throws IOException {
        Path spool = dir.resolve("backlog.json");
        Files.writeString(spool, json.writeValueAsString(row(1)) + "\n" + json.writeValueAsString(row(2))); // no newline
        Backlog crashed = new Backlog(spool, json, 10);
        crashed.load();
        crashed.add(List.of(row(3)), EventSource.FIREHOSE);
        Backlog restarted = new Backlog(spool, json, 10);
        restarted.load();
        assertEquals(firehose(List.of(row(1), row(2), row(3))), restarted.bySource());

        // Rows run together on one line (an older torn spool) are set aside, not read as the first one.
        Files.writeString(spool, json.writeValueAsString(row(4)) + json.writeValueAsString(row(5)) + "\n");
        Backlog glued = new Backlog(spool, json, 10);
        glued.load();
        assertEquals(firehose(List.of()), glued.bySource());
        try (var files = Files.list(dir)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("backlog.json.corrupt-")));
        }
    }

    @Test
    void aFailedAppendKeepsTheRowsAndRewritesTheSpoolNextTime(@TempDir Path dir) throws IOException {
        Path spool = dir.resolve("backlog.json");
        Files.createDirectories(spool); // cannot be written
        Backlog backlog = new Backlog(spool, json, 2);
        assertThrows(UncheckedIOException.class, () -> backlog.add(List.of(row(1)), EventSource.FIREHOSE));
        assertEquals(1, backlog.size());
        Files.delete(spool);
        backlog.add(List.of(row(2)), EventSource.FIREHOSE);
        assertTrue(backlog.full());
        Backlog restarted = new Backlog(spool, json, 2);
        restarted.load();
        assertEquals(firehose(List.of(row(1), row(2))), restarted.bySource(), "the row of the failed append is not lost");
    }
}
