package io.github.eventsstats.archive;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Downloads one hour file to {@code dir}: streamed to {@code NAME.part}, resumed with {@code Range}
 * from what an earlier try (or a killed process) left there, retried after 5xx answers, timeouts,
 * broken connections and files that fail the caller's {@link Check}, and renamed to {@code NAME}
 * once it passes. A {@code NAME} found there (a load that did not finish) is checked again and
 * used, or downloaded anew.
 */
final class HourDownloader implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HourDownloader.class);
    private static final int BUFFER = 1 << 20;

    /** Whether a downloaded file is whole. */
    @FunctionalInterface
    interface Check {
        /** Null when {@code file} is whole, else what is wrong with it. */
        String problem(Path file) throws IOException, InterruptedException;
    }

    /** What a download came to. */
    sealed interface Outcome {
    }

    /** The whole file, checked. */
    record Downloaded(Path file, long size) implements Outcome {
    }

    /** A 404: not published yet, or missing at the source. */
    record NotFound() implements Outcome {
    }

    /** Given up for this run (nothing of it is kept). */
    record Failed(String reason) implements Outcome {
    }

    /** Not enough disk under DATA_DIR: the sync stops; what was not loaded is tried again later. */
    static final class DiskFullException extends IOException {
        DiskFullException(String message) {
            super(message);
        }
    }

    private final HttpClient http;
    private final String base;
    private final Path dir;
    private final int attempts;
    private final Duration timeout;
    private final long minFree;
    private final SyncBackoff backoff;
    /** Bytes received over the network, for the rate. */
    private final AtomicLong received;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("archive-sync-watchdog").daemon().factory());

    HourDownloader(String base, Path dir, int attempts, Duration timeout, long minFree, SyncBackoff backoff,
                   AtomicLong received) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
        this.base = base.endsWith("/") ? base : base + "/";
        this.dir = dir;
        this.attempts = Math.max(1, attempts);
        this.timeout = timeout;
        this.minFree = minFree;
        this.backoff = backoff;
        this.received = received;
    }

    String url(Instant hour) {
        return base + ArchiveHours.name(hour);
    }

    Outcome download(Instant hour, Check check) throws DiskFullException, InterruptedException {
        String name = ArchiveHours.name(hour);
        Path done = dir.resolve(name);
        Path part = dir.resolve(name + ".part");
        try {
            if (Files.isRegularFile(done)) {
                if (check.problem(done) == null) {
                    return new Downloaded(done, size(done));
                }
                Files.deleteIfExists(done);
            }
        } catch (IOException e) {
            deleteQuietly(done); // unreadable: downloaded anew
        }
        String problem = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            if (attempt > 1) {
                LOG.debugf("archive sync: %s: %s; try %d of %d", name, problem, attempt, attempts);
                backoff.pause(SyncBackoff.delay(attempt - 1));
            }
            try {
                Integer status = fetch(URI.create(url(hour)), part);
                if (status == null) {
                    String broken = check.problem(part);
                    if (broken == null) {
                        Files.move(part, done, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                        return new Downloaded(done, size(done));
                    }
                    // A complete download that is not whole: the next try starts from scratch.
                    Files.deleteIfExists(part);
                    problem = broken;
                } else if (status == 404) {
                    Files.deleteIfExists(part);
                    return new NotFound();
                } else if (status >= 500 || status == 429 || status == 408) {
                    problem = "HTTP " + status;
                } else {
                    Files.deleteIfExists(part);
                    return new Failed("HTTP " + status + " from " + url(hour));
                }
            } catch (DiskFullException e) {
                deleteQuietly(part);
                throw e;
            } catch (IOException e) {
                if (isDiskFull(e)) {
                    deleteQuietly(part);
                    throw diskFull(e.getMessage());
                }
                problem = describe(e);
            }
        }
        deleteQuietly(part);
        return new Failed(problem + " after " + attempts + " tries, from " + url(hour));
    }

    /**
     * One request, appending to what {@code part} holds. Null when the body arrived in full
     * (by its length), else the status that ended it; an interrupted body throws.
     */
    private Integer fetch(URI uri, Path part) throws IOException, InterruptedException {
        long have = Files.isRegularFile(part) ? size(part) : 0;
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        if (have > 0) {
            request.header("Range", "bytes=" + have + "-");
        }
        Thread reader = Thread.currentThread();
        AtomicLong lastBytesAt = new AtomicLong(System.nanoTime());
        boolean[] timedOut = {false};
        long idle = timeout.toNanos();
        ScheduledFuture<?> guard = watchdog.scheduleAtFixedRate(() -> {
            if (System.nanoTime() - lastBytesAt.get() > idle) {
                synchronized (timedOut) {
                    timedOut[0] = true;
                }
                reader.interrupt();
            }
        }, idle / 4, idle / 4, TimeUnit.NANOSECONDS);
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                int status = response.statusCode();
                boolean append;
                if (status == 206 && have > 0 && response.headers().firstValue("Content-Range")
                        .filter(r -> r.startsWith("bytes " + have + "-")).isPresent()) {
                    append = true;
                } else if (status == 200) {
                    append = false;
                } else {
                    if (status == 416 || status == 206) {
                        // The part does not fit the file there (longer, or an odd range): start again.
                        Files.deleteIfExists(part);
                        return 503;
                    }
                    return status;
                }
                long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                long start = append ? have : 0;
                if (length > 0) {
                    long free = Files.getFileStore(dir).getUsableSpace();
                    if (free - length < minFree) {
                        throw diskFull(String.format(java.util.Locale.ROOT,
                                "%,d MB free, %,d MB needed for %s plus ARCHIVE_SYNC_MIN_FREE_DISK %,d MB",
                                free >> 20, length >> 20, part.getFileName(), minFree >> 20));
                    }
                }
                long wrote = copy(body, part, append, lastBytesAt);
                if (length >= 0 && wrote != length) {
                    throw new IOException("the body ended after " + (start + wrote) + " of " + (start + length) + " bytes");
                }
                return null;
            }
        } catch (IOException e) {
            synchronized (timedOut) {
                if (timedOut[0]) {
                    Thread.interrupted(); // our own watchdog's, not a cancellation
                    throw new HttpTimeoutException("no bytes for " + timeout.toSeconds() + " s");
                }
            }
            throw e;
        } finally {
            guard.cancel(false);
            synchronized (timedOut) {
                if (timedOut[0]) {
                    Thread.interrupted();
                }
            }
        }
    }

    private long copy(InputStream body, Path part, boolean append, AtomicLong lastBytesAt) throws IOException {
        byte[] buf = new byte[BUFFER];
        long wrote = 0;
        try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            for (int n; (n = body.read(buf)) >= 0; ) {
                lastBytesAt.set(System.nanoTime());
                out.write(buf, 0, n);
                wrote += n;
                received.addAndGet(n);
            }
        }
        return wrote;
    }

    private DiskFullException diskFull(String detail) {
        return new DiskFullException("not enough disk space under " + dir.toAbsolutePath() + ": " + detail
                + "; nothing is lost: the hours not loaded are synced again later");
    }

    static boolean isDiskFull(IOException e) {
        return e.getMessage() != null && e.getMessage().contains("No space left on device");
    }

    private static String describe(IOException e) {
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return e instanceof HttpTimeoutException ? "timeout (" + message + ")" : message;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf("archive sync: cannot delete %s: %s", file, e.getMessage());
        }
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        http.close();
    }
}
