package io.github.eventsstats.archive;

import io.github.eventsstats.platform.FakeClock;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** The admin endpoints on, and the sync against the fake GH Archive, on a fake clock, with backoff waits recorded instead of slept. */
public class SyncTestProfile implements QuarkusTestProfile {

    static final String ADMIN_TOKEN = "sync-admin-token-for-tests";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("archive.sync.attempts", "3", "archive.sync.min-free-disk", "1M",
                "archive.sync.every", "1h", "admin.token", ADMIN_TOKEN);
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
