package io.github.eventsstats.enrich;

import io.github.eventsstats.poller.PollerTestProfile;

import java.util.HashMap;
import java.util.Map;

/** The poller's test profile with enrichment on; the tests run the enricher themselves. */
public class EnrichTestProfile extends PollerTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("enrich.enabled", "true");
        config.put("enrich.interval", "1h");
        config.put("enrich.ttl", "24h");
        config.put("enrich.lookback", "24h");
        config.put("enrich.failure-retry", "1h");
        config.put("enrich.batch", "50");
        config.put("poller.state-file", "target/enrich-test/client-state.json");
        config.put("save.events-to-files", "false");
        return config;
    }
}
