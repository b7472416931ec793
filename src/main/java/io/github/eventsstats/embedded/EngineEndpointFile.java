package io.github.eventsstats.embedded;

import io.github.eventsstats.clickhouse.ClickHouseEndpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code DATA_DIR/clickhouse/engine.endpoint}: the process, port, user and password of the engine serving
 * that directory, written while it runs, readable by its owner only (mode 0600). The engine locks its
 * directory, so a second process of the same user (the backfill while the service runs) can only share
 * it through this file; the password is in it because whoever may read the file may read the data
 * directory anyway, and a second file would only let the two disagree after a restart.
 */
final class EngineEndpointFile {

    static final String NAME = "engine.endpoint";

    private EngineEndpointFile() {
    }

    static void write(Path dataPath, int port, String user, String password) throws IOException {
        Properties p = new Properties();
        p.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
        p.setProperty("port", Integer.toString(port));
        p.setProperty("user", user);
        p.setProperty("password", password);
        // Created owner-only, never readable by others for a moment, then moved in whole.
        Path tmp = Files.createTempFile(dataPath, NAME, ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(out, "the embedded ClickHouse engine serving this directory; owner-only: it holds its password");
            }
            Files.move(tmp, dataPath.resolve(NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static void delete(Path dataPath) {
        try {
            Files.deleteIfExists(dataPath.resolve(NAME));
        } catch (IOException ignored) {
            // A stale file is harmless: readers check the process and the port.
        }
    }

    /**
     * Where the live engine serving {@code dataPath} is, and its credentials: the file names a running
     * process and its port answers ClickHouse's ping. A file left behind by a killed engine, or one this
     * process may not read, yields nothing.
     */
    static Optional<ClickHouseEndpoint.Target> live(Path dataPath) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(dataPath.resolve(NAME), StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        String user = p.getProperty("user");
        String password = p.getProperty("password");
        long pid;
        int port;
        try {
            pid = Long.parseLong(p.getProperty("pid", ""));
            port = Integer.parseInt(p.getProperty("port", ""));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (user == null || password == null || !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return Optional.empty();
        }
        String endpoint = "http://127.0.0.1:" + port;
        return pings(endpoint) ? Optional.of(new ClickHouseEndpoint.Target(endpoint, user, password)) : Optional.empty();
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
