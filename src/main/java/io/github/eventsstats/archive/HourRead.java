package io.github.eventsstats.archive;

import io.github.eventsstats.event.EventMapper;
import io.github.eventsstats.event.EventRow;
import io.github.eventsstats.stream.EventStream;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A downloaded hour file read through the mapper into memory, on its download thread: the check
 * that the file is whole (its gzip stream inflates to the end) and the parse its load needs, in
 * one pass. The file is inflated once instead of twice, two hours are read at a time on two
 * cores, and no row is written before the whole file has proved good. An hour's rows stay in
 * memory until it is loaded: at most {@link ArchiveSync#WINDOW} hours' worth.
 * <p>
 * Through the Kafka stream ({@code outlets} given) each kept event's raw line is published as it is
 * read instead, and nothing of the hour is kept: what waits for the broker is bounded by the
 * producer's buffer, not by the hour. So a file found broken at its end has had its readable start
 * published by then (the consumer's writer stores those events; the hour is not synced). The hour
 * is remembered in {@link BrokenHours}: every later read of it in this process (the download's
 * next tries, later syncs) first inflates the file to its end without publishing, and publishes
 * only a file that proved whole. At most one partial publish per hour per process, then. Once the
 * broker refuses an event, the read stops: the rest of the hour is neither parsed nor published.
 */
final class HourRead implements HourDownloader.Check {

    private final EventFileReader reader;
    private final Supplier<Publisher> outlets;
    private final Instant hour;
    private final BrokenHours broken;
    private List<EventRow> rows;
    private FileCounts counts;
    private String sha256;
    /** Through the stream: the events the broker took, and why it did not take the rest (null: it took all). */
    private int published;
    private String unpublished;

    HourRead(EventMapper mapper, int maxLine) {
        this(mapper, maxLine, null, null, new BrokenHours());
    }

    /**
     * {@code outlets}: the kept events of {@code hour} are published through one outlet per read
     * (the Kafka stream); null: kept as rows. {@code broken}: the hours found broken so far.
     */
    HourRead(EventMapper mapper, int maxLine, Supplier<Publisher> outlets, Instant hour, BrokenHours broken) {
        this.reader = new EventFileReader(mapper, maxLine);
        this.outlets = outlets;
        this.hour = hour;
        this.broken = broken;
    }

    /** Where a read publishes the kept events' raw lines: an {@link EventStream.Outlet}, one per read. */
    interface Publisher {
        /** Sends one line without waiting for the broker; false once one failed (this one is not sent then). */
        boolean send(String repository, byte[] line);

        /** Waits until the broker acknowledged every line sent; whether it took all of them. */
        boolean finish() throws InterruptedException;

        /** Why the broker did not take a line, or null. */
        String failure();

        static Publisher of(EventStream.Outlet outlet) {
            return new Publisher() {
                @Override
                public boolean send(String repository, byte[] line) {
                    return outlet.send(repository, line);
                }

                @Override
                public boolean finish() throws InterruptedException {
                    return outlet.finish();
                }

                @Override
                public String failure() {
                    return outlet.failure();
                }
            };
        }
    }

    /** Ends a read whose outlet failed: the rest of the hour is not parsed for nothing. */
    private static final class Refused extends RuntimeException {
        Refused() {
            super(null, null, false, false);
        }
    }

    @Override
    public String problem(Path file) throws IOException, InterruptedException {
        rows = null;
        if (outlets != null && broken.contains(hour)) {
            String whole = reader.inflateProblem(file); // nothing published of a file that is broken again
            if (whole != null) {
                return whole;
            }
            broken.remove(hour);
        }
        FileCounts c = new FileCounts();
        List<EventRow> r = new ArrayList<>();
        Publisher outlet = outlets == null ? null : outlets.get();
        int[] sent = {0};
        try {
            reader.read(file, c, new EventFileReader.RowSink() {
                @Override
                public void accept(EventRow row) {
                    r.add(row);
                }

                @Override
                public void accept(EventRow row, byte[] line, int off, int len) {
                    if (outlet == null) {
                        r.add(row);
                    } else if (outlet.send(row.repoName(), Arrays.copyOfRange(line, off, off + len))) {
                        sent[0]++;
                    } else {
                        throw new Refused();
                    }
                }
            }, new AtomicLong(), new AtomicLong());
        } catch (Refused e) {
            // the broker refused: the hour is not synced whatever the rest of the file holds
        }
        boolean taken = outlet == null || outlet.finish(); // a broken file's too: nothing stays in flight
        if (c.broken()) {
            if (outlet != null) {
                broken.add(hour);
            }
            return c.brokenBecause();
        }
        sha256 = Ledger.sha256(file);
        counts = c;
        rows = r;
        published = sent[0];
        unpublished = taken ? null : outlet.failure();
        return null;
    }

    /** Whether the kept events went to the stream as they were read (rather than kept as {@link #rows}). */
    boolean publishes() {
        return outlets != null;
    }

    /** The events the stream took; throws when it did not take all of them (the hour is read again later). */
    int published() {
        rows();
        if (unpublished != null) {
            throw new IllegalStateException("the Kafka broker did not take the hour's events (" + unpublished
                    + "); synced again later");
        }
        return published;
    }

    /** The kept events' rows, in file order, once {@link #problem} found the file whole. */
    List<EventRow> rows() {
        if (rows == null) {
            throw new IllegalStateException("no whole file read");
        }
        return rows;
    }

    FileCounts counts() {
        rows();
        return counts;
    }

    String sha256() {
        rows();
        return sha256;
    }

    /** Lets the rows go once they are stored. */
    void release() {
        rows = List.of();
    }
}
