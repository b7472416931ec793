package io.github.eventsstats.archive;

import io.github.eventsstats.event.EventMapper;
import io.github.eventsstats.event.EventRow;
import io.github.eventsstats.stream.EventStream;

import java.io.IOException;
import java.nio.file.Path;
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
 * producer's buffer, not by the hour. A file found broken at its end has had its first part
 * published then; it is read again (and published again: the consumer's writer drops the repeats).
 */
final class HourRead implements HourDownloader.Check {

    private final EventFileReader reader;
    private final Supplier<EventStream.Outlet> outlets;
    private List<EventRow> rows;
    private FileCounts counts;
    private String sha256;
    /** Through the stream: the events the broker took, and why it did not take the rest (null: it took all). */
    private int published;
    private String unpublished;

    HourRead(EventMapper mapper, int maxLine) {
        this(mapper, maxLine, null);
    }

    /** {@code outlets}: the kept events are published through one outlet per read (the Kafka stream); null: kept as rows. */
    HourRead(EventMapper mapper, int maxLine, Supplier<EventStream.Outlet> outlets) {
        this.reader = new EventFileReader(mapper, maxLine);
        this.outlets = outlets;
    }

    @Override
    public String problem(Path file) throws IOException, InterruptedException {
        rows = null;
        FileCounts c = new FileCounts();
        List<EventRow> r = new ArrayList<>();
        EventStream.Outlet outlet = outlets == null ? null : outlets.get();
        int[] sent = {0};
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
                }
            }
        }, new AtomicLong(), new AtomicLong());
        boolean taken = outlet == null || outlet.finish(); // a broken file's too: nothing stays in flight
        if (c.broken()) {
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
