package io.github.eventsstats.clickhouse;

/** ClickHouse could not answer: unreachable, timed out, or failed for a reason not of the caller's making. */
public class ClickHouseUnavailableException extends RuntimeException {

    private final boolean retryable;

    public ClickHouseUnavailableException(String message, Throwable cause) {
        super(message, cause);
        this.retryable = true;
    }

    private ClickHouseUnavailableException(String message, Throwable cause, boolean retryable) {
        super(message, cause);
        this.retryable = retryable;
    }

    /**
     * ClickHouse cannot be had at all, and trying again will not change that (the embedded engine
     * cannot start: no library, its data directory locked by another process); the message says
     * what to do.
     */
    public static ClickHouseUnavailableException permanent(String message, Throwable cause) {
        return new ClickHouseUnavailableException(message, cause, false);
    }

    /** False when only a person can fix the cause; then retrying is pointless. */
    public boolean retryable() {
        return retryable;
    }
}
