package io.github.eventsstats.stream;

import io.github.eventsstats.github.RateBudget;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Tells the rate budget how many replicas spend the token: the members of the watched repositories'
 * group (every replica that polls joins it), plus this one while it is not listed yet. A count
 * only grows at once; it shrinks after it has stayed lower for KAFKA_SESSION_TIMEOUT, the time the
 * group takes to give up on a replica that went quiet. Until the group was described once, the
 * budget lets nothing through: a replica that does not know its share spends none.
 */
final class BudgetShare {

    private static final Logger LOG = Logger.getLogger(BudgetShare.class);

    private final KafkaConfig config;
    private final RateBudget budget;
    private final String group;
    private volatile boolean stopping;
    private Thread thread;
    private int shared;
    private long lowerSinceNanos = -1;

    BudgetShare(KafkaConfig config, RateBudget budget) {
        this.config = config;
        this.budget = budget;
        this.group = config.group() + "." + KafkaStream.WATCH;
        budget.share(0);
    }

    void start() {
        Duration every = Duration.ofMillis(Math.max(500, config.sessionTimeout().toMillis() / 5));
        thread = Thread.ofPlatform().daemon().name("stream-budget-share").start(() -> {
            try (Admin admin = Admin.create(Topics.clientProperties(config, "github-events-stats-share-" + Topics.INSTANCE))) {
                while (!stopping) {
                    try {
                        ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all()
                                .get(every.toMillis() * 4, TimeUnit.MILLISECONDS).get(group);
                        observe(d.members().size(), d.members().stream().map(MemberDescription::clientId)
                                .anyMatch(id -> id.endsWith(Topics.INSTANCE)), System.nanoTime());
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        LOG.debugf("stream: the group %s was not described (%s); the budget share stays %d", group,
                                e.getMessage(), shared);
                    }
                    Thread.sleep(every); // a period, not a wait for a condition: the group is asked again
                }
            } catch (InterruptedException e) {
                // stopping
            }
        });
    }

    /** One description of the group: {@code members}, of which this replica is one when {@code listed}. */
    synchronized void observe(int members, boolean listed, long nanos) {
        int n = Math.max(1, members + (listed ? 0 : 1));
        if (n >= shared) {
            lowerSinceNanos = -1;
            set(n);
        } else if (lowerSinceNanos < 0) {
            lowerSinceNanos = nanos;
        } else if (nanos - lowerSinceNanos >= config.sessionTimeout().toNanos()) {
            lowerSinceNanos = -1;
            set(n);
        }
    }

    private void set(int n) {
        if (n != shared) {
            LOG.infof("stream: %d replica(s) share the GitHub rate budget; this one keeps to 1/%d of what is left", n, n);
        }
        shared = n;
        budget.share(n);
    }

    void stop() {
        stopping = true;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
