package io.github.eventsstats.poller;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.github.FakeGitHub;
import io.github.eventsstats.platform.FakeClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The poller with room for one waiting event, so a ClickHouse outage fills the backlog at once. */
@QuarkusTest
@TestProfile(BacklogFullPauseTest.TinyBacklog.class)
class BacklogFullPauseTest {

    public static class TinyBacklog extends PollerTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("poller.backlog-max-events", "1");
            config.put("poller.backoff-initial", "2s");
            config.put("poller.backoff-max", "4s");
            config.put("poller.state-file", STATE.toString());
            config.put("save.events-to-files", "false");
            return config;
        }
    }

    @Inject
    EventsPoller poller;
    @Inject
    ClickHouse clickHouse;
    @Inject
    ObjectMapper json;
    @Inject
    FakeClock clock;

    private static final Path STATE = Path.of("target/poller-pause-test/client-state.json");

    private PollState savedState() {
        return EventsPollerTest.savedState(json, STATE);
    }

    @Test
    void aFullBacklogBacksOffAndPollingResumesOnceItIsStored() throws Exception {
        FakeGitHub fake = FakeGitHub.instance;
        fake.reset();
        Files.deleteIfExists(STATE);
        poller.reload();
        long id = System.currentTimeMillis() * 1000 + 7;
        String event = "{\"id\":\"" + id + "\",\"type\":\"WatchEvent\",\"actor\":{\"id\":1,\"login\":\"octo\"},"
                + "\"repo\":{\"id\":2,\"name\":\"pause-org/r" + id + "\"},\"payload\":{\"action\":\"started\"},"
                + "\"created_at\":\"" + Instant.now().minusSeconds(60).toString().replaceAll("\\.\\d+Z$", "Z") + "\"}";
        clickHouse.execute("RENAME TABLE events TO events_paused");
        try {
            fake.then(FakeGitHub.ok("[" + event + "]"));
            poller.tick();
            assertEquals(1, poller.backlogSize(), "the backlog is full");
            pollAgain();
            pollAgain();
            assertEquals("paused", savedState().lastOutcome);
            assertTrue(savedState().consecutiveFailures >= 2, "a second pause in a row");
            long waitMs = Duration.between(clock.instant(), savedState().nextPollAt).toMillis();
            // The interval is 1 s; the second pause in a row backs off 2-4 s (POLLER_BACKOFF_INITIAL 2 s, doubled, jittered).
            assertTrue(waitMs >= 1500, "the second pause waits " + waitMs + " ms");
            assertEquals(1, fake.requests().size(), "no poll while paused");
        } finally {
            clickHouse.execute("RENAME TABLE events_paused TO events");
        }
        await("the stored backlog").atMost(Duration.ofSeconds(30)).until(() -> {
            clock.advance(Duration.ofSeconds(1)); // up to the flush's backoff, a second at a time
            poller.tick();
            return poller.backlogSize() == 0;
        });
        assertEquals(clock.instant(), poller.state().lastPollAt, "the poll right after, not when the pause ends");
        assertEquals(2, fake.requests().size());
    }

    private void pollAgain() {
        clock.set(poller.state().nextPollAt);
        poller.tick();
    }
}
