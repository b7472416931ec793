package io.github.eventsstats.api;

import io.github.eventsstats.platform.FakeClock;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;
import java.util.Set;

/**
 * The API's guards that the test profile leaves off, on a fake clock: the answer cache (2 s, as in
 * production) and an admin token, locked out for 90 s after 5 wrong ones. One profile for the tests
 * of both (AdminTokenTest, CachedAnswersTest, CachedAnswerKeysTest), because each profile is one more
 * build and start of the application (docs/benchmarks/test-suite.md); neither setting changes what
 * the other's tests see: the cache keeps /metrics answers, the token guards /admin.
 */
public class ApiGuardsProfile implements QuarkusTestProfile {

    static final String ADMIN_TOKEN = "s3cret-admin-token";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("api.cache.ttl", "2s",
                "admin.token", ADMIN_TOKEN, "admin.token-failures", "5", "admin.lockout", "90s");
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(FakeClock.class);
    }
}
