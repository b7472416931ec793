package io.github.eventsstats.archive;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Files done of total, events/s and ETA while a backfill runs ({@link ProgressTicker} shows it).
 * The ETA is by bytes, the one measure known for every file before it is read.
 */
final class Progress implements AutoCloseable {

    private final int totalFiles;
    private final long totalBytes;
    private final long startNanos = System.nanoTime();
    /** File bytes read (or skipped) so far. */
    final AtomicLong bytes = new AtomicLong();
    /** Events read so far. */
    final AtomicLong events = new AtomicLong();
    private volatile int filesDone;
    private final ProgressTicker ticker;

    /** @param terminal where to draw the in-place line, or null for periodic log lines */
    Progress(int totalFiles, long totalBytes, PrintStream terminal) {
        this.totalFiles = totalFiles;
        this.totalBytes = totalBytes;
        this.ticker = new ProgressTicker(this::line, terminal);
    }

    void fileDone() {
        filesDone++;
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
        ticker.close();
    }
}
