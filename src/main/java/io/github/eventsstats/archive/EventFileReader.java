package io.github.eventsstats.archive;

import io.github.eventsstats.event.EventMapper;
import io.github.eventsstats.event.EventRow;
import io.github.eventsstats.event.JsonCursor;
import io.github.eventsstats.natives.IsalGzip;
import io.github.eventsstats.natives.Sha256;
import io.github.eventsstats.natives.SimdLines;
import io.github.eventsstats.platform.Printable;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * Reads one archive file (gzip, one or more concatenated members, or plain JSON lines) and hands
 * each kept event's row to a sink.
 *
 * <p>Two threads share the work. A reader thread inflates the file into blocks of whole lines; the
 * calling thread makes a byte-level pass over each ({@link LineScanner}: every line is checked for
 * UTF-8, and an event of a type not kept is only counted, its type read from GH Archive's fixed
 * line start, the line required to end with its object), then parses the remaining lines with the
 * poller's {@link EventMapper}, each read on its own over the block's bytes, so a
 * malformed line costs that line and nothing else. When the parser falls behind, the reader thread
 * makes the byte-level pass itself, so that neither thread waits for the other. Malformations deep
 * inside an unkept event go unnoticed, as they would if it were parsed and dropped.
 */
final class EventFileReader {

    /** A block is about this many inflated bytes of whole lines (more when one line is longer). */
    static final int BLOCK_SIZE = 1 << 20;
    /** The highest line cap: a block of one such line, its newline and terminator, fits an array. */
    static final int MAX_LINE_LIMIT = 1 << 30;

    /** Receives the kept events' rows, in file order. */
    interface RowSink {
        void accept(EventRow row) throws InterruptedException;

        /** The row and its raw line, {@code line[off, off + len)}: a sink that keeps lines copies them. */
        default void accept(EventRow row, byte[] line, int off, int len) throws InterruptedException {
            accept(row);
        }
    }

    private final EventMapper mapper;
    private final int maxLine;
    private final boolean nativeLibraries;

    /** Lines longer than {@code maxLine} bytes are skipped unread and counted as bad (ARCHIVE_SYNC_MAX_LINE). */
    EventFileReader(EventMapper mapper, int maxLine) {
        this(mapper, maxLine, true);
    }

    /**
     * {@code nativeLibraries} false inflates with java.util.zip and makes the line pass in Java even
     * where ISA-L and simdjson are there (tests run both ways).
     */
    EventFileReader(EventMapper mapper, int maxLine, boolean nativeLibraries) {
        if (maxLine < 1 || maxLine > MAX_LINE_LIMIT) {
            throw new IllegalArgumentException("the longest line must be 1 byte to " + (MAX_LINE_LIMIT >> 20)
                    + " MiB, not " + maxLine + " bytes");
        }
        this.mapper = mapper;
        this.maxLine = maxLine;
        this.nativeLibraries = nativeLibraries;
    }

    /**
     * A line the parsing thread must handle: parse [off, off + len), or count {@code problem}.
     * Lines of unkept types never become one; they are only counted, in {@link Block#unkept}.
     */
    private record Line(int off, int len, long number, String problem) {
    }

    /**
     * Bytes [0, length) of whole lines, and once scanned, what the line pass found ({@code lines}
     * numbered from 1 within the block, {@code lineCount} lines in all); {@code error} is set on
     * the last block when the input broke off, {@code failure} when the reader thread failed.
     */
    private record Block(byte[] bytes, int length, List<Line> lines, Map<String, Long> unkept, long lineCount,
                         IOException error, Throwable failure) {
        static final Block END = new Block(new byte[0], 0, List.of(), Map.of(), 0, null, null);

        /** One line longer than the cap, skipped unread: a bad line and nothing else. */
        static Block overLong(long length, int maxLine, IOException error) {
            return new Block(new byte[0], 0, List.of(new Line(0, 0, 1, overLongProblem(length, maxLine))), Map.of(), 1,
                    error, null);
        }

        /** The reader thread failed: the read ends with it. */
        static Block failed(Throwable failure) {
            return new Block(new byte[0], 0, List.of(), Map.of(), 0, null, failure);
        }

        boolean scanned() {
            return lines != null;
        }
    }

    /**
     * Reads the whole file into {@code sink} and {@code counts}. Bad lines and a truncated or
     * corrupt gzip stream are counted in {@code counts}; only an unreadable file or the sink's
     * failure ends the read with an exception.
     *
     * @param bytes advanced by the file bytes read so far, for progress
     * @param events advanced by the events read so far, for progress
     */
    void read(Path file, FileCounts counts, RowSink sink, AtomicLong bytes, AtomicLong events)
            throws IOException, InterruptedException {
        read(open(file, bytes, nativeLibraries), file.toString(), counts, sink, events);
    }

    /** Reads the lines of {@code in} (inflated already), as {@link #read(Path, FileCounts, RowSink, AtomicLong, AtomicLong)}. */
    void read(InputStream in, String name, FileCounts counts, RowSink sink, AtomicLong events)
            throws IOException, InterruptedException {
        BlockingQueue<Block> blocks = new ArrayBlockingQueue<>(2);
        // Blocks go back for reuse once parsed: fresh memory costs page faults, and a few blocks suffice.
        BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(4);
        Thread reader = Thread.ofPlatform().name("archive-inflate").daemon().unstarted(() -> cut(in, blocks, free));
        reader.start();
        LineScanner scanner = scanner();
        long line = 0;
        try {
            while (true) {
                Block block = blocks.take();
                if (block == Block.END) {
                    break;
                }
                if (block.failure() != null) {
                    throw new IOException(Printable.of(name) + ": reading stopped after line " + line + ": "
                            + block.failure(), block.failure());
                }
                if (!block.scanned()) {
                    block = scan(scanner, block);
                }
                long before = counts.read();
                for (Line l : block.lines()) {
                    if (l.problem() != null) {
                        counts.unreadable(name, line + l.number(), l.problem()); // every problem the line pass finds
                    } else {
                        parseLine(name, line + l.number(), block.bytes(), l.off(), l.len(), counts, sink);
                    }
                }
                line += block.lineCount();
                block.unkept().forEach(counts::unkept);
                events.addAndGet(counts.read() - before);
                if (block.bytes().length == BLOCK_SIZE + 1) {
                    free.offer(block.bytes());
                }
                if (block.error() != null) {
                    String because = describe(block.error());
                    counts.broken(because, name + ":" + (line + 1) + ": " + because + "; the lines before it are loaded");
                    break;
                }
            }
        } finally {
            reader.interrupt();
            reader.join();
            in.close();
        }
    }

    /**
     * Null when {@code file} inflates to its end, else why not (as {@link FileCounts#brokenBecause}
     * says it): the gzip check alone, without the line pass or the parse.
     */
    String inflateProblem(Path file) throws IOException {
        byte[] buf = new byte[BLOCK_SIZE];
        try (InputStream in = open(file, new AtomicLong(), nativeLibraries)) {
            while (true) {
                int n;
                try {
                    n = in.read(buf);
                } catch (IOException e) {
                    return describe(e);
                }
                if (n < 0) {
                    return null;
                }
            }
        }
    }

    private LineScanner scanner() {
        return new LineScanner(mapper.keptTypes(), nativeLibraries ? SimdLines.NATIVE : null);
    }

    static String overLongProblem(long length, int maxLine) {
        return String.format(java.util.Locale.ROOT, "a line of %,d bytes, longer than ARCHIVE_SYNC_MAX_LINE (%,d bytes)",
                length, maxLine);
    }

    /** The byte-level pass over a block's lines: line ends, UTF-8, and the types that need no parsing. */
    private Block scan(LineScanner scanner, Block block) {
        byte[] b = block.bytes();
        int end = block.length();
        scanner.startBlock(b, end);
        long line = 0;
        List<Line> lines = new ArrayList<>();
        Map<String, Long> unkept = new HashMap<>();
        int pos = 0;
        while (pos < end) {
            int nl = scanner.lineEnd(b, pos, end);
            line++;
            int stop = nl;
            while (stop > pos && (b[stop - 1] == '\r' || b[stop - 1] == ' ' || b[stop - 1] == '\t')) {
                stop--;
            }
            if (nl - pos > maxLine) {
                lines.add(new Line(pos, 0, line, overLongProblem(nl - pos, maxLine)));
            } else if (stop > pos) {
                if (scanner.invalid >= 0) {
                    lines.add(new Line(pos, 0, line, String.format("non-UTF-8 byte 0x%02x at column %d",
                            b[scanner.invalid] & 0xff, scanner.invalid - pos + 1)));
                } else {
                    String type = scanner.unkeptType(b, pos, stop);
                    if (type == null) {
                        lines.add(new Line(pos, stop - pos, line, null));
                    } else if (b[stop - 1] != '}') {
                        lines.add(new Line(pos, 0, line, "malformed JSON (the line ends before its event does)"));
                    } else {
                        unkept.merge(type, 1L, Long::sum);
                    }
                }
            }
            pos = nl + 1;
        }
        return new Block(b, end, lines, unkept, line, block.error(), null);
    }

    private void parseLine(String name, long line, byte[] b, int off, int len, FileCounts counts, RowSink sink)
            throws InterruptedException {
        if (b[off] != '{') {
            counts.unreadable(name, line, "not a JSON object");
            return;
        }
        EventMapper.Mapped mapped;
        try {
            mapped = mapper.read(b, off, len);
        } catch (JsonCursor.MalformedJsonException e) {
            counts.unreadable(name, line, "malformed JSON (" + e.getMessage() + ")");
            return;
        }
        if (mapped.problem() != null) {
            counts.bad(name, line, mapped.problem());
            return;
        }
        counts.event(mapped.type(), mapped.kept());
        if (mapped.kept()) {
            sink.accept(mapped.row(), b, off, len);
        }
    }

    /**
     * The reader thread: inflated bytes, cut after the last newline of each block. When the parser
     * is behind (the queue is full), this thread makes the line pass itself before handing the
     * block over, so the two threads share the work whichever of them is the slower. A line longer
     * than {@link #maxLine} is skipped as it streams past, never held whole. Whatever fails here
     * is handed to the parser, which ends the read with it: the parser never waits for a thread
     * that is gone.
     */
    private void cut(InputStream in, BlockingQueue<Block> out, BlockingQueue<byte[]> free) {
        try {
            try {
                cutLines(in, out, free);
            } catch (InterruptedException e) {
                throw e;
            } catch (Throwable t) {
                out.put(Block.failed(t));
            }
        } catch (InterruptedException e) {
            // The parser stopped early (the sink failed); nothing more to hand over.
        }
    }

    private void cutLines(InputStream in, BlockingQueue<Block> out, BlockingQueue<byte[]> free)
            throws InterruptedException {
        LineScanner scanner = scanner();
        byte[] buf = block(free, 0);
        int len = 0;
        IOException error = null;
        while (true) {
            int n;
            try {
                n = in.read(buf, len, buf.length - 1 - len); // one byte left for the terminator
            } catch (IOException e) {
                error = e;
                break;
            }
            if (n < 0) {
                break;
            }
            len += n;
            if (len < buf.length - 1) {
                continue;
            }
            int cut = lastNewline(buf, len);
            if (cut < 0) {
                // buf holds the start of one line, and no newline yet.
                if (len <= maxLine) {
                    buf = Arrays.copyOf(buf, (int) Math.min(2L * buf.length, maxLine + 2L));
                    continue;
                }
                Skipped skipped = skipLine(in, buf, len);
                out.put(Block.overLong(skipped.length(), maxLine, skipped.error()));
                if (skipped.error() != null || skipped.rest() < 0) {
                    out.put(Block.END);
                    return;
                }
                byte[] next = block(free, skipped.rest());
                System.arraycopy(buf, 0, next, 0, skipped.rest());
                buf = next;
                len = skipped.rest();
                continue;
            }
            int rest = len - cut - 1;
            byte[] next = block(free, rest);
            System.arraycopy(buf, cut + 1, next, 0, rest);
            Block block = whole(buf, cut + 1, null);
            if (!out.offer(block)) {
                out.put(scan(scanner, block));
            }
            buf = next;
            len = rest;
        }
        if (error != null) {
            // Whole lines before the break load; a partial last line is part of the damage.
            out.put(whole(buf, lastNewline(buf, len) + 1, error));
        } else if (len > 0) {
            out.put(whole(buf, len, null)); // the last line may lack its newline
        }
        out.put(Block.END);
    }

    /**
     * What skipping an over-long line came to: its length (up to where it ended, or the input did),
     * the bytes after its newline now at the start of the buffer ({@code rest}, -1 at the end of the
     * input), and the read error that ended the input, if one did.
     */
    private record Skipped(long length, int rest, IOException error) {
    }

    /**
     * Reads past the rest of a line whose first {@code have} bytes are in {@code buf}, reusing
     * {@code buf} for each read: memory stays at one buffer however long the line is.
     */
    private static Skipped skipLine(InputStream in, byte[] buf, int have) {
        long length = have;
        while (true) {
            int n;
            try {
                n = in.read(buf, 0, buf.length - 1);
            } catch (IOException e) {
                return new Skipped(length, -1, e);
            }
            if (n < 0) {
                return new Skipped(length, -1, null);
            }
            int nl = -1;
            for (int i = 0; i < n; i++) {
                if (buf[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            if (nl < 0) {
                length += n;
                continue;
            }
            length += nl;
            int rest = n - nl - 1;
            System.arraycopy(buf, nl + 1, buf, 0, rest);
            return new Skipped(length, rest, null);
        }
    }

    /** The unscanned block of {@code buf[0, length)}, NUL-terminated for {@link SimdLines#lineEnd}. */
    private static Block whole(byte[] buf, int length, IOException error) {
        buf[length] = 0;
        return new Block(buf, length, null, null, 0, error, null);
    }

    /** A block with room for more than {@code keep} bytes and a terminator, reused when one is free. */
    private static byte[] block(BlockingQueue<byte[]> free, int keep) {
        if (keep < BLOCK_SIZE / 2) {
            byte[] b = free.poll();
            return b != null ? b : new byte[BLOCK_SIZE + 1];
        }
        return new byte[keep + BLOCK_SIZE / 2];
    }

    private static int lastNewline(byte[] b, int len) {
        for (int i = len - 1; i >= 0; i--) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Loads and checks ISA-L, simdjson and libcrypto, and calls each once on a few bytes. Their
     * checks and linking the first native calls cost about 0.1 s, which the command pays while it
     * connects to ClickHouse, not in the middle of the first file.
     */
    static void prepareNativeLibraries() {
        try {
            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            try (OutputStream out = new GZIPOutputStream(gz)) {
                out.write("{}\n".getBytes(StandardCharsets.US_ASCII));
            }
            try (InputStream in = IsalGzip.open(new ByteArrayInputStream(gz.toByteArray()), true)) {
                in.readAllBytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
        Sha256.isNative();
        if (SimdLines.NATIVE != null) {
            byte[] line = {'{', '}', '\n', 0};
            SimdLines.NATIVE.validUtf8(line, 3);
            SimdLines.NATIVE.lineEnd(line, 0, 3);
        }
    }

    /** A gzip file (by its magic bytes, whatever its name) or plain text. */
    static InputStream open(Path file, AtomicLong consumed, boolean isal) throws IOException {
        InputStream raw = new CountingInputStream(Files.newInputStream(file), consumed);
        PushbackInputStream head = new PushbackInputStream(raw, 2);
        byte[] magic = head.readNBytes(2);
        head.unread(magic);
        if (magic.length == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return IsalGzip.open(head, isal);
        }
        return head;
    }

    private static String describe(IOException e) {
        if (e instanceof EOFException) {
            return "gzip data truncated";
        }
        if (e instanceof ZipException) {
            return "gzip data corrupt (" + e.getMessage() + ")";
        }
        return "read failed (" + e.getMessage() + ")";
    }

    /** Counts the file bytes read, for progress and ETA. */
    private static final class CountingInputStream extends FilterInputStream {
        private final AtomicLong count;

        CountingInputStream(InputStream in, AtomicLong count) {
            super(in);
            this.count = count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count.incrementAndGet();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count.addAndGet(n);
            }
            return n;
        }
    }
}
