package io.github.eventsstats.embedded;

/** The embedded engine cannot be started; the message says why and what to do. */
public class EngineUnavailableException extends RuntimeException {
    public EngineUnavailableException(String message) {
        super(message, null, false, false); // the message says it all; a stack trace would bury it
    }

    public EngineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
