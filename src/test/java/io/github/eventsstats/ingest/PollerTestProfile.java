package io.github.eventsstats.ingest;

import io.github.eventsstats.github.FakeGitHub;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;

/** The poller on, fast, against the fake GitHub. */
public class PollerTestProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("poller.enabled", "true"),
                Map.entry("poller.tick", "1s"), // the scheduler's finest step
                Map.entry("poller.min-interval", "1s"),
                Map.entry("poller.backoff-initial", "0.3s"),
                Map.entry("poller.backoff-max", "1s"),
                Map.entry("poller.state-file", "target/poller-test/client-state.json"),
                Map.entry("github.token", FakeGitHub.TOKEN),
                Map.entry("github.request-timeout", "1s"),
                Map.entry("save.events-to-files", "true"));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FakeGitHub.class));
    }
}
