package io.github.eventsstats.clickhouse;

/**
 * Where {@link ClickHouse} connects, and as whom. Another package produces it (the embedded engine, or
 * CLICKHOUSE_URL), so this package never needs to know how an engine is run.
 */
public interface ClickHouseEndpoint {

    /**
     * The HTTP URL and the credentials it takes. For the embedded engine the first call starts it, so the
     * client asks only when it is first built; an engine that cannot start throws a
     * {@link ClickHouseUnavailableException} that is not {@linkplain ClickHouseUnavailableException#retryable() retryable}.
     */
    Target target();

    /** The local embedded engine: its connections are how many API queries run at once. */
    boolean embedded();

    /**
     * A URL without credentials, and the user and password it takes: CLICKHOUSE_USER and CLICKHOUSE_PASSWORD
     * for a server, the engine's own for the embedded one. The password is never in {@link #toString()}.
     */
    record Target(String url, String user, String password) {
        @Override
        public String toString() {
            return user + "@" + url;
        }
    }

    /** A ClickHouse server at a fixed URL. */
    record Server(Target target) implements ClickHouseEndpoint {
        @Override
        public boolean embedded() {
            return false;
        }
    }
}
