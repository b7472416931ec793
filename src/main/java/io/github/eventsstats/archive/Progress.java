package io.github.eventsstats.archive;

import org.jboss.logging.Logger;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Files done of total, events/s and ETA while a backfill runs: one line rewritten in place on a
 * terminal, a log line every {@link #LOG_EVERY_MS} ms otherwise. The ETA is by bytes, the one
 * measure known for every file before it is read.
 */
final class Progress implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Progress.class);
    private static final long TERMINAL_EVERY_MS = 500;
    private static final long LOG_EVERY_MS = 10_000;

    private final int totalFiles;
    private final long totalBytes;
    private final PrintStream terminal;
    private final long startNanos = System.nanoTime();
    /** File bytes read (or skipped) so far. */
    final AtomicLong bytes = new AtomicLong();
    /** Events read so far. */
    final AtomicLong events = new AtomicLong();
    private volatile int filesDone;
    private final Thread ticker;

    /** @param terminal where to draw the in-place line, or null for periodic log lines */
    Progress(int totalFiles, long totalBytes, PrintStream terminal) {
        this.totalFiles = totalFiles;
        this.totalBytes = totalBytes;
        this.terminal = terminal;
        long every = terminal != null ? TERMINAL_EVERY_MS : LOG_EVERY_MS;
        this.ticker = Thread.ofPlatform().name("archive-progress").daemon().start(() -> tick(every));
    }

    /** The terminal to draw on, when standard error is one. */
    static PrintStream terminalOrNull() {
        var console = System.console();
        return console != null && console.isTerminal() ? System.err : null;
    }

    void fileDone() {
        filesDone++;
    }

    private void tick(long everyMs) {
        try {
            while (true) {
                Thread.sleep(everyMs);
                if (terminal != null) {
                    terminal.print("\r" + line() + "   ");
                    terminal.flush();
                } else {
                    LOG.info(line());
                }
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    String line() {
        double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
        long doneBytes = bytes.get();
        String eta = doneBytes == 0 ? "?"
                : formatSeconds(Math.max(0, (totalBytes - doneBytes) * seconds / doneBytes));
        return String.format(Locale.ROOT, "backfill: %d/%d files, %,d events, %,.0f events/s, ETA %s",
                filesDone, totalFiles, events.get(), events.get() / seconds, eta);
    }

    static String formatSeconds(double s) {
        long t = Math.round(s);
        return t < 60 ? t + "s" : t < 3600 ? (t / 60) + "m" + (t % 60) + "s" : (t / 3600) + "h" + (t % 3600 / 60) + "m";
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
            terminal.print("\r" + " ".repeat(100) + "\r");
            terminal.flush();
        }
    }
}
