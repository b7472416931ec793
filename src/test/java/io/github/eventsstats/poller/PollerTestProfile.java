package io.github.eventsstats.poller;

import io.github.eventsstats.github.FakeGitHub;
import io.github.eventsstats.platform.FakeClock;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The poller on, against the fake GitHub, on a fake clock: time moves only when a test moves it,
 * and tests tick the poller themselves. The scheduled tick is an hour apart, so it never runs
 * between a test's steps (where it could take a reply or a due poll meant for the test's tick).
 */
public class PollerTestProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("poller.enabled", "true"),
                Map.entry("poller.tick", "1h"),
                Map.entry("poller.min-interval", "1s"),
                Map.entry("poller.backoff-initial", "0.3s"),
                Map.entry("poller.backoff-max", "1s"),
                Map.entry("poller.state-file", "target/poller-test/client-state.json"),
                Map.entry("github.token", FakeGitHub.TOKEN),
                Map.entry("github.request-timeout", "1s"),
                Map.entry("save.events-to-files", "true"));
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(FakeClock.class);
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FakeGitHub.class));
    }
}
