package io.github.eventsstats.platform;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Node and npm for the tests that drive a JavaScript program (the browser, the ClickHouse JS client). */
public final class NodeTools {

    private NodeTools() {
    }

    public static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /**
     * npm ci of the lock file in {@code source} into {@code target}, once per build directory: skipped when
     * {@code target/node_modules/<module>} is there for every one of {@code modules}.
     */
    public static void install(Path source, Path target, String... modules) throws Exception {
        if (Arrays.stream(modules).allMatch(m -> Files.isDirectory(target.resolve("node_modules").resolve(m)))) {
            return;
        }
        Files.createDirectories(target);
        for (String f : List.of("package.json", "package-lock.json")) {
            Files.copy(source.resolve(f), target.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts")
                .directory(target.toFile()).redirectErrorStream(true).start();
        String out = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(npm.waitFor(5, TimeUnit.MINUTES), "npm ci did not finish");
        assertEquals(0, npm.exitValue(), "npm ci failed:\n" + out);
    }
}
