package io.github.eventsstats.stream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A replica's part in one job shared through Kafka's group protocol: a member of the group
 * {@code KAFKA_GROUP.<job>} on a coordination topic nobody writes to, owning the partitions the group
 * gives it. With a one-partition topic the owner holds the job alone (the firehose poller, the archive
 * sync); with more, each key (a repository) belongs to the owner of the partition it hashes to, as
 * Kafka's own partitioner places it. A member that stops heartbeating loses its partitions after
 * KAFKA_SESSION_TIMEOUT and the group gives them to another.
 *
 * <p>Work done for a partition runs under {@link #hold}; a revocation waits for it to end, so two
 * replicas never work on one partition at once (the group does not assign it elsewhere until this
 * member gave it up, or was given up on).
 */
public final class Membership {

    private static final Logger LOG = Logger.getLogger(Membership.class);

    /** Without Kafka: this process owns everything. */
    static final Membership ALONE = new Membership();

    private final String job;
    private final String topic;
    /** The topic's own count once known: a key's partition must be the one the group hands out. */
    private volatile int partitions;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ReentrantReadWriteLock work = new ReentrantReadWriteLock();
    private volatile Set<Integer> owned = Set.of();
    private volatile boolean stopping;
    private Thread thread;
    /** Partitions assigned so far, counted; {@link #settle} compares it with the last assignment settled. */
    private volatile long assignments;
    /** Before work on what an assignment gave, waits (at most the session timeout) until it can start; null: at once. */
    private volatile Settle settle;
    private final Duration settleTimeout;
    private long settledFor;

    /** What work on newly assigned partitions waits for: true once ready, false when {@code timeout} passed first. */
    @FunctionalInterface
    interface Settle {
        boolean await(Duration timeout);
    }

    private Membership() {
        this.job = "alone";
        this.topic = null;
        this.partitions = 1;
        this.consumer = null;
        this.owned = Set.of(0);
        this.settleTimeout = Duration.ZERO;
    }

    Membership(KafkaConfig config, String job, String topic, int partitions) {
        this.job = job;
        this.topic = topic;
        this.partitions = partitions;
        Properties p = Topics.clientProperties(config, "github-events-stats-" + job + "-" + Topics.INSTANCE);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.group() + "." + job);
        // The classic protocol: its session timeout is the client's to set (the new one's is the broker's).
        p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        // Sticky and incremental: a replica joining takes only what it is given, a job or a partition
        // stays where it is unless its owner leaves (the range assignor moves them by member id order).
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        this.settleTimeout = config.sessionTimeout();
        int session = (int) config.sessionTimeout().toMillis();
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, session);
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Math.max(100, session / 4));
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        this.consumer = new KafkaConsumer<>(p);
        consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> gone) {
                give(gone);
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> gone) {
                give(gone);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> added) {
                useTheTopicsCount();
                Set<Integer> now = new TreeSet<>(owned);
                added.forEach(tp -> now.add(tp.partition()));
                owned = Set.copyOf(now);
                if (!added.isEmpty()) {
                    assignments++; // only this thread writes it
                    LOG.infof("stream: this replica now owns %s of %s", describe(now), job);
                }
            }
        });
    }

    /**
     * A topic made before with another count (KAFKA_PARTITIONS changed later, or another replica's
     * setting) is left as it is: with the configured count, keys would hash to partitions nobody
     * owns, or that several own. Runs on the consumer's thread, inside its poll, where the topic's
     * metadata is at hand.
     */
    private void useTheTopicsCount() {
        int actual = consumer.partitionsFor(topic).size();
        if (actual > 0 && actual != partitions) {
            LOG.warnf("stream: %s has %d partitions, not the %d configured (KAFKA_PARTITIONS); %s is shared out by the topic's %d",
                    topic, actual, partitions, job, actual);
            partitions = actual;
        }
    }

    private void give(Collection<TopicPartition> gone) {
        if (gone.isEmpty()) {
            return;
        }
        work.writeLock().lock(); // waits for work in progress on what is given up
        try {
            Set<Integer> now = new TreeSet<>(owned);
            gone.forEach(tp -> now.remove(tp.partition()));
            owned = Set.copyOf(now);
        } finally {
            work.writeLock().unlock();
        }
    }

    private String describe(Set<Integer> parts) {
        return partitions == 1 ? "the job" : "partitions " + parts;
    }

    void start() {
        thread = Thread.ofPlatform().daemon().name("stream-" + job).start(() -> {
            try {
                while (!stopping) {
                    consumer.poll(Duration.ofMillis(500)); // heartbeats and rebalances happen in here
                }
            } catch (WakeupException e) {
                // stopping
            } catch (RuntimeException e) {
                LOG.errorf("stream: the %s membership stopped: %s", job, e.getMessage());
                owned = Set.of();
            } finally {
                owned = Set.of();
                consumer.close(Duration.ofSeconds(5)); // leaves the group: the job moves at once
            }
        });
    }

    void stop() {
        if (consumer == null) {
            return;
        }
        stopping = true;
        stopPolling(consumer, thread);
    }

    /**
     * Ends the loop of {@code thread} polling {@code consumer} (the loop closes it), or closes a
     * consumer whose loop never started (the broker never answered).
     */
    static void stopPolling(KafkaConsumer<?, ?> consumer, Thread thread) {
        if (thread == null) {
            consumer.close(Duration.ZERO);
            return;
        }
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether this replica holds the job (the one-partition case) or any of its partitions. */
    public boolean holds() {
        return !owned.isEmpty();
    }

    /** Whether the key's partition is this replica's. */
    public boolean owns(String key) {
        return owned.contains(partition(key, partitions));
    }

    /** Kafka's default partitioner's choice for a key (murmur2 of its UTF-8 bytes), on lower-case names. */
    static int partition(String key, int partitions) {
        byte[] bytes = key.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        return Utils.toPositive(Utils.murmur2(bytes)) % partitions;
    }

    /**
     * Before work on a key or job is first done after an assignment: waits for {@code settle} (with
     * the watch list: until this replica read the shared list to its end, the last holder's state
     * of each repository with it).
     */
    void settleWith(Settle settle) {
        this.settle = settle;
    }

    /**
     * Waits for the latest assignment to settle, once per assignment, at most the session
     * timeout (the time the group itself gives a silent member). Past it (the broker away), work
     * goes on as it would have without the wait, from the state this replica has.
     */
    private synchronized void settle() {
        Settle s = settle;
        long now = assignments;
        if (s == null || now == settledFor) {
            return;
        }
        if (!s.await(settleTimeout)) {
            LOG.warnf("stream: %s not settled within %s (the broker away?); working from this replica's own state",
                    job, settleTimeout);
        }
        settledFor = now;
    }

    /**
     * Work on the job or on {@code key}: runs only while owned, and a revocation waits for it. The
     * first work after an assignment waits for it to settle ({@link #settleWith}).
     */
    public boolean hold(String key, Runnable action) {
        work.readLock().lock();
        try {
            if (key == null ? !holds() : !owns(key)) {
                return false;
            }
            settle();
            action.run();
            return true;
        } finally {
            work.readLock().unlock();
        }
    }
}
