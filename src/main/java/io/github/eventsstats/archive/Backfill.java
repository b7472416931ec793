package io.github.eventsstats.archive;

import io.github.eventsstats.event.EventMapper;
import io.github.eventsstats.event.EventRow;
import io.github.eventsstats.ingest.EventWriter;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Loads archive files one after the other through the same mapper and writer as the poller,
 * consulting and filling the ledger. A dry run has neither writer nor ledger.
 */
public final class Backfill {

    /**
     * Rows per insert. Each insert costs the engine a fixed share of two busy cores (parts for the
     * table, its projection and the view's table): 10,000 rows made a one-hour load 7% slower than
     * 20,000; more gained nothing. An hour's ~36,000 kept rows make one insert overlapped with
     * parsing and one after it.
     */
    static final int BATCH_SIZE = 20_000;
    /** Problems shown in the summary, over all files. */
    static final int SHOWN_PROBLEMS = 10;

    /** Exit statuses of the command. */
    public static final int OK = 0;
    public static final int INPUT_SKIPPED = 1;
    public static final int USAGE = 2;
    public static final int FAILED = 3;

    private final EventMapper mapper;
    private final Function<List<EventRow>, EventWriter.Result> writer;
    private final Ledger ledger;
    private final int batchSize;
    private final int maxLine;

    /**
     * A load; {@code writer} and {@code ledger} both null make a dry run. Lines longer than
     * {@code maxLine} bytes are skipped and counted as bad.
     */
    Backfill(EventMapper mapper, Function<List<EventRow>, EventWriter.Result> writer, Ledger ledger, int batchSize,
             int maxLine) {
        this.mapper = mapper;
        this.writer = writer;
        this.ledger = ledger;
        this.batchSize = batchSize;
        this.maxLine = maxLine;
    }

    boolean dryRun() {
        return writer == null;
    }

    /** What a run did, over all files. */
    record Summary(boolean dryRun, int files, int loaded, int skipped, int failed, long read, long kept, long stored,
                   long duplicate, long bad, int broken, long elapsedNanos, Map<String, Long> readByType,
                   List<String> problems, List<String> failures) {

        int exitCode() {
            return failed > 0 ? FAILED : bad > 0 || broken > 0 ? INPUT_SKIPPED : OK;
        }

        List<String> lines() {
            double s = elapsedNanos / 1e9;
            List<String> out = new ArrayList<>();
            out.add(String.format(java.util.Locale.ROOT, "backfill%s: %d files: %d %s, %d skipped (already loaded),"
                            + " %d failed", dryRun ? " (dry run, nothing written)" : "", files, loaded,
                    dryRun ? "read" : "loaded", skipped, failed));
            out.add(String.format(java.util.Locale.ROOT, "events: %,d read, %,d kept, %,d stored, %,d duplicate;"
                    + " %,d bad lines%s; %.2f s (%,.0f events/s)", read, kept, stored, duplicate, bad,
                    broken > 0 ? ", " + broken + " truncated or corrupt file(s)" : "", s, read / Math.max(s, 1e-3)));
            if (!readByType.isEmpty()) {
                out.add("read by type: " + readByType);
            }
            problems.forEach(p -> out.add("skipped " + p));
            failures.forEach(f -> out.add("failed " + f));
            return out;
        }
    }

    Summary run(List<Path> files, PrintStream terminal) throws InterruptedException {
        long start = System.nanoTime();
        long totalBytes = 0;
        for (Path f : files) {
            totalBytes += size(f);
        }
        int loaded = 0;
        int skipped = 0;
        int failed = 0;
        int broken = 0;
        long read = 0;
        long kept = 0;
        long stored = 0;
        long duplicate = 0;
        long bad = 0;
        Map<String, Long> byType = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        try (Progress progress = new Progress(files.size(), totalBytes, terminal)) {
            for (int i = 0; i < files.size(); i++) {
                Path file = files.get(i);
                long size = size(file);
                FileCounts counts = new FileCounts();
                try {
                    long bytesBefore = progress.bytes.get();
                    boolean fresh = loadOne(file, size, file.toString(), counts, progress.bytes, progress.events);
                    progress.bytes.set(bytesBefore + size);
                    if (!fresh) {
                        skipped++;
                        progress.fileDone();
                        continue;
                    }
                    loaded++;
                } catch (IOException e) {
                    failed++;
                    failures.add(file + ": cannot read: " + e.getMessage());
                } catch (RuntimeException e) {
                    // The store is failing: the next files would fail the same way.
                    failed += files.size() - i;
                    failures.add(file + ": not stored: " + e.getMessage()
                            + (i + 1 < files.size() ? " (stopped; " + (files.size() - i - 1) + " files not tried)" : ""));
                    break;
                } finally {
                    read += counts.read();
                    kept += counts.kept();
                    stored += counts.stored.get();
                    duplicate += counts.duplicate.get();
                    bad += counts.bad();
                    broken += counts.broken() ? 1 : 0;
                    counts.readByType().forEach((t, n) -> byType.merge(t, n, Long::sum));
                    for (String p : counts.problems()) {
                        if (problems.size() < SHOWN_PROBLEMS) {
                            problems.add(p);
                        }
                    }
                }
                progress.fileDone();
            }
        }
        return new Summary(dryRun(), files.size(), loaded, skipped, failed, read, kept, stored, duplicate, bad, broken,
                System.nanoTime() - start, byType, problems, failures);
    }

    /**
     * Loads one file unless the ledger has its content, then records it there under {@code name}.
     *
     * @return false when it was loaded already (nothing read)
     */
    boolean loadOne(Path file, long size, String name, FileCounts counts, AtomicLong bytes, AtomicLong events)
            throws IOException, InterruptedException {
        CompletableFuture<String> sha = null;
        if (!dryRun()) {
            if (ledger.anyOfSize(size)) {
                String known = Ledger.sha256(file);
                if (ledger.loaded(known, mapper.keptTypes())) {
                    return false;
                }
                sha = CompletableFuture.completedFuture(known);
            } else {
                // No loaded file has this size, so none has this content: hash while loading.
                sha = hashInBackground(file);
            }
        }
        load(file, counts, bytes, events);
        if (!dryRun()) {
            ledger.record(name, size, hash(sha), counts, mapper.keptTypes());
        }
        return true;
    }

    /**
     * Stores an hour the sync has read whole ({@link HourRead}) unless the ledger has its content,
     * then records it there under {@code name}.
     *
     * @return false when it was loaded already (nothing written)
     */
    boolean loadRead(String name, long size, HourRead read) {
        if (ledger.loaded(read.sha256(), mapper.keptTypes())) {
            return false; // (an hour read through the stream is published already: the consumer's writer drops it)
        }
        storeRead(read);
        ledger.record(name, size, read.sha256(), read.counts(), mapper.keptTypes());
        return true;
    }

    /**
     * Stores the rows of an hour the sync has read whole, without consulting or filling the ledger;
     * through the stream, its events are published already (stored: handed to Kafka), or this throws.
     */
    void storeRead(HourRead read) {
        FileCounts counts = read.counts();
        if (read.publishes()) {
            counts.stored.addAndGet(read.published());
            return;
        }
        List<EventRow> rows = read.rows();
        for (int from = 0; from < rows.size(); from += batchSize) {
            EventWriter.Result r = writer.apply(rows.subList(from, Math.min(rows.size(), from + batchSize)));
            counts.stored.addAndGet(r.stored());
            counts.duplicate.addAndGet(r.duplicates());
        }
    }

    private static CompletableFuture<String> hashInBackground(Path file) {
        CompletableFuture<String> sha = new CompletableFuture<>();
        Thread.ofPlatform().name("archive-sha256").daemon().start(() -> {
            try {
                sha.complete(Ledger.sha256(file));
            } catch (IOException | RuntimeException e) {
                sha.completeExceptionally(e);
            }
        });
        return sha;
    }

    private static String hash(CompletableFuture<String> sha) throws IOException, InterruptedException {
        try {
            return sha.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private void load(Path file, FileCounts counts, AtomicLong bytes, AtomicLong events)
            throws IOException, InterruptedException {
        if (dryRun()) {
            new EventFileReader(mapper, maxLine).read(file, counts, row -> { }, bytes, events);
            return;
        }
        try (BatchPipe pipe = new BatchPipe(writer, batchSize, counts)) {
            new EventFileReader(mapper, maxLine).read(file, counts, pipe, bytes, events);
            pipe.finish();
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
