package io.github.eventsstats.stream;

import io.github.eventsstats.platform.Backoff;
import io.github.eventsstats.github.RateBudget;
import io.github.eventsstats.ingest.EventWriter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * The stream's moving parts in this replica, when KAFKA_BOOTSTRAP_SERVERS is set: the topics
 * (created when missing, retried until the broker answers), the consumer that writes to ClickHouse,
 * and the memberships through which the replicas share the jobs.
 */
@ApplicationScoped
public class KafkaStream {

    private static final Logger LOG = Logger.getLogger(KafkaStream.class);
    /** The firehose poller's job: one replica at a time. */
    public static final String FIREHOSE = "firehose";
    /** The scheduled GH Archive sync's job: one replica at a time. */
    public static final String ARCHIVE_SYNC = "archive-sync";
    /** The watched repositories' polls, shared out by repository. */
    public static final String WATCH = "watch";

    private final KafkaConfig config;
    private final Topics topics;
    private final EventWriter writer;
    private final InstantSource clock;
    private final MeterRegistry registry;
    private final Map<String, Membership> memberships = new ConcurrentHashMap<>();
    private final CountDownLatch topicsReady = new CountDownLatch(1);
    private volatile boolean stopping;
    private StreamConsumer consumer;
    private BudgetShare budgetShare;
    private SharedList watchList;

    KafkaStream(KafkaConfig config, EventWriter writer, InstantSource clock, MeterRegistry registry, RateBudget budget) {
        this.config = config;
        this.budgetShare = enabled() ? new BudgetShare(config, budget) : null; // spends nothing until it knows its share
        this.topics = new Topics(config);
        this.writer = writer;
        this.clock = clock;
        this.registry = registry;
    }

    public boolean enabled() {
        return config.bootstrapServers().isPresent();
    }

    void onStart(@Observes StartupEvent event) {
        if (!enabled()) {
            return;
        }
        if (config.consumerEnabled()) {
            LOG.infof("stream: events go through Kafka at %s, topic %s, group %s", config.bootstrapServers().get(),
                    topics.events(), config.group());
        } else {
            LOG.infof("stream: events are published to Kafka at %s, topic %s; group %s stores them, not this process",
                    config.bootstrapServers().get(), topics.events(), config.group());
        }
        Thread.ofPlatform().daemon().name("stream-start").start(this::start);
    }

    private void start() {
        int attempts = 0;
        while (!stopping) {
            try {
                topics.create(Duration.ofSeconds(10));
                break;
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (Backoff.worthLogging(++attempts)) {
                    LOG.warnf("stream: the Kafka broker does not answer (%s), %d time(s); trying again", e.getMessage(), attempts);
                }
                try {
                    Thread.sleep(2_000); // the broker's start is no condition this process can wait on otherwise
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
        synchronized (this) {
            if (stopping) {
                return;
            }
            if (config.consumerEnabled()) {
                consumer = new StreamConsumer(config, writer, clock, registry);
                Thread.ofPlatform().name("stream-consumer").start(consumer);
            }
            topicsReady.countDown();
            memberships.values().forEach(Membership::start);
            budgetShare.start();
            if (watchList != null) {
                watchList.follow();
            }
        }
    }

    /**
     * The list every replica shares (a compacted topic: the watch list, the asks on demand, the
     * state of each polled feed), followed from its start: {@code change} hears (key, value, or null
     * once removed) of every entry and every change, whichever replica made it.
     */
    public synchronized SharedList watchList(java.util.function.BiConsumer<String, String> change) {
        SharedList list = watchList();
        list.listen(change);
        return list;
    }

    private synchronized SharedList watchList() {
        if (watchList == null) {
            watchList = new SharedList(config, topics.watchList());
            if (topicsReady.getCount() == 0) {
                watchList.follow();
            }
        }
        return watchList;
    }

    /**
     * This replica's membership in a job: {@link #FIREHOSE} and {@link #ARCHIVE_SYNC} are held by
     * one replica, {@link #WATCH} is shared by repository. Without Kafka this process holds them all.
     * A replica joins only the jobs it would run (a replica with the poller off joins no poller's job).
     */
    public synchronized Membership join(String job) {
        if (!enabled()) {
            return Membership.ALONE;
        }
        return memberships.computeIfAbsent(job, j -> {
            boolean shared = WATCH.equals(j);
            Membership m = new Membership(config, j, shared ? topics.watchShares() : topics.leader(),
                    shared ? config.partitions() : 1);
            if (shared) {
                // A repository given to this replica is polled on from the newest state published for
                // it, not from an older one of its own: the list is read to its end first.
                m.settleWith(watchList()::catchUp);
            }
            if (topicsReady.getCount() == 0) {
                m.start();
            }
            return m;
        });
    }

    /** The lag of the partitions this replica consumes, for tests and the health of the stream. */
    public long consumerLag() {
        StreamConsumer c = consumer;
        return c == null ? 0 : c.lag();
    }

    void onStop(@Observes ShutdownEvent event) {
        synchronized (this) {
            stopping = true;
        }
        if (consumer != null) {
            consumer.stop();
        }
        memberships.values().forEach(Membership::stop);
        if (budgetShare != null) {
            budgetShare.stop();
        }
        if (watchList != null) {
            watchList.stop();
        }
    }
}
