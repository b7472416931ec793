package io.github.eventsstats.clickhouse;

/** The API's share of ClickHouse is taken (API_MAX_QUEUED_QUERIES): the caller should try again shortly. */
public class ClickHouseOverloadedException extends RuntimeException {

    public ClickHouseOverloadedException(String message) {
        super(message);
    }
}
