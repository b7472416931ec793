package io.github.eventsstats.stream;

import io.github.eventsstats.platform.Backoff;
import io.github.eventsstats.event.EventMapper;
import io.github.eventsstats.event.EventRow;
import io.github.eventsstats.event.EventSource;
import io.github.eventsstats.event.JsonCursor;
import io.github.eventsstats.event.TypeSelection;
import io.github.eventsstats.ingest.EventWriter;
import io.github.eventsstats.platform.Printable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The consumer group (KAFKA_GROUP) that writes the stream to ClickHouse: each poll's records, per
 * source, through the mapper and the deduplicating writer, then their offsets committed. Nothing is
 * committed before ClickHouse acknowledged it, so a replica that dies mid-batch leaves the batch to
 * the partition's next owner, and the writer drops what was stored already. When ClickHouse refuses
 * a batch, the consumer goes back to the batch's first offsets and pauses its partitions for
 * KAFKA_RETRY_INTERVAL, staying in the group: Kafka is the backlog.
 */
final class StreamConsumer implements Runnable {

    private static final Logger LOG = Logger.getLogger(StreamConsumer.class);
    private static final Duration BROKER_WAIT = Duration.ofSeconds(5);

    private final KafkaConfig config;
    private final Topics topics;
    private final EventWriter writer;
    private final EventMapper mapper;
    private final MeterRegistry registry;
    private final KafkaConsumer<String, byte[]> consumer;
    private final AtomicLong lag = new AtomicLong();
    /** The group's committed offset of each partition this consumer owns, as far as it knows it (its thread only). */
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private volatile boolean paused;
    private final InstantSource clock;
    /** When a poll last returned: the lag and the pause are this thread's figures, and freeze when it does. */
    private volatile java.time.Instant lastPollAt;
    private final Counter refusals;
    private volatile boolean stopping;
    private int refusalsInARow;

    StreamConsumer(KafkaConfig config, EventWriter writer, InstantSource clock, MeterRegistry registry) {
        this.config = config;
        this.topics = new Topics(config);
        this.writer = writer;
        // Every type: a source publishes only what its own selection keeps (the sync's may differ from the poller's).
        this.mapper = new EventMapper(TypeSelection.EVERY, clock);
        this.registry = registry;
        this.clock = clock;
        this.lastPollAt = clock.instant();
        Properties p = Topics.clientProperties(config, "github-events-stats-consumer");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.group());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.batchMaxEvents());
        // Batches as large as the direct path's while there is a backlog: each batch costs ClickHouse
        // an insert and a look-up of the ids stored, whatever its size. The fetch limits count bytes
        // as the broker stores them, lz4-compressed (about a quarter of the raw JSON, docs/design/kafka.md):
        // a fetch waits up to 500 ms (fetch.max.wait.ms) for 1 MB (some 1,300 events of about 3 KB raw);
        // a partition gives up to 4 MB a fetch (some 5,000 events, 16 MB decompressed), the whole fetch
        // up to fetch.max.bytes (50 MB, some 200 MB of raw JSON). These are targets, not a memory bound:
        // a producer batch larger than a limit still comes whole, and the consumer may hold a fetch
        // ahead while a batch is written. What a poll hands over is bounded by max.poll.records.
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1024 * 1024);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        this.consumer = new KafkaConsumer<>(p);
        Gauge.builder("stream.consumer.lag", lag, AtomicLong::get).baseUnit("events")
                .description("Events in the stream's partitions this replica owns that are not committed yet (written and acknowledged)")
                .register(registry);
        Gauge.builder("stream.consumer.paused", this, c -> c.paused ? 1 : 0)
                .description("1 while ClickHouse refuses the stream's batches and consumption waits").register(registry);
        // Read at the scrape, not set by the consumer's thread: it grows while that thread is stuck
        // (a write that never returns) or gone, when the two gauges above freeze.
        Gauge.builder("stream.consumer.last.poll.age", this, StreamConsumer::lastPollAge).baseUnit("seconds")
                .description("Seconds since the stream's consumer last polled the broker (about 1 while it works)")
                .register(registry);
        this.refusals = Counter.builder("stream.consumer.refusals")
                .description("Batches of the stream ClickHouse refused (consumption paused, the batch read again)")
                .register(registry);
    }

    long lag() {
        return lag.get();
    }

    double lastPollAge() {
        return Math.max(0, Duration.between(lastPollAt, clock.instant()).toMillis() / 1000.0);
    }

    void stop() {
        stopping = true;
        consumer.wakeup();
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topics.events()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    committed.keySet().removeAll(partitions);
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    committed.keySet().removeAll(partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    if (paused) {
                        consumer.pause(partitions); // ClickHouse is still away: new partitions wait too
                    }
                }
            });
            int failuresInARow = 0;
            boolean rewind = false;
            while (!stopping) {
                try {
                    if (rewind) {
                        rewind(); // what was polled and not committed is read again
                        rewind = false;
                    }
                    ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofSeconds(1));
                    lastPollAt = clock.instant();
                    measureLag();
                    if (paused) {
                        retry(); // the pause's wait (the poll above, repeated) is over: try again
                        continue;
                    }
                    if (!records.isEmpty()) {
                        write(records);
                    }
                    failuresInARow = 0;
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // A replica whose consumer ended would store nothing again, unseen: go on after a pause.
                    if (Backoff.worthLogging(++failuresInARow)) {
                        LOG.errorf(e, "stream: the consumer failed (%s), %d time(s) in a row; it goes on in %s",
                                Printable.of(String.valueOf(e.getMessage())), failuresInARow, config.retryInterval());
                    }
                    rewind = true;
                    Thread.sleep(config.retryInterval());
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // stopping
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private long pausedAtNanos;

    /** Back to the committed offsets of what this replica owns (the earliest where none is). */
    private void rewind() {
        committed.clear(); // after a failure, what the group holds is asked again (for the lag too)
        Map<TopicPartition, OffsetAndMetadata> stored = consumer.committed(consumer.assignment());
        for (TopicPartition tp : consumer.assignment()) {
            OffsetAndMetadata at = stored.get(tp);
            if (at == null) {
                consumer.seekToBeginning(List.of(tp));
            } else {
                consumer.seek(tp, at.offset());
            }
        }
    }

    /** Waits out KAFKA_RETRY_INTERVAL on paused partitions (polls keep the replica in the group). */
    private void retry() {
        if (System.nanoTime() - pausedAtNanos < config.retryInterval().toNanos()) {
            return;
        }
        paused = false;
        consumer.resume(consumer.paused());
    }

    private void write(ConsumerRecords<String, byte[]> records) {
        Map<EventSource, List<EventRow>> bySource = new EnumMap<>(EventSource.class);
        int unreadable = 0;
        for (ConsumerRecord<String, byte[]> r : records) {
            EventSource source = source(r);
            byte[] line = r.value();
            if (line == null) {
                continue;
            }
            try {
                EventMapper.Mapped m = mapper.read(line, 0, line.length);
                if (m.kept()) {
                    bySource.computeIfAbsent(source, s -> new ArrayList<>()).add(m.row());
                }
            } catch (JsonCursor.MalformedJsonException e) {
                unreadable++; // a record no producer of ours wrote; skipped, counted
            }
        }
        try {
            for (Map.Entry<EventSource, List<EventRow>> e : bySource.entrySet()) {
                EventWriter.Result result = writer.write(e.getValue(), e.getKey());
                Counter.builder("stream.consumed").tag("source", e.getKey().label())
                        .description("Events the stream's consumer wrote (stored or found stored already)")
                        .register(registry).increment(result.received());
            }
        } catch (RuntimeException e) {
            refused(records, e);
            return;
        }
        if (unreadable > 0) {
            Counter.builder("stream.unreadable").description("Stream records that are not one JSON event")
                    .register(registry).increment(unreadable);
            LOG.warnf("stream: %d record(s) are not one JSON event; skipped", unreadable);
        }
        if (refusalsInARow > 0) {
            LOG.infof("stream: ClickHouse takes the stream's batches again");
            refusalsInARow = 0;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> part = records.records(tp);
            offsets.put(tp, new OffsetAndMetadata(part.getLast().offset() + 1));
        }
        try {
            consumer.commitSync(offsets);
            offsets.forEach((tp, at) -> committed.put(tp, at.offset()));
        } catch (org.apache.kafka.common.errors.RebalanceInProgressException
                 | org.apache.kafka.clients.consumer.CommitFailedException e) {
            // The partitions moved on: their next owner writes the batch again and the writer drops the repeats.
            LOG.debugf("stream: commit after a rebalance refused (%s)", e.getMessage());
        } catch (org.apache.kafka.common.errors.RetriableException e) {
            // The broker is away (a commit times out after default.api.timeout.ms): the batch is
            // stored, and the next commit covers its offsets; until then a new owner writes it again.
            LOG.debugf("stream: commit not taken yet (%s)", e.getMessage());
            committed.keySet().removeAll(offsets.keySet()); // taken or not: the lag asks the group again
        }
    }

    /** ClickHouse did not take the batch: back to its first offsets, and wait. */
    private void refused(ConsumerRecords<String, byte[]> records, RuntimeException e) {
        for (TopicPartition tp : records.partitions()) {
            consumer.seek(tp, records.records(tp).getFirst().offset());
        }
        consumer.pause(consumer.assignment());
        paused = true;
        pausedAtNanos = System.nanoTime();
        refusals.increment();
        if (Backoff.worthLogging(++refusalsInARow)) {
            LOG.warnf("stream: ClickHouse did not take %d event(s) (%s), %d time(s) in a row; consumption paused for %s,"
                    + " the events wait in Kafka", records.count(), Printable.of(String.valueOf(e.getMessage())),
                    refusalsInARow, config.retryInterval());
        }
    }

    private static EventSource source(ConsumerRecord<String, byte[]> r) {
        Header h = r.headers().lastHeader(EventStream.SOURCE);
        if (h != null) {
            try {
                return EventSource.ofLabel(new String(h.value(), StandardCharsets.US_ASCII));
            } catch (IllegalArgumentException e) {
                // an unknown source is counted as the firehose's, the default of the backlog's lines too
            }
        }
        return EventSource.FIREHOSE;
    }

    /**
     * The lag an operator needs: the records of the partitions this replica owns that the group has
     * not committed (end offset minus committed offset), so the batch in hand and a batch ClickHouse
     * refused count until they are committed. The end offset is the fetcher's (position plus its
     * lag) while a partition is fetched; a paused partition is not fetched, and its end grows with
     * whatever is published while ClickHouse is away, so the broker is asked for it (once per poll:
     * a second apart while paused). The committed offsets are this consumer's own commits, read from the
     * group once per partition it is given (where the group has none: the partition's start, from
     * which it reads).
     */
    private void measureLag() {
        Collection<TopicPartition> owned = consumer.assignment();
        try {
            List<TopicPartition> unknown = owned.stream().filter(tp -> !committed.containsKey(tp)).toList();
            if (!unknown.isEmpty()) {
                Map<TopicPartition, OffsetAndMetadata> stored = consumer.committed(new HashSet<>(unknown), BROKER_WAIT);
                List<TopicPartition> none = new ArrayList<>();
                for (TopicPartition tp : unknown) {
                    OffsetAndMetadata at = stored.get(tp);
                    if (at == null) {
                        none.add(tp);
                    } else {
                        committed.put(tp, at.offset());
                    }
                }
                if (!none.isEmpty()) {
                    committed.putAll(consumer.beginningOffsets(none, BROKER_WAIT));
                }
            }
            Map<TopicPartition, Long> ends = new HashMap<>();
            List<TopicPartition> ask = new ArrayList<>();
            Set<TopicPartition> waiting = consumer.paused();
            for (TopicPartition tp : owned) {
                OptionalLong l = waiting.contains(tp) ? OptionalLong.empty() : consumer.currentLag(tp);
                if (l.isPresent()) {
                    ends.put(tp, consumer.position(tp, BROKER_WAIT) + l.getAsLong()); // known when the lag is
                } else {
                    ask.add(tp);
                }
            }
            if (!ask.isEmpty()) {
                ends.putAll(consumer.endOffsets(ask, BROKER_WAIT));
            }
            long total = 0;
            for (TopicPartition tp : owned) {
                Long end = ends.get(tp);
                Long from = committed.get(tp);
                if (end != null && from != null) {
                    total += Math.max(0, end - from);
                }
            }
            lag.set(total);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            // the broker is away too: keep the last figure
        }
    }
}
