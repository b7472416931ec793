package io.github.eventsstats.stream;

import io.github.eventsstats.archive.FakeGhArchive;
import io.github.eventsstats.github.FakeGitHub;
import io.github.eventsstats.platform.FakeClock;
import io.github.eventsstats.poller.PollerTestProfile;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The poller on against the fake GitHub, as in the poller's tests, with the stream on: a real broker
 * ({@link KafkaBrokerResource}), topics of this profile's own, short timeouts.
 */
public class StreamTestProfile implements QuarkusTestProfile {

    static final int PARTITIONS = 3;
    /** Fixed: the profile is loaded by the application's class loader and the test's, and the shared broker is new in each test JVM. */
    static final String TOPIC = "stream-test.events";

    @Override
    public Map<String, String> getConfigOverrides() {
        // The poller's test settings, with a state of its own, no raw archive, and a request timeout a broker's stop fits in.
        Map<String, String> config = new HashMap<>(new PollerTestProfile().getConfigOverrides());
        config.putAll(Map.ofEntries(
                Map.entry("poller.state-file", "target/stream-test/client-state.json"),
                Map.entry("save.events-to-files", "false"),
                Map.entry("watch.file", "target/stream-test/watch.json"),
                Map.entry("github.request-timeout", "60s"), // a held reply waits out a broker's stop
                Map.entry("kafka.topic", TOPIC),
                Map.entry("kafka.group", TOPIC),
                Map.entry("kafka.partitions", Integer.toString(PARTITIONS)),
                Map.entry("kafka.session-timeout", "6s"),
                Map.entry("kafka.retry-interval", "0.5s"),
                Map.entry("kafka.delivery-timeout", "60s"),
                Map.entry("archive.sync.min-free-disk", "1M")));
        return config;
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(FakeClock.class, io.github.eventsstats.archive.RecordedBackoff.class);
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FakeGitHub.class), new TestResourceEntry(KafkaBrokerResource.class),
                new TestResourceEntry(FakeGhArchive.class));
    }
}
