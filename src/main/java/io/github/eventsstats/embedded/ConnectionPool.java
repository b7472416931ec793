package io.github.eventsstats.embedded;

import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * The engine's connections to one data path. Their queries run in parallel; a request holds one
 * for its duration, since a connection runs one query at a time. The last {@code reserved} ones
 * are only for the reserved lane (health probes, the ingest writer), so those never wait behind
 * a queue of API queries.
 */
final class ConnectionPool {

    private static final Pattern SETTING_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final int UNKNOWN_SETTING = 115;

    /**
     * One chDB connection and the session state a request set on it. The database and settings a
     * request asks for are set here and undone before the next request gets the connection.
     */
    static final class Connection {
        private final Chdb chdb;
        private final boolean reserved;
        private String currentDatabase = "default";

        private Connection(Chdb chdb, boolean reserved) {
            this.chdb = chdb;
            this.reserved = reserved;
        }

        /**
         * Switches to {@code database} (null: {@code default}, not the last request's one) and applies a
         * request's settings; returns the engine's error, or null.
         */
        String prepare(String database, Map<String, String> settings) {
            String error = useDatabase(database == null ? "default" : database);
            if (error != null) {
                return error;
            }
            for (Map.Entry<String, String> s : settings.entrySet()) {
                if (!SETTING_NAME.matcher(s.getKey()).matches()) {
                    return "Code: " + UNKNOWN_SETTING + ". DB::Exception: Setting " + s.getKey()
                            + " is neither a builtin setting nor started with a known prefix. (UNKNOWN_SETTING)";
                }
                error = run("SET " + s.getKey() + " = '" + escapeLiteral(s.getValue()) + "'");
                if (error != null) {
                    return error;
                }
            }
            return null;
        }

        /** Settings from URL parameters belong to one request, not to the shared connection. */
        void reset(Map<String, String> settings) {
            for (String name : settings.keySet()) {
                if (SETTING_NAME.matcher(name).matches()) {
                    run("SET " + name + " = DEFAULT");
                }
            }
        }

        /** The caller must {@link #free(Chdb.Result)} the result. */
        Chdb.Result query(byte[] sql, String format, List<String[]> params) {
            return chdb.query(sql, format, params);
        }

        /** {@link #query} with parameter values as bytes, in the engine's escaped form. */
        Chdb.Result query(byte[] sql, String format, byte[][] paramNames, byte[][] paramValues) {
            return chdb.query(sql, format, paramNames, paramValues);
        }

        void free(Chdb.Result result) {
            chdb.free(result);
        }

        /** One value, as text. */
        String scalar(String sql) {
            Chdb.Result r = query(sql.getBytes(StandardCharsets.UTF_8), "TabSeparated", List.of());
            try {
                if (r.error() != null) {
                    throw new IllegalStateException(r.error());
                }
                return new String(r.output().toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8).trim();
            } finally {
                free(r);
            }
        }

        private String useDatabase(String database) {
            if (database.equals(currentDatabase)) {
                return null;
            }
            String error = run("USE `" + database.replace("\\", "\\\\").replace("`", "\\`") + "`");
            if (error == null) {
                currentDatabase = database;
            }
            return error;
        }

        private String run(String sql) {
            Chdb.Result r = query(sql.getBytes(StandardCharsets.UTF_8), "TabSeparated", List.of());
            try {
                return r.error();
            } finally {
                free(r);
            }
        }

        private static String escapeLiteral(String value) {
            return value.replace("\\", "\\\\").replace("'", "\\'");
        }
    }

    private final List<Connection> connections;
    private final BlockingQueue<Connection> idle;
    private final BlockingQueue<Connection> reservedIdle;
    private final int reserved;

    /** @param reserved how many of the connections, the last ones, only requests of the reserved lane take */
    ConnectionPool(List<Chdb> connections, int reserved) {
        if (reserved < 0 || reserved >= connections.size()) {
            throw new IllegalArgumentException("reserved connections must leave one for everyone: "
                    + reserved + " of " + connections.size());
        }
        int shared = connections.size() - reserved;
        this.connections = IntStream.range(0, connections.size())
                .mapToObj(i -> new Connection(connections.get(i), i >= shared)).toList();
        this.idle = new ArrayBlockingQueue<>(shared, true, this.connections.subList(0, shared));
        this.reservedIdle = new ArrayBlockingQueue<>(Math.max(1, reserved), true,
                this.connections.subList(shared, connections.size()));
        this.reserved = reserved;
    }

    /** A connection no request holds: for a query at start-up, before any request comes. */
    Connection first() {
        return connections.getFirst();
    }

    /**
     * A connection for one request, or null when none became free in {@code waitNanos} (0: no bound). The
     * reserved lane takes its own connection, or a shared one that is idle at this moment, and waits only
     * for its own; every other request waits for a shared one.
     */
    Connection acquire(boolean reservedLane, long waitNanos) throws InterruptedException {
        if (!reservedLane || reserved == 0) {
            return waitNanos > 0 ? idle.poll(waitNanos, TimeUnit.NANOSECONDS) : idle.take();
        }
        Connection c = reservedIdle.poll();
        if (c == null) {
            c = idle.poll();
        }
        return c != null ? c : reservedIdle.take();
    }

    void release(Connection c) {
        (c.reserved ? reservedIdle : idle).add(c);
    }

    /** Waits until every connection is back (each at most {@code timeout}), so none is in use after. */
    void awaitIdle(Duration timeout) throws InterruptedException {
        for (int i = 0; i < connections.size() - reserved; i++) {
            idle.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        for (int i = 0; i < reserved; i++) {
            reservedIdle.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
    }
}
