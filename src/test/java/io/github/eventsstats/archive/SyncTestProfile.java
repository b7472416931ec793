package io.github.eventsstats.archive;

import io.github.eventsstats.platform.FakeClock;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The admin endpoints on, and the sync against the fake GH Archive, on a fake clock, with backoff waits recorded instead of slept.
 * Also the API's query queue small for OverloadTest: two API queries at once (the test profile's two engine connections), two
 * waiting, and a query timeout long enough that nothing there times out (what is refused is refused at once). The sync tests ask the API one question at a time and syncs do not queue there, so it changes nothing for them,
 * and one profile for both is one build and start of the application fewer (docs/benchmarks/test-suite.md).
 */
public class SyncTestProfile implements QuarkusTestProfile {

    static final String ADMIN_TOKEN = "sync-admin-token-for-tests";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("archive.sync.attempts", "3", "archive.sync.min-free-disk", "1M",
                "archive.sync.every", "1h", "admin.token", ADMIN_TOKEN,
                "api.max-queued-queries", "2", "api.query-timeout", "60s");
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(FakeClock.class, RecordedBackoff.class);
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FakeGhArchive.class));
    }
}
