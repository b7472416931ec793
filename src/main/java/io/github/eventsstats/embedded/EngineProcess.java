package io.github.eventsstats.embedded;

import com.clickhouse.client.api.internal.CompressedBlockInputStream;
import com.clickhouse.data.ClickHouseCityHash;
import io.github.eventsstats.clickhouse.ClickHouseEndpoint;
import io.github.eventsstats.platform.Backoff;
import net.jpountz.lz4.LZ4Factory;
import org.jboss.logging.Logger;
import picocli.CommandLine;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Starts the embedded engine ({@link EngineMain}) in a process of its own and keeps it running.
 *
 * <p>The child gets a pipe as stdin and exits when it closes, so it dies with this JVM whatever
 * kills it. Its first line is the engine's password, made here once and kept across restarts (the
 * clients built with it go on working), never in the child's arguments, which any local user can
 * list. When the child dies while we still need it, it is restarted on the same port, with capped
 * exponential backoff.
 */
public final class EngineProcess implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EngineProcess.class);
    /** Between restarts after failures in a row: 0.5 s, doubling, at most 30 s. */
    private static final Backoff RESTARTS = Backoff.doubling(Duration.ofMillis(500), Duration.ofSeconds(30));
    private static final Duration STABLE_AFTER = Duration.ofSeconds(60);
    /**
     * The classes the engine process runs, each standing for its jar: ours (EngineMain and all it uses),
     * picocli for its arguments, and clickhouse-java's compressed transport with the libraries that loads.
     */
    static final List<Class<?>> ENGINE_CLASSES = List.of(EngineMain.class, CommandLine.class,
            CompressedBlockInputStream.class, ClickHouseCityHash.class, LZ4Factory.class, org.slf4j.Logger.class);

    /**
     * {@code connections}: the engine's connections, how many queries it runs at once; {@code user}: the user
     * its requests name, with the password this process makes.
     */
    public record Options(Path library, Path dataPath, int port, int connections, String user, Duration startTimeout) {
    }

    private final Options options;
    private final ScheduledExecutorService restarts = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "engine-supervisor");
        t.setDaemon(true);
        return t;
    });
    private final EngineMain.Options engine;
    private final String classPath;
    private final String password = EngineAccess.newPassword();
    private volatile Process process;
    private volatile boolean closing;
    private volatile long startedAtNanos;
    private volatile int failures;
    private volatile long restartCount;

    public EngineProcess(Options options) {
        this.options = options;
        if (!Files.isReadable(options.library())) {
            throw new EngineUnavailableException("libchdb.so not found at " + options.library()
                    + "; run scripts/fetch-chdb.sh (or set CHDB_LIBRARY to the library's path)");
        }
        int port = options.port() > 0 ? options.port() : freePort(); // kept for restarts
        try {
            this.engine = new EngineMain.Options(options.library(), options.dataPath().toAbsolutePath(), port,
                    options.connections(), options.user(), true);
        } catch (IllegalArgumentException e) {
            throw new EngineUnavailableException(e.getMessage());
        }
        this.classPath = classPath();
    }

    /** Starts the engine and waits until it answers. */
    public synchronized void start() {
        process = launch();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port();
    }

    /** Where the engine is, and the user and password it takes. */
    public ClickHouseEndpoint.Target target() {
        return new ClickHouseEndpoint.Target(endpoint(), options.user(), password);
    }

    public int port() {
        return engine.port();
    }

    public boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    public Optional<Long> pid() {
        Process p = process;
        return p == null ? Optional.empty() : Optional.of(p.pid());
    }

    public long restartCount() {
        return restartCount;
    }

    private Process launch() {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-Xms16m", "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Dfile.encoding=UTF-8",
                // The LZ4 transport's classes log through slf4j, whose API alone would warn that it has no logger.
                "-Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider",
                "-cp", classPath, EngineMain.class.getName()));
        cmd.addAll(engine.arguments());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("TZ", "UTC"); // stored DateTime values and the client's decoding agree on UTC
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new EngineUnavailableException("cannot start the embedded engine: " + e.getMessage(), e);
        }
        try {
            // The child reads it before anything else; the pipe stays open after it, for the parent-watch.
            p.getOutputStream().write((password + "\n").getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().flush();
        } catch (IOException e) {
            p.destroyForcibly();
            throw new EngineUnavailableException("cannot hand the embedded engine its password: " + e.getMessage(), e);
        }
        CompletableFuture<Void> ready = new CompletableFuture<>();
        List<String> lastLines = new ArrayList<>();
        Thread pump = new Thread(() -> pumpOutput(p.getInputStream(), ready, lastLines), "engine-output-" + p.pid());
        pump.setDaemon(true);
        pump.start();
        try {
            ready.get(options.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            p.destroyForcibly();
            String tail;
            synchronized (lastLines) {
                tail = String.join(" | ", lastLines);
            }
            throw new EngineUnavailableException(startFailure(tail, options.dataPath()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new EngineUnavailableException("interrupted while starting the embedded engine", e);
        }
        startedAtNanos = System.nanoTime();
        p.onExit().thenAccept(this::onExit);
        LOG.infof("embedded ClickHouse engine up: pid=%d endpoint=%s data=%s", p.pid(), endpoint(), options.dataPath());
        return p;
    }

    /** Why the engine did not start, from its last lines of output. */
    static String startFailure(String tail, Path dataPath) {
        // chDB refuses a second process on one data directory; only a person can fix that, so say how.
        if (tail.contains("Another server instance") || tail.contains("Cannot lock file")) {
            return "the embedded engine's data directory " + dataPath + " is in use by another process that does"
                    + " not share its engine (a service or `engine` command on the same DATA_DIR, or one of an older"
                    + " build); stop it and try again, or point CLICKHOUSE_URL at a ClickHouse server";
        }
        return "the embedded engine did not start: " + tail;
    }

    private static void pumpOutput(InputStream in, CompletableFuture<Void> ready, List<String> lastLines) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith(EngineMain.READY_PREFIX)) {
                    ready.complete(null);
                    continue;
                }
                synchronized (lastLines) {
                    lastLines.add(line);
                    if (lastLines.size() > 5) {
                        lastLines.removeFirst();
                    }
                }
                LOG.debugf("engine: %s", line);
            }
        } catch (IOException ignored) {
            // The stream closes when the child exits.
        }
        ready.completeExceptionally(new IOException("engine exited before it was ready"));
    }

    private void onExit(Process p) {
        if (closing || p != process) {
            return;
        }
        boolean wasStable = System.nanoTime() - startedAtNanos > STABLE_AFTER.toNanos();
        failures = wasStable ? 1 : failures + 1;
        long delayMs = backoff(failures).toMillis();
        LOG.warnf("embedded ClickHouse engine (pid %d) exited with status %d; restarting in %d ms",
                p.pid(), p.exitValue(), delayMs);
        restarts.schedule(this::restart, delayMs, TimeUnit.MILLISECONDS);
    }

    private synchronized void restart() {
        if (closing) {
            return;
        }
        try {
            process = launch();
            restartCount++;
        } catch (RuntimeException e) {
            failures++;
            long delayMs = backoff(failures).toMillis();
            LOG.errorf("embedded ClickHouse engine restart failed (%s); next try in %d ms", e.getMessage(), delayMs);
            restarts.schedule(this::restart, delayMs, TimeUnit.MILLISECONDS);
        }
    }

    /** The wait before the restart after the {@code failures}-th failure in a row ({@link #RESTARTS}). */
    static Duration backoff(int failures) {
        return RESTARTS.after(failures);
    }

    /** Closes the child's stdin so it shuts down cleanly, then makes sure it is gone. */
    @Override
    public synchronized void close() {
        closing = true;
        restarts.shutdownNow();
        Process p = process;
        if (p == null) {
            return;
        }
        try {
            p.getOutputStream().close();
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroy();
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        } catch (IOException e) {
            p.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port for the embedded engine", e);
        }
    }

    /**
     * The engine process's class path: where this JVM loaded {@link #ENGINE_CLASSES} from, a jar or a class
     * directory each. Taken from the classes, not named as files, because they sit in different places in
     * each way the service runs: target/classes and ~/.m2 under Maven (tests, dev mode), app/ and lib/main/
     * in quarkus-app (where this JVM's own class path is quarkus-run.jar alone), one jar in an uber-jar.
     * Not the service's whole class path: the child opens a few jars, not two hundred.
     */
    static String classPath() {
        return ENGINE_CLASSES.stream().map(EngineProcess::location).distinct()
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static String location(Class<?> c) {
        CodeSource source = c.getProtectionDomain().getCodeSource();
        URL url = source == null ? null : source.getLocation();
        try {
            if (url != null) {
                return Path.of(url.toURI()).toString();
            }
        } catch (URISyntaxException | IllegalArgumentException | FileSystemNotFoundException e) {
            // not a file: said below
        }
        throw new EngineUnavailableException("the embedded engine runs " + c.getName() + " from a jar or a class"
                + " directory, and it was loaded from " + (url == null ? "nowhere known" : url));
    }
}
