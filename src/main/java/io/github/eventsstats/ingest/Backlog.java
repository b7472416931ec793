package io.github.eventsstats.ingest;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.eventsstats.JsonFiles;
import io.github.eventsstats.store.EventRow;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows fetched but not yet stored because ClickHouse did not take them. Mirrored to a spool file
 * (atomic rewrite on every change) so a restart does not lose them. Bounded: the poller stops
 * fetching while it is full rather than drop what it already has.
 */
public final class Backlog {

    private static final Logger LOG = Logger.getLogger(Backlog.class);

    private final Path spool;
    private final ObjectMapper json;
    private final int max;
    private List<EventRow> rows = new ArrayList<>();

    public Backlog(Path spool, ObjectMapper json, int max) {
        this.spool = spool;
        this.json = json;
        this.max = max;
    }

    public synchronized void load() {
        rows = new ArrayList<>();
        if (!Files.exists(spool)) {
            return;
        }
        try {
            rows = new ArrayList<>(json.readValue(spool.toFile(), new TypeReference<List<EventRow>>() { }));
            LOG.infof("ingest backlog: %d events from %s waiting to be stored", rows.size(), spool);
        } catch (IOException e) {
            Path aside = spool.resolveSibling(spool.getFileName() + ".corrupt-" + System.currentTimeMillis());
            try {
                Files.move(spool, aside);
            } catch (IOException ignored) {
                // reported below either way
            }
            LOG.errorf("ingest backlog spool %s unreadable (%s); moved to %s", spool, e.getMessage(), aside.getFileName());
        }
    }

    public synchronized int size() {
        return rows.size();
    }

    public synchronized boolean full() {
        return rows.size() >= max;
    }

    public synchronized List<EventRow> snapshot() {
        return List.copyOf(rows);
    }

    public synchronized void add(List<EventRow> more) {
        rows.addAll(more);
        persist();
    }

    /** Removes the first {@code n} rows, once they are stored. */
    public synchronized void drop(int n) {
        rows = new ArrayList<>(rows.subList(n, rows.size()));
        persist();
    }

    private void persist() {
        try {
            if (rows.isEmpty()) {
                Files.deleteIfExists(spool);
                return;
            }
            JsonFiles.writeAtomically(json, spool, rows);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the ingest backlog spool " + spool, e);
        }
    }
}
