package io.github.eventsstats.archive;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
    private static final int MAX_REDIRECTS = 5;

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

    /**
     * Given up for this run (nothing of it is kept). {@code sha256}: the last try's file, when
     * that try downloaded it in full and the check found it broken (the source's file is), else null.
     */
    record Failed(String reason, String sha256) implements Outcome {
        Failed(String reason) {
            this(reason, null);
        }
    }

    /** Not enough disk under DATA_DIR: the sync stops; what was not loaded is tried again later. */
    static final class DiskFullException extends IOException {
        DiskFullException(String message) {
            super(message);
        }
    }

    private final String base;
    private final Path dir;
    private final int attempts;
    private final Duration timeout;
    private final long minFree;
    private final SyncBackoff backoff;
    /** Bytes received over the network, for the rate. */
    private final AtomicLong received;
    /** The connections in use, so that {@link #close} can end the downloads blocked on them. */
    private final Set<HttpURLConnection> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    HourDownloader(String base, Path dir, int attempts, Duration timeout, long minFree, SyncBackoff backoff,
                   AtomicLong received) {
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
        String brokenSha256 = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            brokenSha256 = null;
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
                    brokenSha256 = attempt == attempts ? Ledger.sha256(part) : null;
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
        return new Failed(problem + " after " + attempts + " tries, from " + url(hour), brokenSha256);
    }

    /**
     * One request, appending to what {@code part} holds. Null when the body arrived in full
     * (by its length), else the status that ended it; a broken or idle body throws.
     */
    private Integer fetch(URI uri, Path part) throws IOException, InterruptedException {
        long have = Files.isRegularFile(part) ? size(part) : 0;
        HttpURLConnection c = connect(uri, have);
        try {
            int status = c.getResponseCode();
            boolean append;
            String range = c.getHeaderField("Content-Range");
            if (status == 206 && have > 0 && range != null && range.startsWith("bytes " + have + "-")) {
                append = true;
            } else if (status == 200) {
                append = false;
            } else {
                c.disconnect();
                if (status == 416 || status == 206) {
                    // The part does not fit the file there (longer, or an odd range): start again.
                    Files.deleteIfExists(part);
                    return 503;
                }
                return status;
            }
            long length = c.getContentLengthLong();
            long start = append ? have : 0;
            if (length > 0) {
                long free = Files.getFileStore(dir).getUsableSpace();
                if (free - length < minFree) {
                    throw diskFull(String.format(java.util.Locale.ROOT,
                            "%,d MB free, %,d MB needed for %s plus ARCHIVE_SYNC_MIN_FREE_DISK %,d MB",
                            free >> 20, length >> 20, part.getFileName(), minFree >> 20));
                }
            }
            long wrote;
            try (InputStream body = c.getInputStream()) {
                wrote = copy(body, part, append);
            }
            if (length >= 0 && wrote != length) {
                throw new IOException("the body ended after " + (start + wrote) + " of " + (start + length) + " bytes");
            }
            return null;
        } catch (IOException e) {
            throw ended(c, e);
        } finally {
            open.remove(c);
        }
    }

    /**
     * What a request that failed on {@code c} ends in: the sync's stop when {@link #close} ended
     * it, a timeout when no bytes came, else {@code e} itself. The connection is given up.
     */
    private IOException ended(HttpURLConnection c, IOException e) throws InterruptedException {
        open.remove(c);
        c.disconnect();
        if (closed) {
            throw new InterruptedException("the sync stopped");
        }
        return e instanceof SocketTimeoutException ? new HttpTimeoutException("no bytes for " + timeout.toSeconds() + " s") : e;
    }

    /**
     * A connection with its request sent, redirects followed (http to https too, which
     * HttpURLConnection does not do itself; never https to http). The JDK's HttpClient was
     * measured here at 5.2-6.7 s of CPU for 960 MB over loopback, against 0.8-1.1 s for this.
     */
    private HttpURLConnection connect(URI uri, long have) throws IOException, InterruptedException {
        URI at = uri;
        for (int hop = 0; ; hop++) {
            if (closed) {
                throw new InterruptedException("the sync stopped");
            }
            HttpURLConnection c = (HttpURLConnection) at.toURL().openConnection();
            c.setInstanceFollowRedirects(false);
            c.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            // Also the longest wait for the next bytes of the body: an idle download times out.
            c.setReadTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            if (have > 0) {
                c.setRequestProperty("Range", "bytes=" + have + "-");
            }
            open.add(c);
            int status;
            try {
                status = c.getResponseCode();
            } catch (IOException e) {
                throw ended(c, e);
            }
            String location = c.getHeaderField("Location");
            if (status / 100 != 3 || status == 304 || location == null || hop >= MAX_REDIRECTS) {
                return c;
            }
            URI next = at.resolve(location);
            open.remove(c);
            c.disconnect();
            if ("https".equals(at.getScheme()) && !"https".equals(next.getScheme())) {
                throw new IOException("redirect from https to " + next + " refused");
            }
            at = next;
        }
    }

    private long copy(InputStream body, Path part, boolean append) throws IOException {
        byte[] buf = new byte[BUFFER];
        long wrote = 0;
        try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            for (int n; (n = body.read(buf)) >= 0; ) {
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

    /** Ends the downloads under way: a socket read does not end on an interrupt, a closed socket does. */
    @Override
    public void close() {
        closed = true;
        open.forEach(HttpURLConnection::disconnect);
    }
}
