package io.github.eventsstats.clickhouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.CompressionMethod;
import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.command.CommandSettings;
import com.clickhouse.client.api.query.GenericRecord;
import com.clickhouse.client.api.query.QuerySettings;
import io.quarkus.runtime.ImageMode;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The process's ClickHouse clients (client-v2 over HTTP, ClickHouse's LZ4 transport both ways),
 * pointed at the {@link ClickHouseEndpoint} (CLICKHOUSE_URL or the embedded engine). They are
 * built on first use, which is when an embedded engine starts. Calls here block;
 * {@link #async(Supplier)} moves the API's off the event loop.
 *
 * <p>Two lanes: the API's queries ({@link #async}) are bounded by {@link ApiQueryConfig}; health
 * probes ({@link #ping}) and the ingest writer ({@link #reservedClient}, {@link #reservedQuery})
 * have a client, and so a connection pool, of their own, marked with {@link #LANE_HEADER} so the
 * embedded engine runs them on its reserved connection. A ClickHouse server ignores the header.
 */
@ApplicationScoped
public class ClickHouse {

    /** The request header (value {@code reserved}) the embedded engine's reserved lane answers to. */
    public static final String LANE_HEADER = "X-Events-Stats-Lane";
    /** API_MAX_RUNNING_QUERIES when unset and ClickHouse is a server. */
    private static final int SERVER_RUNNING_QUERIES = 8;
    /** Set while an API query runs: its deadline for ClickHouse. */
    private static final ScopedValue<Duration> API_TIMEOUT = ScopedValue.newInstance();

    private final ClickHouseConfig config;
    private final ClickHouseEndpoint target;
    private final ApiQueryConfig limits;
    private final Semaphore running;
    private final AtomicInteger admitted = new AtomicInteger();
    private final int maxAdmitted;
    private final ExecutorService blocking = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("clickhouse-", 0).factory());
    private volatile Client client;
    private volatile Client reservedClient;
    private volatile String endpoint;

    public ClickHouse(ClickHouseConfig config, ClickHouseEndpoint target, ApiQueryConfig limits) {
        this.config = config;
        this.target = target;
        this.limits = limits;
        int runningQueries = limits.maxRunningQueries()
                .orElse(target.embedded() ? config.embedded().connectionCount() : SERVER_RUNNING_QUERIES);
        this.running = new Semaphore(Math.max(1, runningQueries), true);
        this.maxAdmitted = Math.max(1, runningQueries) + Math.max(0, limits.maxQueuedQueries());
    }

    public Client client() {
        Client c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    client = build(false);
                }
                c = client;
            }
        }
        return c;
    }

    /** The client of health probes and the ingest writer: never queued behind the API's queries. */
    public Client reservedClient() {
        Client c = reservedClient;
        if (c == null) {
            client(); // the shared one first: building it starts an embedded engine
            synchronized (this) {
                if (reservedClient == null) {
                    reservedClient = build(true);
                }
                c = reservedClient;
            }
        }
        return c;
    }

    private Client build(boolean reserved) {
        ClickHouseEndpoint.Target to = target.target();
        String url = to.url();
        endpoint = url;
        Client.Builder builder = new Client.Builder();
        if (reserved) {
            builder.httpHeader(LANE_HEADER, "reserved");
        } else {
            // Enough HTTP connections for every API query that may run, beside schema work and the like.
            builder.setMaxConnections(Math.max(10, running.availablePermits() + 2));
        }
        if (config.cluster().filter(c -> !c.isBlank()).isPresent()) {
            // Inserts into Distributed tables reach the shards before they return, so an insert's
            // dedup token is checked by the shard's replicated table and a retry is a no-op there.
            builder.serverSetting("distributed_foreground_insert", "1");
        }
        return builder
                .addEndpoint(url)
                .setUsername(to.user())
                .setPassword(to.password())
                .setDefaultDatabase(config.database())
                .setClientName("github-events-stats")
                .setSocketTimeout(config.socketTimeout().toMillis(), ChronoUnit.MILLIS)
                .setConnectTimeout(5, ChronoUnit.SECONDS)
                // ClickHouse's LZ4 transport both ways, from a server and from the embedded engine alike
                // (the client would compress requests with ZSTD, which the embedded engine does not read).
                .compressServerResponse(true)
                .compressClientRequest(true)
                .compressionMethod(CompressionMethod.LZ4)
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
            return reservedClient().ping(2_000);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Runs a query and reads its rows. Within {@link #async} ClickHouse cancels it once
     * API_QUERY_TIMEOUT has passed.
     */
    public List<GenericRecord> query(String sql, Map<String, Object> params) {
        QuerySettings settings = new QuerySettings();
        if (API_TIMEOUT.isBound()) {
            settings.serverSetting("max_execution_time", seconds(API_TIMEOUT.get()));
        }
        return query(client(), sql, params, settings);
    }

    /** {@link #query} on the reserved lane, for the ingest writer and health probes. */
    public List<GenericRecord> reservedQuery(String sql, Map<String, Object> params) {
        return query(reservedClient(), sql, params, new QuerySettings());
    }

    private static List<GenericRecord> query(Client client, String sql, Map<String, Object> params,
                                             QuerySettings settings) {
        try {
            return client.queryAll(sql, params, settings);
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    /** A duration as ClickHouse's seconds setting, to the millisecond. */
    static String seconds(Duration d) {
        return java.math.BigDecimal.valueOf(Math.max(1, d.toMillis()), 3).stripTrailingZeros().toPlainString();
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

    /**
     * Runs an API call to ClickHouse on a virtual thread and completes on it: at most
     * API_MAX_RUNNING_QUERIES at once, and API_MAX_QUEUED_QUERIES waiting for them; one more fails at
     * once with {@link ClickHouseOverloadedException}, as does one that waited API_QUERY_TIMEOUT.
     */
    public <T> Uni<T> async(Supplier<T> call) {
        return Uni.createFrom().item(() -> {
            if (admitted.incrementAndGet() > maxAdmitted) {
                admitted.decrementAndGet();
                throw new ClickHouseOverloadedException("too many queries are waiting for ClickHouse ("
                        + limits.maxQueuedQueries() + ", API_MAX_QUEUED_QUERIES)");
            }
            try {
                return runLimited(call);
            } finally {
                admitted.decrementAndGet();
            }
        }).runSubscriptionOn(blocking);
    }

    private <T> T runLimited(Supplier<T> call) {
        Duration timeout = limits.queryTimeout();
        long start = System.nanoTime();
        try {
            if (!running.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new ClickHouseOverloadedException("no ClickHouse connection became free within "
                        + timeout + " (API_QUERY_TIMEOUT)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClickHouseUnavailableException("interrupted while waiting for ClickHouse", e);
        }
        try {
            Duration left = timeout.minusNanos(System.nanoTime() - start);
            return ScopedValue.where(API_TIMEOUT, left.isNegative() ? Duration.ofMillis(1) : left).call(call::get);
        } finally {
            running.release();
        }
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
        for (Client c : new Client[] {client, reservedClient}) {
            if (c != null) {
                c.close();
            }
        }
    }
}
