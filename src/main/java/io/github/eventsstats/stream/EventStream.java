package io.github.eventsstats.stream;

import io.github.eventsstats.platform.Backoff;
import io.github.eventsstats.event.EventSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The producer side of the stream: every source hands what it fetched here when KAFKA_BOOTSTRAP_SERVERS
 * is set, one record per event, its raw JSON line keyed by repository, the source and the fetch time in
 * headers. {@link #publish} returns once the broker acknowledged every record (acks=all, idempotent);
 * records the broker did not take within KAFKA_DELIVERY_TIMEOUT are kept in memory and sent first the
 * next time, and while KAFKA_PENDING_MAX_EVENTS wait the pollers pause rather than fetch more.
 */
@ApplicationScoped
public class EventStream {

    private static final Logger LOG = Logger.getLogger(EventStream.class);
    /** Header: the label of the {@link EventSource} that fetched the event. */
    public static final String SOURCE = "source";
    /** Header: when the event was fetched, ISO-8601. */
    public static final String FETCHED_AT = "fetched-at";

    /** One fetched event: its raw JSON line and its repository's name (the key), null when unknown. */
    public record Fetched(String repository, byte[] line) {
    }

    private final KafkaConfig config;
    private final Topics topics;
    private final MeterRegistry registry;
    private final List<ProducerRecord<String, byte[]>> pending = new ArrayList<>();
    private volatile Producer<String, byte[]> producer;
    private int failuresInARow;
    private final Object producerLock = new Object();
    private volatile boolean stopped;
    /**
     * What {@link #pending} and {@link #full} read: the events kept plus those being sent. Read
     * without the lock, so that a publish waiting for an absent broker holds up neither a metrics
     * scrape nor a poller asking whether to pause.
     */
    private volatile int unacknowledged;
    /** Events sent through {@link Outlet}s that the broker has not acknowledged yet (no more than its buffer holds). */
    private final AtomicInteger streaming = new AtomicInteger();

    EventStream(KafkaConfig config, MeterRegistry registry) {
        this.config = config;
        this.topics = new Topics(config);
        this.registry = registry;
        if (enabled()) {
            Gauge.builder("stream.pending.events", this, EventStream::pending)
                    .description("Events fetched that the Kafka broker has not acknowledged yet: those kept while it is away, and an archive hour's in flight").register(registry);
        }
    }

    /** Whether KAFKA_BOOTSTRAP_SERVERS is set: the sources publish, the consumer writes. */
    public boolean enabled() {
        return config.bootstrapServers().isPresent();
    }

    public int pending() {
        return unacknowledged + streaming.get();
    }

    /** While this many wait for the broker, the pollers fetch nothing more. */
    public boolean full() {
        return unacknowledged >= config.pendingMaxEvents();
    }

    /**
     * Sends what is pending, then {@code events}, and waits for the broker's acknowledgements.
     *
     * @return whether everything is acknowledged (false: some are pending, sent again next time)
     */
    public synchronized boolean publish(List<Fetched> events, EventSource source, Instant fetchedAt) {
        List<ProducerRecord<String, byte[]>> batch = new ArrayList<>(pending.size() + events.size());
        batch.addAll(pending);
        pending.clear();
        byte[] sourceHeader = source.label().getBytes(StandardCharsets.US_ASCII);
        byte[] fetchedHeader = fetchedAt.toString().getBytes(StandardCharsets.US_ASCII);
        for (Fetched e : events) {
            ProducerRecord<String, byte[]> r = new ProducerRecord<>(topics.events(), e.repository(), e.line());
            r.headers().add(new RecordHeader(SOURCE, sourceHeader)).add(new RecordHeader(FETCHED_AT, fetchedHeader));
            batch.add(r);
        }
        if (batch.isEmpty()) {
            return true;
        }
        unacknowledged = batch.size();
        send(batch);
        unacknowledged = pending.size();
        if (!events.isEmpty()) {
            Counter.builder("stream.published").tag("source", source.label())
                    .description("Events fetched and handed to the Kafka producer").register(registry).increment(events.size());
        }
        return pending.isEmpty();
    }

    /**
     * An outlet for events too many to hold (a GH Archive hour, read as it is published): each is
     * sent as it comes, and {@link Outlet#finish} waits for the acknowledgements. What waits for the
     * broker is bounded in bytes by the producer's buffer (buffer.memory, 32 MB: a send waits for
     * room). Nothing is kept to send again: after the first failure the rest is not sent (each
     * send would wait max.block.ms), and the caller reads the events again later.
     */
    public Outlet outlet(EventSource source, Instant fetchedAt) {
        return new Outlet(source, fetchedAt);
    }

    /** See {@link #outlet}; one thread sends, any thread may finish. */
    public final class Outlet {

        private final EventSource source;
        private final byte[] sourceHeader;
        private final byte[] fetchedHeader;
        /** Sent and not acknowledged yet; guarded by this. */
        private int outstanding;
        private int taken;
        private volatile String failure;

        private Outlet(EventSource source, Instant fetchedAt) {
            this.source = source;
            this.sourceHeader = source.label().getBytes(StandardCharsets.US_ASCII);
            this.fetchedHeader = fetchedAt.toString().getBytes(StandardCharsets.US_ASCII);
        }

        /** Sends one event without waiting for the broker; false once one failed (this one is not sent then). */
        public boolean send(String repository, byte[] line) {
            if (failure != null) {
                return false;
            }
            ProducerRecord<String, byte[]> r = new ProducerRecord<>(topics.events(), repository, line);
            r.headers().add(new RecordHeader(SOURCE, sourceHeader)).add(new RecordHeader(FETCHED_AT, fetchedHeader));
            Ack ack = new Ack();
            synchronized (this) {
                outstanding++;
            }
            streaming.incrementAndGet();
            try {
                producer().send(r, ack); // gives up by a failed future, having called back, or by throwing
            } catch (RuntimeException e) {
                ack.onCompletion(null, e);
            }
            return failure == null;
        }

        /**
         * Waits until the broker acknowledged every event sent, for the delivery timeout at most.
         *
         * @return whether it took all of them
         */
        public boolean finish() throws InterruptedException {
            long deadline = System.nanoTime() + config.deliveryTimeout().plusSeconds(5).toNanos();
            int acknowledged;
            synchronized (this) {
                long left;
                while (outstanding > 0 && (left = deadline - System.nanoTime()) > 0) {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
                if (outstanding > 0 && failure == null) {
                    failure = outstanding + " event(s) not acknowledged within " + config.deliveryTimeout();
                }
                acknowledged = taken;
                taken = 0;
            }
            if (acknowledged > 0) {
                Counter.builder("stream.published").tag("source", source.label())
                        .description("Events fetched and handed to the Kafka producer").register(registry).increment(acknowledged);
            }
            return failure == null;
        }

        /** Why the broker did not take an event, or null. */
        public String failure() {
            return failure;
        }

        /** Counts one record's outcome once, whether the producer called back or send() threw. */
        private final class Ack implements org.apache.kafka.clients.producer.Callback {
            private boolean done;

            @Override
            public void onCompletion(org.apache.kafka.clients.producer.RecordMetadata metadata, Exception e) {
                synchronized (Outlet.this) {
                    if (done) {
                        return;
                    }
                    done = true;
                    outstanding--;
                    if (e == null) {
                        taken++;
                    } else if (failure == null) {
                        failure = describe(e);
                    }
                    Outlet.this.notifyAll();
                }
                streaming.decrementAndGet();
            }
        }
    }

    /** Sends what is pending; true when nothing is left. */
    public synchronized boolean flush(EventSource anySource) {
        return pending.isEmpty() || publish(List.of(), anySource, Instant.EPOCH);
    }

    private void send(List<ProducerRecord<String, byte[]>> batch) {
        List<Future<?>> sent = new ArrayList<>(batch.size());
        String failure = null;
        for (ProducerRecord<String, byte[]> r : batch) {
            if (failure != null) {
                // send() gave up once (no metadata from the broker within max.block.ms): each further
                // send() would wait as long again, so an archive hour would hold this thread for hours.
                sent.add(null);
                continue;
            }
            try {
                Future<?> f = producer().send(r);
                sent.add(f);
                if (f.state() == Future.State.FAILED) { // how send() gives up since Kafka 3: a failed future
                    failure = describe(f.exceptionNow());
                }
            } catch (RuntimeException e) {
                sent.add(null);
                failure = describe(e);
            }
        }
        // One deadline for the whole batch: the records expire in the producer by then. One that has
        // not (appended late, after send() waited for buffer space) is kept and may reach the topic
        // twice; the writer drops the second.
        long deadline = System.nanoTime() + config.deliveryTimeout().plusSeconds(5).toNanos();
        for (int i = 0; i < batch.size(); i++) {
            Future<?> f = sent.get(i);
            try {
                if (f == null) {
                    pending.add(batch.get(i));
                } else {
                    f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
            } catch (ExecutionException | TimeoutException e) {
                pending.add(batch.get(i));
                failure = describe(e.getCause() != null ? e.getCause() : e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pending.addAll(batch.subList(i, batch.size()));
                failure = "interrupted";
                break;
            }
        }
        if (failure == null) {
            if (failuresInARow > 0) {
                LOG.infof("stream: the Kafka broker takes events again");
            }
            failuresInARow = 0;
        } else if (Backoff.worthLogging(++failuresInARow)) {
            LOG.warnf("stream: the Kafka broker did not take %d event(s) (%s), %d time(s) in a row; kept to send again",
                    pending.size(), failure, failuresInARow);
        }
    }

    private static String describe(Throwable e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private Producer<String, byte[]> producer() {
        Producer<String, byte[]> open = producer;
        return open != null ? open : openProducer();
    }

    /** Synchronized apart from the publish, which holds its lock while it waits for the broker. */
    private Producer<String, byte[]> openProducer() {
        synchronized (producerLock) {
            return openProducerLocked();
        }
    }

    private Producer<String, byte[]> openProducerLocked() {
        if (stopped) {
            // A publish still running at shutdown (the archive sync) must not open a producer nobody closes.
            throw new IllegalStateException("the service is stopping");
        }
        if (producer == null) {
            Properties p = Topics.clientProperties(config, "github-events-stats-producer");
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            // A raw event is about 3 KB of JSON: the default 16 KB batch holds five (docs/benchmarks/kafka.md).
            p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
            p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, config.compression().kafkaName());
            long delivery = config.deliveryTimeout().toMillis();
            long request = Math.min(30_000, Math.max(1_000, delivery / 4));
            p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) request);
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(delivery, request + 5));
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, delivery);
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            producer = new KafkaProducer<>(p);
        }
        return producer;
    }

    void onStop(@Observes ShutdownEvent event) {
        Producer<String, byte[]> p;
        synchronized (producerLock) {
            stopped = true;
            p = producer;
            producer = null;
        }
        synchronized (this) {
            if (!pending.isEmpty()) {
                LOG.warnf("stream: stopping with %d fetched event(s) the broker did not take; they are lost unless fetched again"
                        + " (GH Archive has them)", pending.size());
            }
        }
        if (p != null) {
            p.close(Duration.ofSeconds(10));
        }
    }
}
