package io.github.eventsstats.archive;

import io.github.eventsstats.event.EventRow;
import io.github.eventsstats.ingest.EventWriter;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Function;

/**
 * Groups rows into batches and writes them on a thread of its own, so that parsing the next
 * batch overlaps with storing this one. At most two batches wait; a slow store slows the parser
 * down instead of filling the heap.
 */
final class BatchPipe implements EventFileReader.RowSink, AutoCloseable {

    private static final List<EventRow> END = List.of();

    private final int batchSize;
    private final Function<List<EventRow>, EventWriter.Result> writer;
    private final FileCounts counts;
    private final BlockingQueue<List<EventRow>> queue = new ArrayBlockingQueue<>(2);
    private final Thread thread;
    private List<EventRow> batch;
    private volatile RuntimeException failure;

    BatchPipe(Function<List<EventRow>, EventWriter.Result> writer, int batchSize, FileCounts counts) {
        this.writer = writer;
        this.batchSize = batchSize;
        this.counts = counts;
        this.batch = new ArrayList<>(batchSize);
        this.thread = Thread.ofPlatform().name("archive-write").daemon().start(this::drain);
    }

    @Override
    public void accept(EventRow row) throws InterruptedException {
        batch.add(row);
        if (batch.size() >= batchSize) {
            hand(batch);
            batch = new ArrayList<>(batchSize);
        }
    }

    /** Writes what is left and waits until every batch is stored; throws what the writer threw. */
    void finish() throws InterruptedException {
        if (!batch.isEmpty()) {
            hand(batch);
            batch = new ArrayList<>(0);
        }
        queue.put(END);
        thread.join();
        if (failure != null) {
            throw failure;
        }
    }

    private void hand(List<EventRow> rows) throws InterruptedException {
        if (failure != null) {
            throw failure; // stop parsing: nothing more of this file can be stored
        }
        queue.put(rows);
    }

    private void drain() {
        try {
            while (true) {
                List<EventRow> rows = queue.take();
                if (rows == END) {
                    return;
                }
                if (failure != null) {
                    continue; // keep taking so the parser never blocks on a dead writer
                }
                try {
                    EventWriter.Result r = writer.apply(rows);
                    counts.stored.addAndGet(r.stored());
                    counts.duplicate.addAndGet(r.duplicates());
                } catch (RuntimeException e) {
                    failure = e;
                } catch (Error e) {
                    // Kept as the file's failure, so that the parser stops instead of waiting on a dead writer.
                    failure = new IllegalStateException("the writer failed: " + e, e);
                }
            }
        } catch (InterruptedException e) {
            // closed early: the file is abandoned
        }
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
