package io.github.eventsstats.stream;

import io.github.eventsstats.platform.FakeClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** What tells an operator the consumer itself is stuck: figures read at the scrape, not set by its thread. */
class StreamConsumerTest {

    @Test
    void theLastPollsAgeStaysSmallWhileTheConsumerPollsAndGrowsOnceItStops() throws Exception {
        FakeClock clock = new FakeClock();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        StreamConsumer consumer = new StreamConsumer(TestKafkaConfig.fresh(KafkaBroker.shared().bootstrapServers(), 1),
                null, clock, registry); // a topic of its own, empty: nothing to write
        Thread thread = Thread.ofPlatform().start(consumer);
        try {
            clock.advance(Duration.ofMinutes(10));
            await("polled since").atMost(Duration.ofSeconds(30)).until(() -> age(registry) < 60);
        } finally {
            consumer.stop();
            thread.join(Duration.ofSeconds(30));
        }
        clock.advance(Duration.ofMinutes(10));
        // Its lag gauge now stays at its last figure; this one says the consumer is gone.
        assertEquals(600, age(registry), 1);
    }

    private static double age(SimpleMeterRegistry registry) {
        return registry.get("stream.consumer.last.poll.age").gauge().value();
    }
}
