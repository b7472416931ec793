package io.github.eventsstats.ingest;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.eventsstats.platform.Printable;
import io.github.eventsstats.event.EventRow;
import io.github.eventsstats.event.EventSource;
import io.github.eventsstats.platform.JsonFiles;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.jboss.logging.Logger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Rows fetched but not yet stored because ClickHouse did not take them, each with the source that
 * fetched it, mirrored to a spool file (one JSON row a line, its {@code source} beside the row's
 * fields) so a restart does not lose them. The source is kept so that the flush records each
 * sighting as its own source's: coverage per source stays true. New rows are appended; the file is
 * deleted once everything is stored, and rewritten whole only when an append failed half-way or
 * part of it was stored. Bounded: the poller stops fetching while it is full rather than drop
 * what it already has.
 *
 * <p>Registered for reflection: a native image reads and writes the spooled rows with Jackson
 * outside any REST endpoint, where Quarkus would register them by itself.
 */
@RegisterForReflection(targets = {EventRow.class, EventRow.Payload.class})
public final class Backlog {

    private static final Logger LOG = Logger.getLogger(Backlog.class);
    /** The spool line's field naming the row's source. */
    private static final String SOURCE = "source";

    private final Path spool;
    private final ObjectMapper json;
    private final int max;
    private final ObjectReader lineReader;
    private List<Waiting> rows = new ArrayList<>();
    /** The file may not hold exactly {@link #rows} (an append failed): rewrite it on the next change. */
    private boolean rewrite;

    public Backlog(Path spool, ObjectMapper json, int max) {
        this.spool = spool;
        this.json = json;
        this.max = max;
        // Two rows run together on one line are a torn line, not the first row alone.
        this.lineReader = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** One row waiting, and the source that fetched it. */
    record Waiting(EventSource source, EventRow row) {
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
                // The spool of earlier versions: one JSON array of the firehose's rows, rewritten as lines on the next change.
                List<EventRow> old = json.readValue(content, new TypeReference<>() { });
                old.forEach(r -> rows.add(new Waiting(EventSource.FIREHOSE, r)));
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
            LOG.errorf("ingest backlog spool %s unreadable (%s); moved to %s", spool, Printable.of(e.getMessage()),
                    aside.getFileName());
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
                rows.add(read(line));
            } catch (IOException | IllegalArgumentException | ClassCastException e) {
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

    /** A line without a source was written before sources were kept, when only the firehose's rows were spooled. */
    private Waiting read(String line) throws IOException {
        ObjectNode node = (ObjectNode) lineReader.readTree(line);
        String source = node.has(SOURCE) ? node.remove(SOURCE).asText() : EventSource.FIREHOSE.label();
        return new Waiting(EventSource.ofLabel(source), json.treeToValue(node, EventRow.class));
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

    /** The rows waiting, per source, each source's in the order they came. */
    public synchronized Map<EventSource, List<EventRow>> bySource() {
        Map<EventSource, List<EventRow>> out = new EnumMap<>(EventSource.class);
        rows.forEach(w -> out.computeIfAbsent(w.source(), s -> new ArrayList<>()).add(w.row()));
        return out;
    }

    public synchronized void add(List<EventRow> fetched, EventSource source) {
        List<Waiting> more = fetched.stream().map(r -> new Waiting(source, r)).toList();
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

    /** Removes the first {@code n} rows of {@code source}, once they are stored. */
    public synchronized void drop(EventSource source, int n) {
        List<Waiting> kept = new ArrayList<>(rows.size());
        int left = n;
        for (Waiting w : rows) {
            if (left > 0 && w.source() == source) {
                left--;
            } else {
                kept.add(w);
            }
        }
        rows = kept;
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

    private byte[] lines(List<Waiting> batch) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(batch.size() * 256);
        for (Waiting w : batch) {
            ObjectNode node = json.valueToTree(w.row());
            node.put(SOURCE, w.source().label());
            json.writeValue(out, node);
            out.write('\n');
        }
        return out.toByteArray();
    }
}
