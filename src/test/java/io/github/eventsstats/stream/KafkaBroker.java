package io.github.eventsstats.stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A real Apache Kafka broker for the tests: one KRaft node (broker and controller) from
 * {@code org.apache.kafka:kafka_2.13} (a test dependency), run as a child JVM on the tests' class path,
 * on free loopback ports, its data in a directory of its own. Started with {@code StorageTool format}
 * then {@code kafka.Kafka server.properties}, awaited until its cluster answers, stopped by its
 * process id (SIGTERM, a controlled shutdown; or SIGKILL). docs/design/kafka.md describes it.
 */
public final class KafkaBroker implements AutoCloseable {

    private static KafkaBroker shared;

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final List<String> jvmOptions;
    private Process process;

    /** The tests' JVM options: a small heap and quick start, not the broker's speed (the JIT's C1 only). */
    public static final List<String> TEST_JVM = List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private KafkaBroker(Path dir, List<String> jvmOptions) {
        this.dir = dir;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.port = freePort();
        this.controllerPort = freePort();
    }

    /** The broker the tests share, started once per test JVM and stopped when it exits. */
    public static synchronized KafkaBroker shared() {
        if (shared == null) {
            shared = start(Path.of("target", "kafka-broker"));
            KafkaBroker b = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(b::kill));
        }
        return shared;
    }

    /** A broker in {@code dir} (emptied first), formatted and started; returns once it answers. */
    public static KafkaBroker start(Path dir) {
        return start(dir, TEST_JVM);
    }

    /** As {@link #start(Path)}, the broker's JVM run with {@code jvmOptions} (a benchmark's). */
    public static KafkaBroker start(Path dir, List<String> jvmOptions) {
        deleteTree(dir);
        KafkaBroker b = new KafkaBroker(dir, jvmOptions);
        b.format();
        b.restart();
        return b;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    private void format() {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("server.properties"), String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                    "controller.listener.names=CONTROLLER",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "log.dirs=" + dir.resolve("data").toAbsolutePath(),
                    "num.partitions=1",
                    "offsets.topic.replication.factor=1",
                    "offsets.topic.num.partitions=1",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    "group.min.session.timeout.ms=1000",
                    "") + "\n");
            Process f = java("kafka.tools.StorageTool", "format", "-t", "github-events-stats-t",
                    "-c", dir.resolve("server.properties").toString()).start();
            if (!f.waitFor(2, TimeUnit.MINUTES) || f.exitValue() != 0) {
                f.destroyForcibly();
                throw new IllegalStateException("kafka storage format failed: " + Files.readString(dir.resolve("format.log")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private ProcessBuilder java(String main, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-cp", System.getProperty("java.class.path"), main));
        cmd.addAll(List.of(args));
        String log = main.endsWith("StorageTool") ? "format.log" : "broker.log";
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(log).toFile()));
    }

    /** Starts the broker on its data (again, after {@link #stop} or {@link #kill}); returns once it answers. */
    public synchronized void restart() {
        try {
            process = java("kafka.Kafka", dir.resolve("server.properties").toString()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process p = process;
        await("the Kafka broker at " + bootstrapServers()).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> {
                    if (!p.isAlive()) {
                        throw new AssertionError("the broker exited: " + Files.readString(dir.resolve("broker.log")));
                    }
                    try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                        s.isConnected(); // listening: now the cluster's answer (before it, the client would warn on every try)
                    }
                    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000))) {
                        return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
                    }
                });
    }

    /** SIGTERM by process id: a controlled shutdown; returns once the process is gone. */
    public synchronized void stop() {
        end(false);
    }

    /** SIGKILL by process id. */
    public synchronized void kill() {
        end(true);
    }

    private void end(boolean force) {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        ProcessHandle h = ProcessHandle.of(p.pid()).orElseThrow();
        if (force) {
            h.destroyForcibly();
        } else {
            h.destroy();
        }
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                h.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** A free loopback port (the tests' processes bind it next). */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
