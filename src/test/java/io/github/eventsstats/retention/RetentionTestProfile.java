package io.github.eventsstats.retention;

import io.github.eventsstats.platform.FakeClock;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;
import java.util.Set;

/**
 * Events kept 30 days, rollups 60, raw files 2, checked every hour of a fake clock. The engine's
 * data lives in a directory of its own: the TTLs set here (and what the engine drops by them, by
 * its own clock) stay out of the other tests' tables.
 */
public class RetentionTestProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "data.dir", "target/retention-test-data",
                "events.retention", "30d",
                "rollup.retention", "60d",
                "raw.retention", "2d",
                "retention.check-interval", "1h");
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(FakeClock.class);
    }
}
