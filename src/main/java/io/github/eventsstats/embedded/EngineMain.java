package io.github.eventsstats.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point of the embedded ClickHouse engine process: chDB behind a ClickHouse HTTP front.
 *
 * <pre>
 *   EngineMain --library libchdb.so --path DIR [--host 127.0.0.1] --port N [--watch-stdin]
 * </pre>
 *
 * Prints {@code READY port=N} on stdout once it answers. With {@code --watch-stdin} it exits when
 * its standard input reaches end of file, which the kernel guarantees when the parent dies for
 * any reason (kill -9 included), so the engine never outlives the service.
 */
public final class EngineMain {

    public static final String READY_PREFIX = "READY port=";
    /** Connections beyond --connections for the reserved lane (health probes, the ingest writer). */
    static final int RESERVED_CONNECTIONS = 1;

    private EngineMain() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> opts = parse(args);
        Path library = Path.of(require(opts, "library"));
        Path path = Path.of(require(opts, "path"));
        String host = opts.getOrDefault("host", "127.0.0.1");
        int port = Integer.parseInt(require(opts, "port")); // its callers pass the configured one
        int connections = Integer.parseInt(require(opts, "connections"));
        if (connections < 1) {
            fail("--connections must be at least 1; got " + connections);
        }
        if (!Files.isReadable(library)) {
            fail("libchdb.so not found at " + library + "; run scripts/fetch-chdb.sh or set CHDB_LIBRARY");
        }
        Files.createDirectories(path);

        // Connect before any thread of ours exists: the engine rewires signal handlers while connecting.
        List<Chdb> chdb = new ArrayList<>();
        for (int i = 0; i < connections + RESERVED_CONNECTIONS; i++) {
            chdb.add(new Chdb(library, path));
        }
        EngineServer server = new EngineServer(chdb, RESERVED_CONNECTIONS, host, port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(server, chdb, path), "engine-shutdown"));
        server.start();
        EngineEndpointFile.write(path, server.port());
        System.err.println("engine: ClickHouse " + server.version() + " (chDB) on http://" + host + ":" + server.port()
                + " with data in " + path.toAbsolutePath() + ", " + connections + " connection(s) and " + RESERVED_CONNECTIONS + " reserved");
        System.out.println(READY_PREFIX + server.port());
        System.out.flush();

        if (opts.containsKey("watch-stdin")) {
            Thread watcher = new Thread(() -> {
                try (InputStream in = System.in) {
                    while (in.read() >= 0) {
                        // The parent never writes; reading only waits for end of file.
                    }
                } catch (IOException ignored) {
                    // A broken pipe means the parent is gone, as EOF does.
                }
                System.exit(0);
            }, "engine-parent-watch");
            watcher.setDaemon(true);
            watcher.start();
        }
    }

    private static void shutdown(EngineServer server, List<Chdb> connections, Path path) {
        EngineEndpointFile.delete(path);
        server.close();
        connections.forEach(Chdb::close);
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                fail("unexpected argument " + a);
            }
            String key = a.substring(2);
            int eq = key.indexOf('=');
            if (eq >= 0) {
                opts.put(key.substring(0, eq), key.substring(eq + 1));
            } else if (key.equals("watch-stdin")) {
                opts.put(key, "true");
            } else if (i + 1 < args.length) {
                opts.put(key, args[++i]);
            } else {
                fail("missing value for " + a);
            }
        }
        return opts;
    }

    private static String require(Map<String, String> opts, String key) {
        String v = opts.get(key);
        if (v == null) {
            fail("missing --" + key + " (usage: --library libchdb.so --path DIR [--host H] --port N --connections N [--watch-stdin])");
        }
        return v;
    }

    private static void fail(String message) {
        System.err.println("engine: " + message);
        System.exit(2);
    }
}
