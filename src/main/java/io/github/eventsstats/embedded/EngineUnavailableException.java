package io.github.eventsstats.embedded;

/**
 * The embedded engine cannot be started; the message says why and what to do. It stays in this
 * package: {@link EmbeddedClickHouse} hands it on as a ClickHouseUnavailableException.
 */
class EngineUnavailableException extends RuntimeException {
    EngineUnavailableException(String message) {
        super(message, null, false, false); // the message says it all; a stack trace would bury it
    }

    EngineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
