package io.github.eventsstats.embedded;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The part of the ClickHouse HTTP interface that clickhouse-java and curl use, answered by chDB on
 * 127.0.0.1: {@code /ping}, and queries on {@code /}. A request is let in ({@link EngineAccess}: its
 * origin, host and credentials), decoded ({@link EngineRequest}), its statement admitted
 * ({@link StatementGate}), run on a connection of the {@link ConnectionPool}, and its answer encoded as
 * a server's ({@link EngineResponse}).
 */
final class EngineServer implements AutoCloseable {

    private static final int TIMEOUT_EXCEEDED = 159;

    private final ConnectionPool pool;
    private final StatementGate gate = new StatementGate();
    private final HttpServer server;
    private final ExecutorService executor;
    private final String timezone;
    private final String version;
    private volatile EngineAccess access;
    private final String user;
    private final String password;

    /**
     * @param connections the engine's connections to one data path (see {@link ConnectionPool})
     * @param reserved    how many of them, the last ones, only requests of the reserved lane take
     * @param user        the user every request must name, with {@code password}
     */
    EngineServer(List<Chdb> connections, int reserved, int port, String user, String password) throws IOException {
        this.user = user;
        this.password = password;
        this.pool = new ConnectionPool(connections, reserved);
        // A thread per request: one waiting for a connection must not hold up a ping or a reserved-lane
        // request behind it. How many API queries wait is bounded by the service, not here.
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "engine-http");
            t.setDaemon(true);
            return t;
        });
        this.timezone = pool.first().scalar("SELECT timezone()");
        this.version = pool.first().scalar("SELECT version()");
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
    }

    void start() {
        access = new EngineAccess(user, password, port());
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String version() {
        return version;
    }

    /** Stops taking requests and waits for the running queries, so every connection is idle. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
            pool.awaitIdle(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            Map<String, String> params = EngineRequest.parseQueryString(exchange.getRequestURI().getRawQuery());
            String refusal = access.refusal(exchange.getRequestHeaders());
            if (refusal != null) {
                EngineResponse.error(exchange, 403, StatementGate.ACCESS_DENIED, refusal);
            } else if (path.equals("/ping") || (path.equals("/") && method.equals("GET") && !params.containsKey("query"))) {
                EngineResponse.text(exchange, 200, "Ok.\n");
            } else if (!path.equals("/")) {
                EngineResponse.error(exchange, 404, EngineRequest.BAD_ARGUMENTS, "There is no handle "
                        + EngineResponse.printable(path) + ". Use / for queries and /ping for health.");
            } else if (!method.equals("GET") && !method.equals("POST")) {
                EngineResponse.error(exchange, 405, EngineRequest.BAD_ARGUMENTS,
                        "HTTP method " + EngineResponse.printable(method) + " is not supported");
            } else if (!access.admits(exchange.getRequestHeaders())) {
                // Before the body is read: without the password nothing of the request costs the engine anything.
                EngineResponse.error(exchange, 401, EngineAccess.AUTHENTICATION_FAILED, access.authenticationFailed());
            } else {
                try {
                    execute(exchange, EngineRequest.decode(exchange, params));
                } catch (EngineRequest.Invalid e) {
                    EngineResponse.error(exchange, e.status, e.code, e.getMessage());
                }
            }
        } catch (RuntimeException e) {
            System.err.println("engine: request failed: " + e);
        }
    }

    private void execute(HttpExchange exchange, EngineRequest request) throws IOException {
        EngineResponse.queryHeaders(exchange, request, timezone);
        ConnectionPool.Connection c;
        try {
            c = pool.acquire(request.reservedLane(), request.waitNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            EngineResponse.error(exchange, 503, 1000, "the engine is shutting down");
            return;
        }
        if (c == null) {
            EngineResponse.error(exchange, 500, TIMEOUT_EXCEEDED, "Timeout exceeded: the query waited its"
                    + " max_execution_time for a free engine connection. (TIMEOUT_EXCEEDED)");
            return;
        }
        try {
            run(exchange, request, c);
        } finally {
            pool.release(c);
        }
    }

    private void run(HttpExchange exchange, EngineRequest request, ConnectionPool.Connection c) throws IOException {
        StatementGate.Statement statement;
        try {
            statement = gate.admit(c, request);
        } catch (EngineRequest.Invalid e) {
            EngineResponse.error(exchange, e.status, e.code, e.getMessage());
            return;
        }
        try (statement) {
            String error = c.prepare(request.database(), request.settings());
            if (error != null) {
                c.reset(request.settings());
                EngineResponse.engineError(exchange, error);
                return;
            }
            Chdb.Result result = c.query(statement.sql(), request.format(), request.params());
            try {
                c.reset(request.settings());
                if (result.error() != null) {
                    EngineResponse.engineError(exchange, result.error());
                } else {
                    EngineResponse.result(exchange, request, result);
                }
            } finally {
                c.free(result);
            }
        }
    }
}
