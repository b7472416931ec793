package io.github.eventsstats.ingest;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.github.eventsstats.JsonFiles;
import io.github.eventsstats.store.EventRow;
import org.jboss.logging.Logger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows fetched but not yet stored because ClickHouse did not take them, mirrored to a spool file
 * (one JSON row a line) so a restart does not lose them. New rows are appended; the file is
 * deleted once everything is stored, and rewritten whole only when an append failed half-way or
 * part of it was stored. Bounded: the poller stops fetching while it is full rather than drop
 * what it already has.
 */
public final class Backlog {

    private static final Logger LOG = Logger.getLogger(Backlog.class);

    private final Path spool;
    private final ObjectMapper json;
    private final int max;
    private final ObjectReader rowReader;
    private List<EventRow> rows = new ArrayList<>();
    /** The file may not hold exactly {@link #rows} (an append failed): rewrite it on the next change. */
    private boolean rewrite;

    public Backlog(Path spool, ObjectMapper json, int max) {
        this.spool = spool;
        this.json = json;
        this.max = max;
        // Two rows run together on one line are a torn line, not the first row alone.
        this.rowReader = json.readerFor(EventRow.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    public synchronized void load() {
        rows = new ArrayList<>();
        rewrite = false;
        if (!Files.exists(spool)) {
            return;
        }
        try {
            byte[] content = Files.readAllBytes(spool);
            String text = new String(content, StandardCharsets.UTF_8);
            if (text.stripLeading().startsWith("[")) {
                // The spool of earlier versions: one JSON array, rewritten as lines on the next change.
                rows = new ArrayList<>(json.readValue(content, new TypeReference<List<EventRow>>() { }));
                rewrite = true;
            } else {
                readLines(text);
                // A crash mid-append can leave a whole row without its newline: the next append
                // would run into it, so the next change rewrites the file.
                rewrite |= !text.isEmpty() && !text.endsWith("\n");
            }
            LOG.infof("ingest backlog: %d events from %s waiting to be stored", rows.size(), spool);
        } catch (IOException e) {
            Path aside = moveAside(spool);
            rewrite = true; // what was read stays in memory and goes into a new spool
            LOG.errorf("ingest backlog spool %s unreadable (%s); moved to %s", spool, e.getMessage(), aside.getFileName());
        }
    }

    /** Lines that do not read (a crash mid-append cuts the last one) are kept aside, not dropped silently. */
    private void readLines(String text) throws IOException {
        List<String> bad = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                rows.add(rowReader.readValue(line));
            } catch (IOException e) {
                bad.add(line);
            }
        }
        if (!bad.isEmpty()) {
            Path aside = asideOf(spool);
            Files.write(aside, bad, StandardCharsets.UTF_8);
            LOG.errorf("ingest backlog spool %s: %d unreadable line(s) moved to %s", spool, bad.size(), aside.getFileName());
            rewrite = true;
        }
    }

    /** Where unreadable spool content goes: beside it, named by the time it was found. */
    private static Path asideOf(Path file) {
        return file.resolveSibling(file.getFileName() + ".corrupt-" + System.currentTimeMillis());
    }

    private static Path moveAside(Path file) {
        Path aside = asideOf(file);
        try {
            Files.move(file, aside);
        } catch (IOException ignored) {
            // reported by the caller either way
        }
        return aside;
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
        try {
            if (rewrite) {
                rewriteWhole();
            } else {
                Files.createDirectories(spool.toAbsolutePath().getParent());
                Files.write(spool, lines(more), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
        } catch (IOException e) {
            rewrite = true; // a half-written append must not run into the next one
            throw new UncheckedIOException("cannot write the ingest backlog spool " + spool, e);
        }
    }

    /** Removes the first {@code n} rows, once they are stored. */
    public synchronized void drop(int n) {
        rows = new ArrayList<>(rows.subList(n, rows.size()));
        try {
            if (rows.isEmpty()) {
                Files.deleteIfExists(spool);
                rewrite = false;
            } else {
                rewriteWhole();
            }
        } catch (IOException e) {
            rewrite = true;
            throw new UncheckedIOException("cannot write the ingest backlog spool " + spool, e);
        }
    }

    private void rewriteWhole() throws IOException {
        JsonFiles.writeAtomically(spool, lines(rows));
        rewrite = false;
    }

    private byte[] lines(List<EventRow> batch) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(batch.size() * 256);
        for (EventRow row : batch) {
            json.writeValue(out, row);
            out.write('\n');
        }
        return out.toByteArray();
    }
}
