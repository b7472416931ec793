package io.github.eventsstats.poller;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PollStateStoreTest {

    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Test
    void savesAndLoadsTheState(@TempDir Path dir) {
        PollStateStore store = new PollStateStore(dir.resolve("state.json"), json);
        PollState s = new PollState();
        s.etag = "\"abc\"";
        s.nextPollAt = Instant.parse("2026-01-01T00:01:00Z");
        s.rateLimit = new PollState.RateLimitSnapshot(60, 10, Instant.parse("2026-01-01T01:00:00Z"), 50);
        s.remember(List.of(5L, 6L, 7L), 10);
        store.save(s);

        PollState back = store.load();
        assertEquals("\"abc\"", back.etag);
        assertEquals(s.nextPollAt, back.nextPollAt);
        assertEquals(s.rateLimit, back.rateLimit);
        assertEquals(List.of(5L, 6L, 7L), back.recentIds);
    }

    @Test
    void aCorruptFileIsMovedAsideAndThePollerStartsFresh(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("state.json");
        Files.writeString(file, "{\"etag\": \"trunc");
        PollState s = new PollStateStore(file, json).load();
        assertNull(s.etag);
        assertFalse(Files.exists(file));
        try (var files = Files.list(dir)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("state.json.corrupt-")));
        }
    }

    @Test
    void remembersABoundedWindowOfIds() {
        PollState s = new PollState();
        s.remember(List.of(1L, 2L, 3L, 4L), 3);
        assertEquals(List.of(2L, 3L, 4L), s.recentIds);
        assertTrue(s.seen(3));
        // Ids are not ordered by time: one below the window is not known to be seen.
        assertFalse(s.seen(1), "forgotten");
        assertFalse(s.seen(5));
        assertFalse(new PollState().seen(1));
    }
}
