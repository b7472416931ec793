package io.github.eventsstats.archive;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.github.eventsstats.ingest.EventMapper;
import io.github.eventsstats.store.EventRow;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads one archive file (gzip, one or more concatenated members, or plain JSON lines) and hands
 * each kept event's row to a sink.
 *
 * <p>Two threads share the work: a reader thread inflates the file and cuts it into blocks of
 * whole lines, while the calling thread handles the lines of the previous block. Every line is
 * checked for UTF-8 ({@link LineScanner}); an event of a type not kept is then only counted (its
 * type is read from GH Archive's fixed line start, and the line must end with its object), while
 * every other line is parsed by the poller's {@link EventMapper}, with a parser of its own over
 * the block's bytes, so a malformed line costs that line and nothing else. Malformations deep
 * inside an unkept event go unnoticed, as they would if it were parsed and dropped.
 */
final class EventFileReader {

    /** A block is about this many inflated bytes of whole lines (more when one line is longer). */
    static final int BLOCK_SIZE = 1 << 20;
    private static final int GZIP_BUFFER = 1 << 16;

    /** Receives the kept events' rows, in file order. */
    interface RowSink {
        void accept(EventRow row) throws InterruptedException;
    }

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final EventMapper mapper;
    private final LineScanner scanner;

    EventFileReader(EventMapper mapper) {
        this.mapper = mapper;
        this.scanner = new LineScanner(mapper.keptTypes());
    }

    /** Bytes of whole lines; {@code error} is set on the last block when the input broke off. */
    private record Block(byte[] bytes, int length, IOException error) {
        static final Block END = new Block(new byte[0], 0, null);
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
        BlockingQueue<Block> blocks = new ArrayBlockingQueue<>(2);
        // Blocks go back for reuse once parsed: fresh memory costs page faults, and a few blocks suffice.
        BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(4);
        InputStream in = open(file, bytes);
        Thread reader = Thread.ofPlatform().name("archive-inflate").daemon().unstarted(() -> cut(in, blocks, free));
        reader.start();
        String name = file.toString();
        try {
            long line = 0;
            while (true) {
                Block block = blocks.take();
                if (block == Block.END) {
                    break;
                }
                long before = counts.read();
                line = parseLines(name, block, line, counts, sink);
                events.addAndGet(counts.read() - before);
                if (block.bytes().length == BLOCK_SIZE) {
                    free.offer(block.bytes());
                }
                if (block.error() != null) {
                    counts.broken(name + ":" + (line + 1) + ": " + describe(block.error())
                            + "; the lines before it are loaded");
                    break;
                }
            }
        } finally {
            reader.interrupt();
            reader.join();
            in.close();
        }
    }

    /** Parses the lines of one block; returns the number of the last line. */
    private long parseLines(String name, Block block, long line, FileCounts counts, RowSink sink)
            throws InterruptedException {
        byte[] b = block.bytes();
        int end = block.length();
        int pos = 0;
        while (pos < end) {
            int nl = scanner.lineEnd(b, pos, end);
            line++;
            int stop = nl;
            while (stop > pos && (b[stop - 1] == '\r' || b[stop - 1] == ' ' || b[stop - 1] == '\t')) {
                stop--;
            }
            if (stop > pos) {
                if (scanner.invalid >= 0) {
                    counts.bad(name, line, String.format("non-UTF-8 byte 0x%02x at column %d",
                            b[scanner.invalid] & 0xff, scanner.invalid - pos + 1));
                } else {
                    String unkept = scanner.unkeptType(b, pos, stop);
                    if (unkept == null) {
                        parseLine(name, line, b, pos, stop - pos, counts, sink);
                    } else if (b[stop - 1] != '}') {
                        counts.bad(name, line, "malformed JSON (the line ends before its event does)");
                    } else {
                        counts.event(unkept, false);
                    }
                }
            }
            pos = nl + 1;
        }
        return line;
    }

    private void parseLine(String name, long line, byte[] b, int off, int len, FileCounts counts, RowSink sink)
            throws InterruptedException {
        EventMapper.Mapped mapped;
        try (JsonParser p = JSON.createParser(b, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                counts.bad(name, line, "not a JSON object");
                return;
            }
            mapped = mapper.read(p);
            if (p.nextToken() != null) {
                counts.bad(name, line, "text after the event object");
                return;
            }
        } catch (JsonProcessingException e) {
            String m = e.getOriginalMessage();
            counts.bad(name, line, m != null && m.contains("Invalid UTF-8")
                    ? "non-UTF-8 byte (" + firstLine(m) + ")" : "malformed JSON (" + firstLine(m) + ")");
            return;
        } catch (IOException e) {
            counts.bad(name, line, "unreadable: " + e.getMessage());
            return;
        }
        if (mapped.problem() != null) {
            counts.bad(name, line, mapped.problem());
            return;
        }
        counts.event(mapped.type(), mapped.kept());
        if (mapped.kept()) {
            sink.accept(mapped.row());
        }
    }

    /** The reader thread: inflated bytes, cut after the last newline of each block. */
    private static void cut(InputStream in, BlockingQueue<Block> out, BlockingQueue<byte[]> free) {
        try {
            byte[] buf = block(free, 0);
            int len = 0;
            IOException error = null;
            while (true) {
                int n;
                try {
                    n = in.read(buf, len, buf.length - len);
                } catch (IOException e) {
                    error = e;
                    break;
                }
                if (n < 0) {
                    break;
                }
                len += n;
                if (len < buf.length) {
                    continue;
                }
                int cut = lastNewline(buf, len);
                if (cut < 0) {
                    buf = Arrays.copyOf(buf, buf.length * 2); // one line longer than a block
                    continue;
                }
                int rest = len - cut - 1;
                byte[] next = block(free, rest);
                System.arraycopy(buf, cut + 1, next, 0, rest);
                out.put(new Block(buf, cut + 1, null));
                buf = next;
                len = rest;
            }
            if (error != null) {
                // Whole lines before the break load; a partial last line is part of the damage.
                int cut = lastNewline(buf, len);
                out.put(new Block(buf, cut + 1, error));
            } else if (len > 0) {
                out.put(new Block(buf, len, null)); // the last line may lack its newline
            }
            out.put(Block.END);
        } catch (InterruptedException e) {
            // The parser stopped early (the sink failed); nothing more to hand over.
        }
    }

    /** A block with room for more than {@code keep} bytes, reused when one is free. */
    private static byte[] block(BlockingQueue<byte[]> free, int keep) {
        if (keep < BLOCK_SIZE / 2) {
            byte[] b = free.poll();
            return b != null ? b : new byte[BLOCK_SIZE];
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

    /** A gzip file (by its magic bytes, whatever its name) or plain text. */
    static InputStream open(Path file, AtomicLong consumed) throws IOException {
        InputStream raw = new CountingInputStream(Files.newInputStream(file), consumed);
        PushbackInputStream head = new PushbackInputStream(raw, 2);
        byte[] magic = head.readNBytes(2);
        head.unread(magic);
        if (magic.length == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            // GZIPInputStream reads concatenated members, as the poller's raw archive appends them.
            return new GZIPInputStream(head, GZIP_BUFFER);
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

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
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
