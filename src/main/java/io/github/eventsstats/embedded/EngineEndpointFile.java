package io.github.eventsstats.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code DATA_DIR/clickhouse/engine.endpoint}: "PID PORT" of the engine serving that directory,
 * written while it runs. The engine locks its directory, so a second process (the backfill while
 * the service runs) can only share it through this endpoint.
 */
final class EngineEndpointFile {

    static final String NAME = "engine.endpoint";

    private EngineEndpointFile() {
    }

    static void write(Path dataPath, int port) throws IOException {
        Path tmp = dataPath.resolve(NAME + ".tmp");
        Files.writeString(tmp, ProcessHandle.current().pid() + " " + port + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, dataPath.resolve(NAME), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    static void delete(Path dataPath) {
        try {
            Files.deleteIfExists(dataPath.resolve(NAME));
        } catch (IOException ignored) {
            // A stale file is harmless: readers check the process and the port.
        }
    }

    /**
     * The endpoint of a live engine serving {@code dataPath}: the file names a running process and
     * its port answers ClickHouse's ping. A file left behind by a killed engine yields nothing.
     */
    static Optional<String> live(Path dataPath) {
        String[] parts;
        try {
            parts = Files.readString(dataPath.resolve(NAME), StandardCharsets.US_ASCII).strip().split(" ");
        } catch (IOException e) {
            return Optional.empty();
        }
        if (parts.length != 2) {
            return Optional.empty();
        }
        long pid;
        int port;
        try {
            pid = Long.parseLong(parts[0]);
            port = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            String endpoint = "http://127.0.0.1:" + port;
            return pings(endpoint) ? Optional.of(endpoint) : Optional.empty();
        }
        return Optional.empty();
    }

    private static boolean pings(String endpoint) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(endpoint + "/ping").toURL().openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(2000);
            try (InputStream in = c.getInputStream()) {
                return c.getResponseCode() == 200 && new String(in.readAllBytes(), StandardCharsets.UTF_8).startsWith("Ok.");
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }
}
