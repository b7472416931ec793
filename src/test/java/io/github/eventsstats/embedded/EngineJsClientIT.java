package io.github.eventsstats.embedded;

import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.clickhouse.ClickHouseEndpoint;
import io.github.eventsstats.platform.NodeTools;
import io.github.eventsstats.dashboard.DashboardTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The official ClickHouse JS client (@clickhouse/client from npm, pinned by src/test/jsclient/package-lock.json,
 * installed under target/jsclient) with the engine's user and password: it pings, creates, inserts and queries
 * with a parameter, and gets the engine's refusals as ClickHouse errors. Without node and npm the test is
 * skipped, except under CI (CI=true), where it fails.
 */
@QuarkusTest
@TestProfile(DashboardTestProfile.class)
class EngineJsClientIT {

    private static final Path DIR = Path.of("target/jsclient");

    @Inject
    ClickHouseEndpoint endpoint;
    @Inject
    ClickHouse clickHouse;

    @Test
    void theOfficialJsClientWorksWithTheCredentialAndIsRefusedWithoutIt() throws Exception {
        boolean runnable = NodeTools.onPath("npm") && NodeTools.onPath("node");
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(runnable, "CI needs node and npm (.ci/run installs them)");
        }
        assumeTrue(runnable, "needs node and npm");
        NodeTools.install(Path.of("src/test/jsclient"), DIR, "@clickhouse/client");
        Path script = Files.copy(Path.of("src/test/jsclient/js-client-check.mjs"), DIR.resolve("js-client-check.mjs"),
                StandardCopyOption.REPLACE_EXISTING);
        ClickHouseEndpoint.Target engine = endpoint.target();
        ProcessBuilder pb = new ProcessBuilder("node", script.getFileName().toString()).redirectErrorStream(true)
                .directory(DIR.toFile());
        pb.environment().put("CH_URL", engine.url());
        pb.environment().put("CH_USER", engine.user());
        pb.environment().put("CH_PASSWORD", engine.password());
        pb.environment().put("CH_DATABASE", clickHouse.database());
        Process node = pb.start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(node.waitFor(2, TimeUnit.MINUTES), "the JS client script did not finish:\n" + out);
        assertEquals(0, node.exitValue(), "the JS client checks failed:\n" + out);
        assertTrue(out.contains("ALL-PASSED"), out);
    }
}
