package io.github.eventsstats.archive;

import io.github.eventsstats.event.EventMapper;
import io.github.eventsstats.event.EventRow;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A downloaded hour file read through the mapper into memory, on its download thread: the check
 * that the file is whole (its gzip stream inflates to the end) and the parse its load needs, in
 * one pass. The file is inflated once instead of twice, two hours are read at a time on two
 * cores, and no row is written before the whole file has proved good. An hour's rows stay in
 * memory until it is loaded: at most {@link ArchiveSync#WINDOW} hours' worth.
 */
final class HourRead implements HourDownloader.Check {

    private final EventFileReader reader;
    private final boolean keepLines;
    private List<EventRow> rows;
    private List<byte[]> lines;
    private FileCounts counts;
    private String sha256;

    HourRead(EventMapper mapper, int maxLine) {
        this(mapper, maxLine, false);
    }

    /** {@code keepLines}: each kept event's raw line is kept beside its row (what the Kafka stream carries). */
    HourRead(EventMapper mapper, int maxLine, boolean keepLines) {
        this.reader = new EventFileReader(mapper, maxLine);
        this.keepLines = keepLines;
    }

    @Override
    public String problem(Path file) throws IOException, InterruptedException {
        rows = null;
        lines = null;
        FileCounts c = new FileCounts();
        List<EventRow> r = new ArrayList<>();
        List<byte[]> l = keepLines ? new ArrayList<>() : null;
        reader.read(file, c, new EventFileReader.RowSink() {
            @Override
            public void accept(EventRow row) {
                r.add(row);
            }

            @Override
            public void accept(EventRow row, byte[] line, int off, int len) {
                r.add(row);
                if (l != null) {
                    l.add(Arrays.copyOfRange(line, off, off + len));
                }
            }
        }, new AtomicLong(), new AtomicLong());
        if (c.broken()) {
            return c.brokenBecause();
        }
        sha256 = Ledger.sha256(file);
        counts = c;
        rows = r;
        lines = l;
        return null;
    }

    /** The kept events' rows, in file order, once {@link #problem} found the file whole. */
    List<EventRow> rows() {
        if (rows == null) {
            throw new IllegalStateException("no whole file read");
        }
        return rows;
    }

    /** The kept events' raw lines, one per row, when they were kept; else null. */
    List<byte[]> lines() {
        rows();
        return lines;
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
        lines = lines == null ? null : List.of();
    }
}
