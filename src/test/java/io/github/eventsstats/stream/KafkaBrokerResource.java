package io.github.eventsstats.stream;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Points the service at the tests' shared broker ({@link KafkaBroker#shared()}), started on first use. */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap-servers", KafkaBroker.shared().bootstrapServers());
    }

    @Override
    public void stop() {
        // the broker outlives one Quarkus application: other profiles' tests use it too
    }
}
