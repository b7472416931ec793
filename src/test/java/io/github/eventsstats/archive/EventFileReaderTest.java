package io.github.eventsstats.archive;

import io.github.eventsstats.event.EventMapper;
import io.github.eventsstats.event.EventRow;
import io.github.eventsstats.event.TypeSelection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.time.InstantSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reading archive files: formats, line handling and bad input, without a database. Gzip is
 * inflated with ISA-L and lines checked with simdjson where they are installed;
 * {@link EventFileReaderPureJavaTest} runs the same in Java only.
 */
class EventFileReaderTest {

    /** Whether gzip is inflated with ISA-L and lines checked with simdjson (when installed). */
    boolean nativeLibraries() {
        return true;
    }

    private static final Instant HOUR = Instant.parse("2024-02-03T04:00:00Z");

    @TempDir
    Path dir;

    private record Read(FileCounts counts, List<EventRow> rows) {
    }

    private Read read(Path file) throws Exception {
        return read(file, 1 << 24);
    }

    private Read read(Path file, int maxLine) throws Exception {
        FileCounts counts = new FileCounts();
        List<EventRow> rows = new ArrayList<>();
        reader(maxLine).read(file, counts, rows::add, new AtomicLong(), new AtomicLong());
        return new Read(counts, rows);
    }

    private EventFileReader reader(int maxLine) {
        return new EventFileReader(new EventMapper(TypeSelection.DEFAULTS, InstantSource.system()), maxLine,
                nativeLibraries());
    }

    private static int bytes(String line) {
        return line.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The ids of the lines the default types keep, in order. */
    private static List<Long> keptIds(List<String> lines) {
        List<Long> ids = new ArrayList<>();
        for (String l : lines) {
            if (l.contains("\"WatchEvent\"") || l.contains("\"PullRequestEvent\"") || l.contains("\"IssuesEvent\"")) {
                ids.add(Long.parseLong(l.substring(7, l.indexOf('"', 7))));
            }
        }
        return ids;
    }

    private static List<String> lines(int n, long firstId) {
        ArchiveGenerator g = new ArchiveGenerator(7, HOUR, firstId, n, "reader-owner");
        List<String> lines = new ArrayList<>();
        while (g.hasNext()) {
            lines.add(g.next().json());
        }
        return lines;
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    @Test
    void countsByTypeMatchTheGeneratorsAndKeptEventsBecomeRows() throws Exception {
        Path file = dir.resolve("2024-02-03-4.json.gz");
        ArchiveGenerator.Manifest m = ArchiveGenerator.write(file, 3000, 11, HOUR, 1_000_000, "reader-owner");

        Read r = read(file);

        assertEquals(m.byType(), r.counts().readByType());
        assertEquals(3000, r.counts().read());
        assertEquals(0, r.counts().bad());
        assertEquals(m.kept().stream().map(ArchiveGenerator.Event::id).toList(),
                r.rows().stream().map(EventRow::eventId).toList());
        assertEquals(m.kept().stream().map(e -> e.type() + "/" + e.action() + "/" + e.repo() + "/" + e.createdAt()).toList(),
                r.rows().stream().map(row -> row.type() + "/" + row.action() + "/" + row.repoName() + "/" + row.createdAt()).toList());
    }

    @Test
    void concatenatedGzipMembersAreReadLikeOneFile() throws Exception {
        // The poller's raw archive appends one gzip member per poll to the hour's file.
        List<String> lines = lines(300, 2_000_000);
        Path file = dir.resolve("raw.json.gz");
        Files.write(file, gzip(String.join("\n", lines.subList(0, 100)) + "\n"));
        Files.write(file, gzip(String.join("\n", lines.subList(100, 250)) + "\n"), java.nio.file.StandardOpenOption.APPEND);
        Files.write(file, gzip(String.join("\n", lines.subList(250, 300)) + "\n"), java.nio.file.StandardOpenOption.APPEND);

        Read r = read(file);

        assertEquals(300, r.counts().read());
        assertFalse(r.counts().partial());
    }

    @Test
    void plainFilesWithCrLfBlankLinesAndNoFinalNewlineAreRead() throws Exception {
        List<String> lines = lines(50, 3_000_000);
        Path file = dir.resolve("events.jsonl");
        Files.writeString(file, String.join("\r\n", lines.subList(0, 25)) + "\r\n\r\n   \n" + String.join("\n", lines.subList(25, 50)));

        Read r = read(file);

        assertEquals(50, r.counts().read());
        assertEquals(0, r.counts().bad());
    }

    @Test
    void aLineLongerThanABlockIsReadWhole() throws Exception {
        String big = "{\"id\":\"99\",\"type\":\"WatchEvent\",\"actor\":{\"id\":1,\"login\":\"a\"},\"repo\":{\"id\":2,"
                + "\"name\":\"o/r\"},\"payload\":{\"action\":\"started\",\"pad\":\"" + "x".repeat(EventFileReader.BLOCK_SIZE * 2)
                + "\"},\"created_at\":\"2024-02-03T04:05:06Z\"}";
        Path file = dir.resolve("big.json");
        Files.writeString(file, lines(10, 4_000_000).getFirst() + "\n" + big + "\n" + lines(10, 4_000_100).getLast() + "\n");

        Read r = read(file);

        assertEquals(3, r.counts().read());
        assertTrue(r.rows().stream().anyMatch(row -> row.eventId() == 99 && row.action().equals("started")));
    }

    @Test
    void badLinesAreCountedWithTheirLineNumberAndTheRestIsRead() throws Exception {
        List<String> good = lines(40, 5_000_000);
        String pr = good.stream().filter(l -> l.contains("\"PullRequestEvent\"")).findFirst().orElseThrow();
        String push = good.stream().filter(l -> l.contains("\"PushEvent\"")).findFirst().orElseThrow();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String l : good.subList(0, 10)) {
            b.writeBytes((l + "\n").getBytes(StandardCharsets.UTF_8));
        }
        b.writeBytes((pr.substring(0, pr.length() / 2) + "\n").getBytes(StandardCharsets.UTF_8)); // line 11: cut short
        byte[] bad = push.getBytes(StandardCharsets.UTF_8);
        bad[bad.length / 2] = (byte) 0xFF; // line 12: not UTF-8, in an event that is not kept
        b.writeBytes(bad);
        b.write('\n');
        b.writeBytes("[1,2,3]\n".getBytes(StandardCharsets.UTF_8)); // line 13
        b.writeBytes((push.substring(0, push.length() - 40) + "\n").getBytes(StandardCharsets.UTF_8)); // line 14
        b.writeBytes("{\"id\":\"1\",\"type\":\"WatchEvent\"}\n".getBytes(StandardCharsets.UTF_8)); // line 15: no repo
        for (String l : good.subList(10, 40)) {
            b.writeBytes((l + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Path file = dir.resolve("bad.json");
        Files.write(file, b.toByteArray());

        Read r = read(file);

        assertEquals(40, r.counts().read());
        assertEquals(5, r.counts().bad());
        List<String> problems = r.counts().problems();
        assertTrue(problems.get(0).startsWith(file + ":11: malformed JSON"), problems.toString());
        assertTrue(problems.get(1).startsWith(file + ":12: non-UTF-8 byte 0xff"), problems.toString());
        assertTrue(problems.get(2).startsWith(file + ":13: not a JSON object"), problems.toString());
        assertTrue(problems.get(3).startsWith(file + ":14: malformed JSON"), problems.toString());
        assertTrue(problems.get(4).startsWith(file + ":15: missing repo.name"), problems.toString());
    }

    @Test
    void lineNumbersHoldAcrossBlocksWhicheverThreadScansThem() throws Exception {
        List<String> lines = lines(6000, 7_000_000);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < lines.size(); i++) {
            byte[] line = lines.get(i).getBytes(StandardCharsets.UTF_8);
            if (i == 999 || i == 4321 || i == 5999) {
                line[line.length - 5] = (byte) 0xFE;
            }
            b.writeBytes(line);
            b.write('\n');
        }
        Path file = dir.resolve("many-blocks.json.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(b.toByteArray());
        }
        assertTrue(b.size() > 5L * EventFileReader.BLOCK_SIZE);
        FileCounts counts = new FileCounts();
        AtomicLong rows = new AtomicLong();
        // A sink that waits for the reader thread to block keeps the queue full, so that thread
        // scans blocks too.
        new EventFileReader(new EventMapper(TypeSelection.DEFAULTS, InstantSource.system()), 1 << 24, nativeLibraries()).read(file, counts, row -> {
            if (rows.incrementAndGet() % 200 == 0) {
                await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2)).atMost(Duration.ofSeconds(30))
                        .until(EventFileReaderTest::readerWaitsOrIsDone);
            }
        }, new AtomicLong(), new AtomicLong());

        assertEquals(5997, counts.read());
        assertEquals(List.of(file + ":1000:", file + ":4322:", file + ":6000:"),
                counts.problems().stream().map(p -> p.substring(0, p.indexOf(':', file.toString().length() + 1) + 1)).toList());
    }

    /** The inflating thread is blocked (its queue is full, or it waits for a free block) or gone. */
    private static boolean readerWaitsOrIsDone() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("archive-inflate"))
                .allMatch(t -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TERMINATED);
    }

    @Test
    void aTruncatedGzipLoadsEverythingBeforeTheCut() throws Exception {
        List<String> lines = lines(2000, 6_000_000);
        byte[] whole = gzip(String.join("\n", lines) + "\n");
        Path file = dir.resolve("cut.json.gz");
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length / 2));

        Read r = read(file);

        assertTrue(r.counts().broken());
        assertTrue(r.counts().read() > 500 && r.counts().read() < 2000, "read " + r.counts().read());
        assertTrue(r.counts().problems().getLast().matches(".*cut\\.json\\.gz:\\d+: gzip data truncated.*"),
                r.counts().problems().toString());
        // Everything read is exactly the file's first events, in order.
        List<Long> expected = new ArrayList<>();
        for (String l : lines.subList(0, (int) r.counts().read())) {
            if (l.contains("\"WatchEvent\"") || l.contains("\"PullRequestEvent\"") || l.contains("\"IssuesEvent\"")) {
                expected.add(Long.parseLong(l.substring(7, l.indexOf('"', 7))));
            }
        }
        assertEquals(expected, r.rows().stream().map(EventRow::eventId).toList());
    }

    @Test
    void linesLongerThanTheCapAreSkippedAsBadLinesAndTheLinesAroundThemLoad() throws Exception {
        List<String> good = lines(300, 7_000_000);
        int cap = good.stream().mapToInt(EventFileReaderTest::bytes).max().orElseThrow() + 10;
        // One far longer than a block (streamed past), one inside a block, one cut by the end of the file.
        String streamed = "{\"id\":\"1\",\"type\":\"WatchEvent\",\"pad\":\"" + "x".repeat(3 * EventFileReader.BLOCK_SIZE) + "\"}";
        String inBlock = "{\"id\":\"2\",\"type\":\"WatchEvent\",\"pad\":\"" + "y".repeat(cap) + "\"}";
        String last = "z".repeat(2 * EventFileReader.BLOCK_SIZE + 5);
        List<String> all = new ArrayList<>(good.subList(0, 100));
        all.add(streamed);
        all.addAll(good.subList(100, 200));
        all.add(inBlock);
        all.addAll(good.subList(200, 300));
        all.add(last);
        Path file = dir.resolve("long-lines.json.gz");
        Files.write(file, gzip(String.join("\n", all)));

        Read r = read(file, cap);

        assertEquals(3, r.counts().bad(), r.counts().problems().toString());
        assertEquals(300, r.counts().read());
        assertEquals(keptIds(good), r.rows().stream().map(EventRow::eventId).toList());
        assertEquals(List.of(
                "long-lines.json.gz:101: a line of " + String.format(java.util.Locale.ROOT, "%,d", streamed.length())
                        + " bytes, longer than ARCHIVE_SYNC_MAX_LINE (" + String.format(java.util.Locale.ROOT, "%,d", cap) + " bytes)",
                "long-lines.json.gz:202: a line of " + String.format(java.util.Locale.ROOT, "%,d", bytes(inBlock))
                        + " bytes, longer than ARCHIVE_SYNC_MAX_LINE (" + String.format(java.util.Locale.ROOT, "%,d", cap) + " bytes)",
                "long-lines.json.gz:303: a line of " + String.format(java.util.Locale.ROOT, "%,d", last.length())
                        + " bytes, longer than ARCHIVE_SYNC_MAX_LINE (" + String.format(java.util.Locale.ROOT, "%,d", cap) + " bytes)"),
                r.counts().problems().stream().map(p -> p.substring(p.lastIndexOf('/') + 1)).toList());
    }

    @Test
    void aLineAsLongAsTheCapLoadsAndOneByteMoreIsABadLine() throws Exception {
        List<String> good = lines(50, 8_000_000);
        String watch = good.stream().filter(l -> l.contains("\"WatchEvent\"")).findFirst().orElseThrow();
        Path file = dir.resolve("cap.json");
        Files.writeString(file, String.join("\n", good) + "\n");

        Read atCap = read(file, good.stream().mapToInt(EventFileReaderTest::bytes).max().orElseThrow());
        Read belowCap = read(file, bytes(watch) - 1);

        assertEquals(0, atCap.counts().bad(), atCap.counts().problems().toString());
        assertEquals(keptIds(good), atCap.rows().stream().map(EventRow::eventId).toList());
        assertTrue(belowCap.counts().bad() >= 1, "the line of " + bytes(watch) + " bytes is over the cap");
        assertFalse(belowCap.rows().stream().anyMatch(row -> watch.contains("\"" + row.eventId() + "\"")));
    }

    @Test
    void aLineLongerThanTheCapCostsOneBufferHoweverLongItIs() throws Exception {
        // 64 MiB of one line through a 1 MiB cap: the reader's arrays stay at their block size.
        long before = allocatedBytes();
        InputStream oneLine = new java.io.SequenceInputStream(new ByteArrayInputStream("{\"id\":\"".getBytes(StandardCharsets.US_ASCII)),
                new InputStream() {
                    long left = 64L << 20;

                    @Override
                    public int read() {
                        return left-- > 0 ? '0' : -1;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) {
                        if (left <= 0) {
                            return -1;
                        }
                        int n = (int) Math.min(len, left);
                        java.util.Arrays.fill(b, off, off + n, (byte) '0');
                        left -= n;
                        return n;
                    }
                });
        FileCounts counts = new FileCounts();

        reader(1 << 20).read(oneLine, "one-line", counts, row -> { }, new AtomicLong());

        assertEquals(1, counts.bad());
        long allocated = allocatedBytes() - before;
        assertTrue(allocated < 32L << 20, "allocated " + (allocated >> 20) + " MiB for a 64 MiB line");
    }

    /** Bytes this thread and the reader threads allocated so far (the JVM's count, not the heap's size). */
    private static long allocatedBytes() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        return threads.getTotalThreadAllocatedBytes();
    }

    @Test
    void aFailureOnTheReaderThreadEndsTheReadWithItInsteadOfHanging() {
        List<String> good = lines(100, 9_000_000);
        byte[] text = (String.join("\n", good) + "\n").getBytes(StandardCharsets.UTF_8);
        InputStream failing = new InputStream() {
            int at;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (at >= text.length) {
                    throw new OutOfMemoryError("simulated: Java heap space");
                }
                int n = Math.min(len, text.length - at);
                System.arraycopy(text, at, b, off, n);
                at += n;
                return n;
            }
        };
        FileCounts counts = new FileCounts();

        IOException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofMinutes(1),
                () -> org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                        () -> reader(1 << 24).read(failing, "failing.json", counts, row -> { }, new AtomicLong())));

        assertTrue(e.getMessage().contains("failing.json: reading stopped after line")
                && e.getMessage().contains("OutOfMemoryError: simulated: Java heap space"), e.getMessage());
    }
}
