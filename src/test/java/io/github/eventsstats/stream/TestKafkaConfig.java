package io.github.eventsstats.stream;

import java.time.Duration;
import java.util.Optional;

/** A {@link KafkaConfig} for tests without Quarkus: the shared broker, a topic of the test's own, short timeouts. */
record TestKafkaConfig(String bootstrap, String topic, String group, int partitions, Duration deliveryTimeout)
        implements KafkaConfig {

    TestKafkaConfig(String bootstrap, String topic, String group, int partitions) {
        this(bootstrap, topic, group, partitions, Duration.ofSeconds(30));
    }

    static TestKafkaConfig fresh(String bootstrap, int partitions) {
        String unique = Long.toString(System.nanoTime(), 36);
        return new TestKafkaConfig(bootstrap, "test." + unique, "test-" + unique, partitions);
    }

    TestKafkaConfig withDeliveryTimeout(Duration timeout) {
        return new TestKafkaConfig(bootstrap, topic, group, partitions, timeout);
    }

    @Override
    public Optional<String> bootstrapServers() {
        return Optional.of(bootstrap);
    }

    @Override
    public boolean consumerEnabled() {
        return true;
    }

    @Override
    public short replicationFactor() {
        return 1;
    }

    @Override
    public int batchMaxEvents() {
        return 500;
    }

    @Override
    public Compression compression() {
        return Compression.LZ4;
    }

    @Override
    public Duration sessionTimeout() {
        return Duration.ofSeconds(6);
    }

    @Override
    public Duration retryInterval() {
        return Duration.ofMillis(500);
    }

    @Override
    public int pendingMaxEvents() {
        return 1000;
    }
}
