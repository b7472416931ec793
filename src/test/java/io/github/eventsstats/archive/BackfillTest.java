package io.github.eventsstats.archive;

import io.github.eventsstats.cli.BackfillCommand;
import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.event.EventMapper;
import io.github.eventsstats.event.EventRow;
import io.github.eventsstats.event.EventSource;
import io.github.eventsstats.event.TypeSelection;
import io.github.eventsstats.ingest.EventWriter;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.InstantSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backfill against the embedded engine, on small generated files. */
@QuarkusTest
class BackfillTest {

    /** Each test gets event ids, an hour and repository owners of its own. */
    private static final AtomicLong IDS = new AtomicLong(System.currentTimeMillis() * 1_000_000L);
    private static final AtomicInteger HOURS = new AtomicInteger();

    @Inject
    BackfillCommand command;
    @Inject
    EventWriter writer;
    @Inject
    Ledger ledger;
    @Inject
    ClickHouse clickHouse;

    private final Path dir = Path.of("target", "backfill-test");

    /** A generated hour: its events and what the tests compare against. */
    private record Hour(long firstId, long lastId, String owners, List<ArchiveGenerator.Event> events) {
        List<ArchiveGenerator.Event> kept() {
            return events.stream().filter(e -> TypeSelection.DEFAULTS.keeps(e.type())).toList();
        }

        long openedPrs() {
            return events.stream().filter(e -> e.type().equals("PullRequestEvent") && e.action().equals("opened")).count();
        }
    }

    private static Hour hour(int n) {
        long first = IDS.getAndAdd(10_000_000L);
        String owners = "bf" + first + "-o";
        Instant at = Instant.parse("2023-03-01T00:00:00Z").plusSeconds(3600L * HOURS.incrementAndGet());
        // The seed is fixed so a run's events (types, sizes) are the same every time; only ids and
        // owners are new, so that each run's rows are its own in the kept test database.
        ArchiveGenerator g = new ArchiveGenerator(n, at, first, n, owners);
        List<ArchiveGenerator.Event> events = new ArrayList<>();
        while (g.hasNext()) {
            events.add(g.next());
        }
        return new Hour(first, g.maxId(), owners, events);
    }

    private Path gz(String name, List<ArchiveGenerator.Event> events) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            for (ArchiveGenerator.Event e : events) {
                out.write((e.json() + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        return file;
    }

    private record Run(int code, String out) {
    }

    private Run backfill(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = command.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), null);
        return new Run(code, out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
    }

    private Map<String, Long> storedByType(Hour h) {
        Map<String, Long> byType = new TreeMap<>();
        clickHouse.query("""
                SELECT toString(event_type) AS t, count() AS c FROM events
                WHERE event_id BETWEEN {a:UInt64} AND {b:UInt64} GROUP BY t""", Map.of("a", h.firstId(), "b", h.lastId()))
                .forEach(r -> byType.put(r.getString("t"), r.getLong("c")));
        return byType;
    }

    private static Map<String, Long> keptByType(List<ArchiveGenerator.Event> events) {
        Map<String, Long> byType = new TreeMap<>();
        events.stream().filter(e -> TypeSelection.DEFAULTS.keeps(e.type())).forEach(e -> byType.merge(e.type(), 1L, Long::sum));
        return byType;
    }

    /** Rows in `events` and distinct ids among them: equal when nothing is stored twice. */
    private long[] rowsAndIds(Hour h) {
        var r = clickHouse.query("SELECT count() AS c, uniqExact(event_id) AS u FROM events"
                + " WHERE event_id BETWEEN {a:UInt64} AND {b:UInt64}", Map.of("a", h.firstId(), "b", h.lastId())).getFirst();
        return new long[] {r.getLong("c"), r.getLong("u")};
    }

    private long openedPrsCounted(Hour h) {
        // Per repository, then summed: a PR is its repository and number, numbers repeat across repositories.
        return clickHouse.query("SELECT sum(n) AS n FROM (SELECT uniqExactMerge(opened_count) AS n FROM pr_metrics_agg"
                + " WHERE startsWith(repo_name, {p:String}) GROUP BY repo_name)", Map.of("p", h.owners())).getFirst().getLong("n");
    }

    private long ledgerRows(Path file) throws IOException {
        return clickHouse.query("SELECT count() AS c FROM backfill_ledger WHERE sha256 = {h:FixedString(64)}",
                Map.of("h", Ledger.sha256(file))).getFirst().getLong("c");
    }

    private void assertEachStoredOnce(Hour h, long expected) {
        assertEquals(expected, rowsAndIds(h)[0], "rows");
        assertEquals(expected, rowsAndIds(h)[1], "distinct ids");
    }

    @Test
    void storedCountsByTypeMatchTheGeneratorsAndASecondRunLoadsNothing() throws Exception {
        Hour h = hour(3000);
        Path file = gz("counts-" + h.firstId() + ".json.gz", h.events());

        Run first = backfill(file.toString());

        assertEquals(0, first.code(), first.out());
        assertEquals(keptByType(h.events()), storedByType(h));
        assertEquals(h.openedPrs(), openedPrsCounted(h));
        assertTrue(first.out().contains("1 loaded"), first.out());
        assertEquals(1, ledgerRows(file));

        Run second = backfill(file.toString());

        assertEquals(0, second.code(), second.out());
        assertTrue(second.out().contains("0 loaded, 1 skipped (already loaded)"), second.out());
        assertTrue(second.out().contains("0 read"), second.out());
        assertEachStoredOnce(h, h.kept().size());
        assertEquals(1, ledgerRows(file));
    }

    @Test
    void withAStarEveryTypeIsStoredAndTheCountsMatchTheGeneratedTruth() throws Exception {
        Hour h = hour(3000);
        Path file = gz("every-" + h.firstId() + ".json.gz", h.events());
        Map<String, Long> truth = new TreeMap<>();
        h.events().forEach(e -> truth.merge(e.type(), 1L, Long::sum));

        Run run = backfill("--types", "*", file.toString());

        assertEquals(0, run.code(), run.out());
        assertEquals(truth, storedByType(h));
        assertEquals(ArchiveGenerator.TYPES.length, truth.size(), "the generator's every type is there");
        assertEachStoredOnce(h, h.events().size());
        assertEquals(h.openedPrs(), openedPrsCounted(h));
        assertEquals(truth.get("PushEvent"), clickHouse.query("""
                SELECT count() AS c FROM push_events FINAL WHERE event_id BETWEEN {a:UInt64} AND {b:UInt64}""",
                Map.of("a", h.firstId(), "b", h.lastId())).getFirst().getLong("c"), "one row per push");
    }

    @Test
    void aChangedFileIsReloadedWithoutDuplicates() throws Exception {
        Hour h = hour(2000);
        String name = "changed-" + h.firstId() + ".json.gz";
        gz(name, h.events().subList(0, 1200));
        assertEquals(0, backfill(dir.resolve(name).toString()).code());

        Path grown = gz(name, h.events()); // the same file, now complete (as a raw archive hour grows)
        Run again = backfill(grown.toString());

        assertEquals(0, again.code(), again.out());
        long keptBefore = h.events().subList(0, 1200).stream().filter(e -> TypeSelection.DEFAULTS.keeps(e.type())).count();
        assertTrue(again.out().contains(String.format("%,d stored, %,d duplicate", h.kept().size() - keptBefore, keptBefore)),
                again.out());
        assertEachStoredOnce(h, h.kept().size());
        assertEquals(h.openedPrs(), openedPrsCounted(h));
    }

    @Test
    void aCrashHalfwayThroughAFileThenARerunStoresEachEventOnce() throws Exception {
        Hour h = hour(3000);
        Path file = gz("crash-" + h.firstId() + ".json.gz", h.events());
        EventMapper mapper = new EventMapper(TypeSelection.DEFAULTS, InstantSource.system());
        AtomicInteger batches = new AtomicInteger();
        Backfill crashing = new Backfill(mapper, rows -> {
            if (batches.incrementAndGet() > 2) {
                throw new IllegalStateException("simulated crash");
            }
            return writer.write(rows, EventSource.ARCHIVE);
        }, ledger, 100, 1 << 24);

        Backfill.Summary crashed = crashing.run(List.of(file), null);

        assertEquals(Backfill.FAILED, crashed.exitCode());
        assertEquals(200, rowsAndIds(h)[0], "the two batches before the crash are stored");
        assertEquals(0, ledgerRows(file), "a file that did not finish is not in the ledger");

        Run rerun = backfill(file.toString());

        assertEquals(0, rerun.code(), rerun.out());
        assertTrue(rerun.out().contains(String.format("%,d stored, 200 duplicate", h.kept().size() - 200)), rerun.out());
        assertEachStoredOnce(h, h.kept().size());
        assertEquals(keptByType(h.events()), storedByType(h));
        assertEquals(h.openedPrs(), openedPrsCounted(h));
        assertEquals(1, ledgerRows(file));
    }

    @Test
    void badLinesAndATruncatedGzipAreReportedAndTheRestIsStored() throws Exception {
        Hour h = hour(1000);
        List<ArchiveGenerator.Event> events = h.events();
        Files.createDirectories(dir);
        // A plain file with a cut-off line and a non-UTF-8 byte among good lines. The cut one is of
        // a kept type, which is parsed whole: an unkept line is only checked for its UTF-8 and for
        // ending with '}', and a cut can happen to leave one that does.
        int cutAt = 100;
        while (!TypeSelection.DEFAULTS.keeps(events.get(cutAt).type())) {
            cutAt++;
        }
        Path plain = dir.resolve("bad-" + h.firstId() + ".jsonl");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < 500; i++) {
            String json = events.get(i).json();
            if (i == cutAt) {
                json = json.substring(0, json.length() / 2);
            }
            byte[] line = json.getBytes(StandardCharsets.UTF_8);
            if (i == 200) {
                // On an ASCII byte, so no multi-byte character before it is broken first.
                int at = line.length / 2;
                while (line[at] < 0) {
                    at--;
                }
                line[at] = (byte) 0xC3;
                line[at + 1] = (byte) '(';
            }
            b.writeBytes(line);
            b.write('\n');
        }
        Files.write(plain, b.toByteArray());
        // A gzip file cut in the middle.
        Path whole = gz("cut-" + h.firstId() + ".json", events.subList(500, 1000));
        byte[] gz = Files.readAllBytes(whole);
        Path cut = dir.resolve("cut-" + h.firstId() + ".json.gz");
        Files.write(cut, java.util.Arrays.copyOf(gz, gz.length * 2 / 3));
        Files.delete(whole);

        Run run = backfill(plain.toString(), cut.toString());

        assertEquals(Backfill.INPUT_SKIPPED, run.code(), run.out());
        assertTrue(run.out().contains("2 bad lines, 1 truncated or corrupt file(s)"), run.out());
        assertTrue(run.out().contains("skipped " + plain + ":" + (cutAt + 1) + ": malformed JSON"), run.out());
        assertTrue(run.out().contains("skipped " + plain + ":201: non-UTF-8 byte 0xc3"), run.out());
        assertTrue(run.out().contains("gzip data truncated"), run.out());
        long read = Long.parseLong(run.out().replaceAll("(?s).*events: ([\\d,]+) read.*", "$1").replace(",", ""));
        List<ArchiveGenerator.Event> expected = new ArrayList<>(events.subList(0, (int) read - 498 + 500));
        expected.remove(200);
        expected.remove(cutAt);
        assertEquals(keptByType(expected), storedByType(h));
        assertEquals(1, ledgerRows(plain));
        assertEquals(1, ledgerRows(cut));
    }

    @Test
    void aDryRunWritesNothing() throws Exception {
        Hour h = hour(1500);
        Path file = gz("dry-" + h.firstId() + ".json.gz", h.events());

        Run run = backfill("--dry-run", file.toString());

        assertEquals(0, run.code(), run.out());
        assertTrue(run.out().contains("dry run, nothing written"), run.out());
        assertTrue(run.out().contains(String.format("1,500 read, %,d kept, 0 stored", h.kept().size())), run.out());
        assertEquals(0, rowsAndIds(h)[0]);
        assertEquals(0, ledgerRows(file));
    }

    @Test
    void typesLimitWhatIsStored() throws Exception {
        Hour h = hour(1500);
        Path file = gz("types-" + h.firstId() + ".json.gz", h.events());

        assertEquals(0, backfill("--types", "WatchEvent", file.toString()).code());

        assertEquals(Map.of("WatchEvent", keptByType(h.events()).get("WatchEvent")), storedByType(h));
    }

    @Test
    void aFileLoadedWithFewerTypesIsLoadedAgainForTheTypesItDidNotStore() throws Exception {
        Hour h = hour(1500);
        Path file = gz("widen-" + h.firstId() + ".json.gz", h.events());
        assertEquals(0, backfill("--types", "WatchEvent", file.toString()).code());

        Run wider = backfill(file.toString());

        assertTrue(wider.out().contains("1 loaded"), wider.out());
        assertEquals(keptByType(h.events()), storedByType(h));
        assertEachStoredOnce(h, h.kept().size());
        // Covered now, by the default types' load: a narrower or equal ask reads nothing.
        for (String types : new String[] {"WatchEvent", "IssuesEvent,PullRequestEvent,WatchEvent"}) {
            Run again = backfill("--types", types, file.toString());
            assertTrue(again.out().contains("0 loaded, 1 skipped (already loaded)"), types + ": " + again.out());
        }
        Run every = backfill("--types", "*", file.toString());
        assertTrue(every.out().contains("1 loaded"), every.out());
        assertEachStoredOnce(h, h.events().size());
        assertTrue(backfill("--types", "PushEvent", file.toString()).out().contains("1 skipped (already loaded)"));
    }

    @Test
    void pollerAndBackfillOverTheSameEventsStoreEachOnce() throws Exception {
        Hour h = hour(2000);
        // The poller saw part of the hour: the same JSON, through the same mapper and writer.
        EventMapper mapper = new EventMapper(TypeSelection.DEFAULTS, InstantSource.system());
        List<EventRow> polled = new ArrayList<>();
        for (ArchiveGenerator.Event e : h.events().subList(800, 1400)) {
            byte[] json = e.json().getBytes(StandardCharsets.UTF_8);
            EventMapper.Mapped m = mapper.read(json, 0, json.length);
            if (m.kept()) {
                polled.add(m.row());
            }
        }
        for (int i = 0; i < polled.size(); i += 100) {
            writer.write(polled.subList(i, Math.min(polled.size(), i + 100)), EventSource.FIREHOSE);
        }
        Path file = gz("overlap-" + h.firstId() + ".json.gz", h.events());

        Run run = backfill(file.toString());

        assertEquals(0, run.code(), run.out());
        assertTrue(run.out().contains(String.format("%,d stored, %,d duplicate", h.kept().size() - polled.size(),
                polled.size())), run.out());
        assertEachStoredOnce(h, h.kept().size());
        assertEquals(h.openedPrs(), openedPrsCounted(h));
    }

    @Test
    void aMissingPathIsAUsageError() throws Exception {
        Run run = backfill(dir.resolve("no-such-hour.json.gz").toString());
        assertEquals(Backfill.USAGE, run.code());
        assertTrue(run.out().startsWith("backfill: " + dir.resolve("no-such-hour.json.gz") + ": no such file or directory"),
                run.out());
    }
}
