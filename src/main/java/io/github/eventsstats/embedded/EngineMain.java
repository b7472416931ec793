package io.github.eventsstats.embedded;

import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The embedded ClickHouse engine: chDB behind a ClickHouse HTTP front on 127.0.0.1. It runs in a
 * process of its own ({@link EngineProcess} starts {@link #main} with {@link Options#arguments()}),
 * or in this JVM for the {@code engine} command ({@link #serve}).
 *
 * <p>Prints {@code READY port=N} on stdout once it answers. Every request must carry its user and
 * password ({@link EngineAccess}); in a process of its own it reads the password from the first line
 * of its standard input, never from its arguments, which any local user can list. With
 * {@code watchStdin} it then exits when its standard input reaches end of file, which the kernel
 * guarantees when the parent dies for any reason (kill -9 included), so the engine never outlives
 * the service.
 */
public final class EngineMain {

    public static final String READY_PREFIX = "READY port=";
    /** Connections beyond {@link Options#connections()} for the reserved lane (health probes, the ingest writer). */
    static final int RESERVED_CONNECTIONS = 1;

    /**
     * What an engine serves, and how.
     *
     * @param port        its HTTP port; 0 picks a free one
     * @param connections how many queries it runs at once, beside the reserved lane's
     * @param user        the user every request names (its password is not an option: see {@link #serve})
     * @param watchStdin  exit when standard input ends (the parent process is gone)
     */
    public record Options(Path library, Path dataPath, int port, int connections, String user, boolean watchStdin) {
        public Options {
            if (connections < 1) {
                throw new IllegalArgumentException("the engine's connections must be at least 1; got " + connections);
            }
        }

        /** The engine process's arguments, which {@link #parse} reads back (each {@code --name=value}). */
        List<String> arguments() {
            List<String> args = new ArrayList<>(List.of("--library=" + library, "--path=" + dataPath,
                    "--port=" + port, "--connections=" + connections, "--user=" + user));
            if (watchStdin) {
                args.add("--watch-stdin");
            }
            return args;
        }
    }

    /**
     * The engine process's arguments: {@link Options}, as {@link Options#arguments()} writes them. Not one of
     * the service's commands (those are cli/'s {@code @Command}s): only {@link EngineProcess} writes these.
     */
    static final class Line {
        @Option(names = "--library", required = true, paramLabel = "FILE", description = "libchdb.so")
        Path library;
        @Option(names = "--path", required = true, paramLabel = "DIR", description = "The engine's data directory.")
        Path dataPath;
        @Option(names = "--port", required = true, paramLabel = "N", description = "HTTP port on 127.0.0.1; 0: any free one.")
        int port;
        @Option(names = "--connections", required = true, paramLabel = "N", description = "Queries run at once.")
        int connections;
        @Option(names = "--user", required = true, paramLabel = "NAME", description = "The user requests name.")
        String user;
        @Option(names = "--watch-stdin", description = "Exit when standard input ends.")
        boolean watchStdin;
    }

    private EngineMain() {
    }

    static Options parse(String... args) {
        Line line = new Line();
        commandLine(line).parseArgs(args);
        return new Options(line.library, line.dataPath, line.port, line.connections, line.user, line.watchStdin);
    }

    private static CommandLine commandLine(Line line) {
        return new CommandLine(line).setCommandName(EngineMain.class.getName());
    }

    public static void main(String[] args) throws IOException {
        Options options;
        try {
            options = parse(args);
        } catch (ParameterException | IllegalArgumentException e) {
            fail(e.getMessage() + "\n" + commandLine(new Line()).getUsageMessage());
            return;
        }
        String password = readPassword(System.in);
        if (password == null) {
            fail("no password on the first line of standard input");
        }
        serve(options, password);
    }

    /**
     * The first line of {@code in}, read a byte at a time so nothing after it is consumed (the parent-watch
     * reads on); null when the stream ends first or the line is longer than a password is.
     */
    static String readPassword(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0 || line.size() >= 4096) {
                return null;
            }
            line.write(b);
        }
        return line.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Starts the engine and returns its port once it answers; it serves until this JVM exits. Every request
     * must name {@code options.user()} and {@code password}.
     */
    public static int serve(Options options, String password) throws IOException {
        Path library = options.library();
        Path path = options.dataPath();
        if (!Files.isReadable(library)) {
            fail("libchdb.so not found at " + library + "; run scripts/fetch-chdb.sh or set CHDB_LIBRARY");
        }
        Files.createDirectories(path);
        Path config = EngineAccess.writeConfig(path);

        // Connect before any thread of ours exists: the engine rewires signal handlers while connecting.
        List<Chdb> chdb = new ArrayList<>();
        for (int i = 0; i < options.connections() + RESERVED_CONNECTIONS; i++) {
            chdb.add(new Chdb(library, path, config));
        }
        EngineServer server = new EngineServer(chdb, RESERVED_CONNECTIONS, options.port(), options.user(), password);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(server, chdb, path), "engine-shutdown"));
        server.start();
        EngineEndpointFile.write(path, server.port(), options.user(), password);
        System.err.println("engine: ClickHouse " + server.version() + " (chDB) on http://127.0.0.1:" + server.port()
                + " with data in " + path.toAbsolutePath() + ", " + options.connections() + " connection(s) and "
                + RESERVED_CONNECTIONS + " reserved");
        System.out.println(READY_PREFIX + server.port());
        System.out.flush();

        if (options.watchStdin()) {
            Thread watcher = new Thread(() -> {
                try (InputStream in = System.in) {
                    while (in.read() >= 0) {
                        // The parent writes nothing after the password; reading only waits for end of file.
                    }
                } catch (IOException ignored) {
                    // A broken pipe means the parent is gone, as EOF does.
                }
                System.exit(0);
            }, "engine-parent-watch");
            watcher.setDaemon(true);
            watcher.start();
        }
        return server.port();
    }

    private static void shutdown(EngineServer server, List<Chdb> connections, Path path) {
        EngineEndpointFile.delete(path);
        server.close();
        connections.forEach(Chdb::close);
    }

    private static void fail(String message) {
        System.err.println("engine: " + message);
        System.exit(2);
    }
}
