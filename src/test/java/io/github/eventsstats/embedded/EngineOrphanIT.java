package io.github.eventsstats.embedded;

import io.github.eventsstats.cli.ConfigBootstrap;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real kill -9 of the process that owns the engine: the engine must go too. */
class EngineOrphanIT {

    /** Owns an engine and waits to be killed. */
    public static final class Owner {
        public static void main(String[] args) throws Exception {
            EngineProcess engine = new EngineProcess(new EngineProcess.Options(Path.of(args[0]), Path.of(args[1]), 0,
                    1, "default", java.time.Duration.ofSeconds(60)));
            engine.start();
            System.out.println("ENGINE " + engine.pid().orElseThrow());
            System.out.flush();
            Thread.currentThread().join(); // until killed
        }
    }

    @Test
    void theEngineExitsWhenItsOwnerIsKilledWithSigkill() throws Exception {
        Path library = ChdbLibrary.resolve(ConfigBootstrap.read(ChdbConfig.class).getConfigMapping(ChdbConfig.class));
        Path data = Files.createDirectories(Path.of("target", "test-data-orphan"));
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process owner = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Owner.class.getName(), library.toString(), data.toString()))
                .redirectErrorStream(true).start();
        try {
            long enginePid = -1;
            BufferedReader out = new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8));
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("ENGINE ")) {
                    enginePid = Long.parseLong(line.substring(7).trim());
                    break;
                }
            }
            assertTrue(enginePid > 0, "the owner never reported its engine");
            ProcessHandle engine = ProcessHandle.of(enginePid).orElse(null);
            assertNotNull(engine);
            assertTrue(engine.isAlive());

            owner.destroyForcibly(); // SIGKILL: no shutdown hook runs in the owner
            owner.waitFor(10, TimeUnit.SECONDS);

            engine.onExit().get(20, TimeUnit.SECONDS);
            assertFalse(engine.isAlive());
        } finally {
            owner.destroyForcibly();
        }
    }
}
