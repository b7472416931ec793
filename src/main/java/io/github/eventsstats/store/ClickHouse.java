package io.github.eventsstats.store;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.command.CommandSettings;
import com.clickhouse.client.api.query.GenericRecord;
import com.clickhouse.client.api.query.QuerySettings;
import io.quarkus.runtime.ImageMode;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The process's one ClickHouse client (client-v2 over HTTP), pointed at the {@link ClickHouseEndpoint}
 * (CLICKHOUSE_URL or the embedded engine). It is built on first use, which is when an embedded
 * engine starts. Calls here block; {@link #async(Supplier)} moves them off the event loop.
 */
@ApplicationScoped
public class ClickHouse {

    private final ClickHouseConfig config;
    private final ClickHouseEndpoint target;
    private final ExecutorService blocking = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("clickhouse-", 0).factory());
    private volatile Client client;
    private volatile String endpoint;

    public ClickHouse(ClickHouseConfig config, ClickHouseEndpoint target) {
        this.config = config;
        this.target = target;
    }

    public Client client() {
        Client c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    client = build();
                }
                c = client;
            }
        }
        return c;
    }

    private Client build() {
        String url = target.url();
        endpoint = url;
        Client.Builder builder = new Client.Builder();
        if (config.cluster().filter(c -> !c.isBlank()).isPresent()) {
            // Inserts into Distributed tables reach the shards before they return, so an insert's
            // dedup token is checked by the shard's replicated table and a retry is a no-op there.
            builder.serverSetting("distributed_foreground_insert", "1");
        }
        return builder
                .addEndpoint(url)
                .setUsername(config.user())
                .setPassword(config.password().orElse(""))
                .setDefaultDatabase(config.database())
                .setClientName("github-events-stats")
                .setSocketTimeout(config.socketTimeout().toMillis(), ChronoUnit.MILLIS)
                .setConnectTimeout(5, ChronoUnit.SECONDS)
                // The embedded engine answers uncompressed; a real server gets ClickHouse's LZ4 framing.
                .compressServerResponse(!target.embedded())
                // lz4-java's JNI codec is a library inside its jar, which a native image does not carry.
                .disableNativeCompression(ImageMode.current() == ImageMode.NATIVE_RUN)
                .build();
    }

    /** The endpoint in use, without credentials; connects first if need be. */
    public String endpoint() {
        client();
        return endpoint;
    }

    /** The endpoint, once the client exists; empty before, and asking never connects. */
    public Optional<String> connectedEndpoint() {
        return client == null ? Optional.empty() : Optional.ofNullable(endpoint);
    }

    public String database() {
        return config.database();
    }

    public boolean ping() {
        try {
            return client().ping(2_000);
        } catch (RuntimeException e) {
            return false;
        }
    }

    public List<GenericRecord> query(String sql, Map<String, Object> params) {
        try {
            return client().queryAll(sql, params, new QuerySettings());
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    public void execute(String sql) {
        execute(sql, new CommandSettings());
    }

    public void execute(String sql, CommandSettings settings) {
        try (var response = await(client().execute(sql, settings))) {
            response.getWrittenRows();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new ClickHouseUnavailableException(e.getMessage(), e);
        }
    }

    /**
     * The client wraps what the server said in a ClientException; callers want the
     * {@link ServerException} (with its code), or else to know the server could not be reached.
     */
    static RuntimeException translate(RuntimeException e) {
        if (e instanceof ClickHouseUnavailableException) {
            return e; // already says what is wrong (an engine that cannot start, say), and whether to retry
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ServerException se) {
                return se;
            }
            if (t instanceof java.io.IOException) {
                return new ClickHouseUnavailableException("ClickHouse is unreachable: " + t.getMessage(), e);
            }
        }
        return e;
    }

    /** Runs a blocking ClickHouse call on a virtual thread and completes on it. */
    public <T> Uni<T> async(Supplier<T> call) {
        return Uni.createFrom().item(call).runSubscriptionOn(blocking);
    }

    public static <T> T await(java.util.concurrent.CompletableFuture<T> future) {
        try {
            return future.get(5, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw translate(re);
            }
            throw new ClickHouseUnavailableException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new ClickHouseUnavailableException("ClickHouse call timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClickHouseUnavailableException("interrupted", e);
        }
    }

    private static final java.time.format.DateTimeFormatter DATE_TIME =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(java.time.ZoneOffset.UTC);

    /** An instant as a {@code DateTime('UTC')} parameter value. */
    public static String dateTime(java.time.Instant instant) {
        return DATE_TIME.format(instant);
    }

    @PreDestroy
    void close() {
        blocking.shutdown();
        Client c = client;
        if (c != null) {
            c.close();
        }
    }
}
