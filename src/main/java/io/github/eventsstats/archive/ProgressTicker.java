package io.github.eventsstats.archive;

import org.jboss.logging.Logger;

import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * Shows a long job's progress line: rewritten in place on a terminal every half second, else
 * logged every 10 s.
 */
public final class ProgressTicker implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ProgressTicker.class);
    private static final long TERMINAL_EVERY_MS = 500;
    private static final long LOG_EVERY_MS = 10_000;

    private final PrintStream terminal;
    private final Thread ticker;

    /** @param terminal where to draw the in-place line, or null for periodic log lines */
    ProgressTicker(Supplier<String> line, PrintStream terminal) {
        this.terminal = terminal;
        long every = terminal != null ? TERMINAL_EVERY_MS : LOG_EVERY_MS;
        this.ticker = Thread.ofPlatform().name("archive-progress").daemon().start(() -> tick(line, every));
    }

    /** The terminal to draw on, when standard error is one. */
    public static PrintStream terminalOrNull() {
        var console = System.console();
        return console != null && console.isTerminal() ? System.err : null;
    }

    private void tick(Supplier<String> line, long everyMs) {
        try {
            while (true) {
                Thread.sleep(everyMs);
                if (terminal != null) {
                    terminal.print("\r" + line.get() + "   ");
                    terminal.flush();
                } else {
                    LOG.info(line.get());
                }
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    @Override
    public void close() {
        ticker.interrupt();
        try {
            ticker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (terminal != null) {
            terminal.print("\r" + " ".repeat(120) + "\r");
            terminal.flush();
        }
    }
}
