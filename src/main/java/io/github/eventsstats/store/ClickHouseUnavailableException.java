package io.github.eventsstats.store;

/** ClickHouse could not answer: unreachable, timed out, or failed for a reason not of the caller's making. */
public class ClickHouseUnavailableException extends RuntimeException {
    public ClickHouseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
