package io.github.eventsstats.dashboard;

import io.github.eventsstats.archive.FakeGhArchive;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

/**
 * The service as a new user meets it: no token, GitHub unreachable (a closed local port: the
 * poller's failure is "connection refused"), every event type kept, the admin endpoints on (the
 * page starts an archive sync with the token), and GH Archive a fake serving generated hours.
 *
 * <p>Every {@code *IT} that needs the application runs on it, not only {@code DashboardBrowserIT}:
 * the others use the application's engine alone, which no setting here changes, and one profile is
 * one build and one start of the application in the failsafe JVM instead of two.
 */
public class DashboardTestProfile implements QuarkusTestProfile {

    static final String ADMIN_TOKEN = "dashboard-admin-token-for-tests";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("admin.token", ADMIN_TOKEN,
                "poller.enabled", "true",
                "poller.event-types", "*",
                "poller.state-file", "target/dashboard-test/client-state-" + System.nanoTime() + ".json",
                "poller.backlog-file", "target/dashboard-test/backlog-" + System.nanoTime() + ".json",
                "github.api-url", "http://127.0.0.1:" + closedPort(),
                "archive.sync.min-free-disk", "1M");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FakeGhArchive.class));
    }

    /** A port nothing listens on: bound, then let go. */
    private static int closedPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
