package io.github.eventsstats.stream;

import io.github.eventsstats.event.EventSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The producer side with no broker to be had: what is fetched is kept, and a publish gives up in bounded time. */
class EventStreamTest {

    @Test
    void aBatchPublishedWhileNoBrokerAnswersIsKeptWholeAndGivesUpOnceNotOncePerEvent() {
        // Nothing listens there: the producer never gets the topic's metadata, and send() waits
        // max.block.ms (the delivery timeout, 1 s here) before it gives up. Forty events waited
        // 40 s when each send() waited on its own; the whole batch now gives up after one wait.
        TestKafkaConfig config = TestKafkaConfig.fresh("127.0.0.1:" + KafkaBroker.freePort(), 1)
                .withDeliveryTimeout(Duration.ofSeconds(1));
        EventStream stream = new EventStream(config, new SimpleMeterRegistry());
        List<EventStream.Fetched> events = IntStream.range(0, 40)
                .mapToObj(i -> new EventStream.Fetched("o/r", ("{\"id\":\"" + i + "\"}").getBytes(StandardCharsets.UTF_8)))
                .toList();
        try {
            boolean taken = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> stream.publish(events, EventSource.FIREHOSE, Instant.EPOCH));
            assertFalse(taken);
            assertEquals(40, stream.pending(), "every event kept to send again");
        } finally {
            stream.onStop(null);
        }
    }

    @Test
    void anOutletWithNoBrokerStopsSendingAtTheFirstFailureKeepsNothingAndSaysSo() throws Exception {
        TestKafkaConfig config = TestKafkaConfig.fresh("127.0.0.1:" + KafkaBroker.freePort(), 1)
                .withDeliveryTimeout(Duration.ofSeconds(1));
        EventStream stream = new EventStream(config, new SimpleMeterRegistry());
        try {
            EventStream.Outlet outlet = stream.outlet(EventSource.ARCHIVE, Instant.EPOCH);
            int sent = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                int n = 0; // each send that tried would wait max.block.ms (1 s): 40 s for the lot
                for (int i = 0; i < 40; i++) {
                    n += outlet.send("o/r", ("{\"id\":\"" + i + "\"}").getBytes(StandardCharsets.UTF_8)) ? 1 : 0;
                }
                return n;
            });
            assertEquals(0, sent, "the first send gave up (no metadata within max.block.ms), and the rest were not tried");
            assertFalse(assertTimeoutPreemptively(Duration.ofSeconds(20), outlet::finish));
            assertTrue(outlet.failure() != null);
            assertEquals(0, stream.pending(), "an outlet keeps nothing: its caller reads the events again");
        } finally {
            stream.onStop(null);
        }
    }
}
