package io.github.eventsstats.stream;

import io.github.eventsstats.platform.Backoff;
import io.github.eventsstats.platform.Printable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * A list every replica shares, kept in a compacted topic: a record keyed by an entry's key adds
 * it (its value, say a name as written), a tombstone (a null value) removes it. Each replica reads the topic from its start, so it
 * learns the whole list at start-up and every change after, whichever replica made it; compaction
 * keeps the topic as long as the list, and the broker keeps it across every replica's restart.
 */
public final class SharedList {

    private static final Logger LOG = Logger.getLogger(SharedList.class);

    private final KafkaConfig config;
    private final String topic;
    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> consumer;
    private volatile boolean stopping;
    private volatile Thread thread;
    /** Entries set with {@link #put} and not yet taken by the broker: the latest value per key (empty: removed). */
    private final LinkedHashMap<String, Optional<String>> unsent = new LinkedHashMap<>();
    private Thread sender;
    private int sendFailures;
    /** Every entry read, its latest value (null: removed), in the order of their last change. */
    private final Map<String, String> read = new LinkedHashMap<>();
    private final List<BiConsumer<String, String>> listeners = new ArrayList<>();
    /** Guards the catch-ups: {@link #catchUp} waits on it. */
    private final Object progress = new Object();
    /** Catch-ups asked for ({@link #catchUp}), and the last one whose end offsets the reader reached. */
    private long asked;
    private long reached;

    SharedList(KafkaConfig config, String topic) {
        this.config = config;
        this.topic = topic;
        Properties p = Topics.clientProperties(config, "github-events-stats-list");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        this.producer = new KafkaProducer<>(p);
        Properties c = Topics.clientProperties(config, "github-events-stats-list-reader");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(c);
    }

    /**
     * Tells {@code change} (key, value or null when removed) of every entry read so far, in the
     * order they were last changed, then of every record read after: a part of the service that
     * listens late misses nothing.
     */
    public synchronized void listen(BiConsumer<String, String> change) {
        read.forEach(change);
        listeners.add(change);
    }

    private synchronized void read(String key, String value) {
        read.remove(key); // the order of the last changes, as the topic has them
        read.put(key, value);
        for (BiConsumer<String, String> l : listeners) {
            l.accept(key, value);
        }
    }

    /** Follows the topic from its start on a thread of its own, telling the listeners of each record. */
    void follow() {
        thread = Thread.ofPlatform().daemon().name("stream-list-" + topic).start(() -> {
            try {
                TopicPartition tp = new TopicPartition(topic, 0);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                long target = -1; // the end offset the latest catch-up asked for is to reach
                long targetFor = 0;
                int failures = 0;
                while (!stopping) {
                    try {
                        long want;
                        synchronized (progress) {
                            want = asked;
                        }
                        if (want > targetFor) { // the end as the broker has it now, after the request
                            target = consumer.endOffsets(List.of(tp), Duration.ofSeconds(5)).get(tp);
                            targetFor = want;
                        }
                        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                            if (r.key() != null) {
                                try {
                                    read(r.key(), r.value());
                                } catch (RuntimeException e) {
                                    // One listener failing on one entry (a full disk saving the list)
                                    // must not lose the batch's other entries, nor end the reading.
                                    LOG.warnf("stream: the shared list %s: entry %s not taken: %s", topic,
                                            Printable.of(r.key()), e.getMessage());
                                }
                            }
                        }
                        failures = 0;
                        if (targetFor > 0 && consumer.position(tp, Duration.ofSeconds(5)) >= target) {
                            synchronized (progress) {
                                reached = Math.max(reached, targetFor);
                                progress.notifyAll();
                            }
                        }
                    } catch (WakeupException | org.apache.kafka.common.errors.TimeoutException e) {
                        // a catch-up asked for (woken to fetch its end offset at once), stopping, or the broker away: again
                    } catch (RuntimeException e) {
                        // A replica that stops reading never hears of a change again: tried on after a pause.
                        if (Backoff.worthLogging(++failures)) {
                            LOG.warnf("stream: reading the shared list %s: %s (failure %d in a row); going on",
                                    topic, e.getMessage(), failures);
                        }
                        try {
                            Thread.sleep(config.retryInterval());
                        } catch (InterruptedException ie) {
                            return;
                        }
                    }
                }
            } catch (RuntimeException e) {
                LOG.errorf("stream: reading the shared list %s stopped: %s", topic, e.getMessage());
            } finally {
                consumer.close(Duration.ofSeconds(5));
            }
        });
    }

    /**
     * Waits until this replica has read the list up to the end offset the broker gives once asked,
     * so that every entry written before this call (another replica's last state of a repository)
     * has reached the listeners; Kafka Connect's KafkaBasedLog reads its compacted topic to the end
     * in the same way before it starts work. At most {@code timeout}: false when the broker did not
     * answer or the list is not read (not started, or stopped).
     */
    boolean catchUp(Duration timeout) {
        long ticket;
        synchronized (progress) {
            ticket = ++asked;
        }
        if (thread != null) {
            consumer.wakeup(); // out of a poll's wait, to ask for the end offset now
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (reached < ticket) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(progress, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** Adds the entry for every replica; returns once the broker has it. */
    public void add(String key, String value) {
        send(key, value);
    }

    /** Removes the entry for every replica; returns once the broker has it. */
    public void remove(String key) {
        send(key, null);
    }

    /**
     * Sets the entry for every replica without waiting (null removes it): a thread of its own sends
     * the latest value of each key, again after the broker did not take it, so a change made while
     * the broker is away reaches the others once it is back, and only the newest counts.
     */
    public void put(String key, String value) {
        synchronized (unsent) {
            unsent.remove(key); // the newest goes to the end: it was changed last
            unsent.put(key, Optional.ofNullable(value));
            if (sender == null) {
                sender = Thread.ofPlatform().daemon().name("stream-list-sender-" + topic).start(this::sendLoop);
            }
            unsent.notifyAll();
        }
    }

    private void sendLoop() {
        while (!stopping) {
            Map.Entry<String, Optional<String>> next;
            synchronized (unsent) {
                while (unsent.isEmpty() && !stopping) {
                    try {
                        unsent.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (stopping) {
                    return;
                }
                var first = unsent.entrySet().iterator().next();
                next = Map.entry(first.getKey(), first.getValue());
                unsent.remove(first.getKey());
            }
            try {
                send(next.getKey(), next.getValue().orElse(null));
                sendFailures = 0;
            } catch (IllegalStateException e) {
                synchronized (unsent) {
                    unsent.putIfAbsent(next.getKey(), next.getValue()); // unless a newer value came meanwhile
                    if (Backoff.worthLogging(++sendFailures)) {
                        LOG.warnf("stream: %d change(s) of the shared list %s wait for the broker (%s), %d time(s) in a row",
                                unsent.size(), topic, e.getMessage(), sendFailures);
                    }
                    try {
                        unsent.wait(config.retryInterval().toMillis()); // woken early by a newer change
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }
    }

    private void send(String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(15, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the Kafka broker did not take the change of the shared list " + topic
                    + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    void stop() {
        stopping = true;
        synchronized (unsent) {
            unsent.notifyAll();
        }
        producer.close(Duration.ofSeconds(5));
        Membership.stopPolling(consumer, thread);
    }
}
