package io.github.eventsstats.stream;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** The Kafka stream: unset bootstrap servers keep the service in one process, writing directly. */
@ConfigMapping(prefix = "kafka")
public interface KafkaConfig {

    /** KAFKA_BOOTSTRAP_SERVERS: host:port[,host:port]. Unset: no Kafka, sources write to ClickHouse themselves. */
    Optional<String> bootstrapServers();

    /** KAFKA_TOPIC: the raw events' topic; the coordination topics are named after it. */
    @WithDefault("github.events.raw")
    String topic();

    /** KAFKA_GROUP: the consumer group writing to ClickHouse; the replicas' roles are groups named after it. */
    @WithDefault("github-events-stats")
    String group();

    /**
     * KAFKA_CONSUMER_ENABLED: whether this process's consumer (group KAFKA_GROUP) writes the stream to
     * ClickHouse. The backfill command turns it off: it publishes, and leaves the storing to the replicas.
     */
    @WithDefault("true")
    boolean consumerEnabled();

    /** KAFKA_PARTITIONS: partitions of the events topic and of the watch coordination topic, when the service creates them. */
    @WithDefault("12")
    int partitions();

    /** KAFKA_REPLICATION_FACTOR: replicas of each topic the service creates (1 for a one-broker cluster). */
    @WithDefault("1")
    short replicationFactor();

    /** KAFKA_BATCH_MAX_EVENTS: records written to ClickHouse per batch (max.poll.records). */
    @WithDefault("20000")
    int batchMaxEvents();

    /** KAFKA_COMPRESSION: the producer's compression.type. */
    @WithDefault("lz4")
    Compression compression();

    /** Kafka's compression types (compression.type), as the producer takes them. */
    enum Compression {
        NONE, GZIP, SNAPPY, LZ4, ZSTD;

        String kafkaName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** KAFKA_SESSION_TIMEOUT: how long a replica may go unheard before its partitions and roles move to another. */
    @WithDefault("10s")
    Duration sessionTimeout();

    /** KAFKA_RETRY_INTERVAL: how long consumption pauses after ClickHouse refused a batch. */
    @WithDefault("5s")
    Duration retryInterval();

    /**
     * KAFKA_DELIVERY_TIMEOUT: how long the producer retries a record (a broker restart) before it is
     * kept to send again. A poll waits that long for the broker before the next one starts.
     */
    @WithDefault("30s")
    Duration deliveryTimeout();

    /** KAFKA_PENDING_MAX_EVENTS: events the broker did not take, kept in memory; while full, the pollers pause. */
    @WithDefault("100000")
    int pendingMaxEvents();
}
