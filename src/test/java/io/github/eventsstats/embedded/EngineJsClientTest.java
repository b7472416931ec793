package io.github.eventsstats.embedded;

import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.clickhouse.ClickHouseEndpoint;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
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
class EngineJsClientTest {

    private static final Path DIR = Path.of("target/jsclient");

    @Inject
    ClickHouseEndpoint endpoint;
    @Inject
    ClickHouse clickHouse;

    @Test
    void theOfficialJsClientWorksWithTheCredentialAndIsRefusedWithoutIt() throws Exception {
        boolean runnable = onPath("npm") && onPath("node");
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(runnable, "CI needs node and npm (.ci/run installs them)");
        }
        assumeTrue(runnable, "needs node and npm");
        install();
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

    /** npm ci of the pinned client into target/jsclient, once per build directory. */
    private static void install() throws Exception {
        if (Files.isDirectory(DIR.resolve("node_modules/@clickhouse/client"))) {
            return;
        }
        Files.createDirectories(DIR);
        for (String f : List.of("package.json", "package-lock.json")) {
            Files.copy(Path.of("src/test/jsclient", f), DIR.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts")
                .directory(DIR.toFile()).redirectErrorStream(true).start();
        String out = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(npm.waitFor(5, TimeUnit.MINUTES), "npm ci did not finish");
        assertEquals(0, npm.exitValue(), "npm ci failed:\n" + out);
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
