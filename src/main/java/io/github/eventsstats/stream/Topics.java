package io.github.eventsstats.stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The topics the stream uses, named after KAFKA_TOPIC, created when absent (an operator may create
 * them beforehand with other settings; existing topics are left as they are).
 */
public final class Topics {

    /** This process among the replicas: in its members' client ids, so a replica finds itself in a group's description. */
    static final String INSTANCE = java.util.UUID.randomUUID().toString();

    private final KafkaConfig config;

    public Topics(KafkaConfig config) {
        this.config = config;
    }

    /** The raw events, keyed by repository. */
    public String events() {
        return config.topic();
    }

    /** One partition: its owner in a role's group holds the role (firehose poller, archive sync). */
    public String leader() {
        return config.topic() + ".leader";
    }

    /** KAFKA_PARTITIONS partitions: the owner of one polls the watched repositories that hash to it. */
    public String watchShares() {
        return config.topic() + ".watch-shares";
    }

    /** Compacted: the watch list, keyed by repository, a tombstone for an unwatched one. */
    public String watchList() {
        return config.topic() + ".watch-list";
    }

    static Properties clientProperties(KafkaConfig config, String clientId) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers().orElseThrow());
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        return p;
    }

    /** Creates what is missing; throws when the broker does not answer within {@code timeout}. */
    public void create(Duration timeout) throws InterruptedException, TimeoutException, ExecutionException {
        try (Admin admin = Admin.create(clientProperties(config, "github-events-stats-admin"))) {
            short rf = config.replicationFactor();
            List<NewTopic> wanted = List.of(
                    new NewTopic(events(), config.partitions(), rf),
                    new NewTopic(leader(), 1, rf),
                    new NewTopic(watchShares(), config.partitions(), rf),
                    new NewTopic(watchList(), 1, rf).configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG,
                            TopicConfig.CLEANUP_POLICY_COMPACT)));
            var existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name())).toList();
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e; // another replica creating them at the same time is fine
                }
            }
        }
    }
}
