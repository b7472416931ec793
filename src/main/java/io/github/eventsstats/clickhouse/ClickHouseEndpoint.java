package io.github.eventsstats.clickhouse;

/**
 * Where {@link ClickHouse} connects. Another package produces it (the embedded engine, or
 * CLICKHOUSE_URL), so this package never needs to know how an engine is run.
 */
public interface ClickHouseEndpoint {

    /**
     * The HTTP URL, without credentials. For the embedded engine the first call starts it, so the
     * client asks only when it is first built; an engine that cannot start throws a
     * {@link ClickHouseUnavailableException} that is not {@linkplain ClickHouseUnavailableException#retryable() retryable}.
     */
    String url();

    /** The local embedded engine: its connections are how many API queries run at once. */
    boolean embedded();

    /** A ClickHouse server at a fixed URL. */
    record Server(String url) implements ClickHouseEndpoint {
        @Override
        public boolean embedded() {
            return false;
        }
    }
}
