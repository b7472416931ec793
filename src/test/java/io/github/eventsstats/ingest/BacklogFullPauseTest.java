package io.github.eventsstats.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.eventsstats.github.FakeGitHub;
import io.github.eventsstats.github.PollState;
import io.github.eventsstats.store.ClickHouse;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static io.github.eventsstats.ingest.Await.await;
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
            config.put("poller.state-file", "target/poller-pause-test/client-state.json");
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

    /** The state file as the poller last saved it (written whole). */
    private PollState savedState() {
        Path file = Path.of("target/poller-pause-test/client-state.json");
        try {
            return Files.exists(file) ? json.readValue(file.toFile(), PollState.class) : new PollState();
        } catch (IOException e) {
            return new PollState();
        }
    }

    @Test
    void aFullBacklogBacksOffAndPollingResumesOnceItIsStored() throws Exception {
        FakeGitHub fake = FakeGitHub.instance;
        long id = System.currentTimeMillis() * 1000 + 7;
        String event = "{\"id\":\"" + id + "\",\"type\":\"WatchEvent\",\"actor\":{\"id\":1,\"login\":\"octo\"},"
                + "\"repo\":{\"id\":2,\"name\":\"pause-org/r" + id + "\"},\"payload\":{\"action\":\"started\"},"
                + "\"created_at\":\"" + Instant.now().minusSeconds(60).toString().replaceAll("\\.\\d+Z$", "Z") + "\"}";
        clickHouse.execute("RENAME TABLE events TO events_paused");
        try {
            fake.then(FakeGitHub.ok("[" + event + "]"));
            await("the full backlog", Duration.ofSeconds(10), () -> poller.backlogSize() == 1);
            await("a second pause in a row", Duration.ofSeconds(10), () -> savedState().consecutiveFailures >= 2);
            Instant seen = Instant.now();
            long waitMs = Duration.between(seen, savedState().nextPollAt).toMillis();
            // The interval is 1 s; the second pause in a row backs off 2-4 s (POLLER_BACKOFF_INITIAL 2 s, doubled, jittered).
            assertTrue(waitMs >= 1500, "the second pause waits " + waitMs + " ms");
        } finally {
            clickHouse.execute("RENAME TABLE events_paused TO events");
        }
        await("the stored backlog", Duration.ofSeconds(10), () -> poller.backlogSize() == 0);
        int requests = fake.requests().size();
        await("the poll right after", Duration.ofSeconds(2), () -> fake.requests().size() > requests);
    }
}
