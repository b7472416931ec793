package io.github.eventsstats.dashboard;

import io.github.eventsstats.archive.ArchiveGenerator;
import io.github.eventsstats.archive.FakeGhArchive;
import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.coverage.CoverageService;
import io.github.eventsstats.embedded.EmbeddedClickHouse;
import io.github.eventsstats.embedded.EngineProcess;
import io.github.eventsstats.event.EventRow;
import io.github.eventsstats.event.EventSource;
import io.github.eventsstats.event.EventType;
import io.github.eventsstats.github.FakeGitHub;
import io.github.eventsstats.ingest.EventWriter;
import io.github.eventsstats.platform.NodeTools;
import io.github.eventsstats.watch.GeneratedHistory;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.zip.GZIPOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dashboard in a real browser: Debian's Chromium driven by Playwright (playwright-core from
 * npm, pinned by src/test/browser/package-lock.json, installed under target/browser) through
 * src/test/browser/dashboard-check.mjs, against this service loaded with generated events.
 * Screenshots of every view at 1440 and 390 px land in target/screenshots. Without Chromium or
 * npm the test is skipped, except under CI (CI=true), where it fails.
 *
 * <p>It starts from an empty service (every table emptied, at each width), as a new user meets
 * it ({@link DashboardTestProfile}): the page's next steps, the poller's failure, and yesterday's
 * hours synced from the fake GH Archive by the page itself. Then generated firehose events join
 * them for the views' checks, and a fake GitHub starts listening where the profile's closed port
 * was: it serves one generated repository history ({@link #LOADED}, loaded on demand as the page
 * asks for it, its issues list held until the page has shown the load half way) and answers 404
 * for every other repository.
 */
@QuarkusTest
@TestProfile(DashboardTestProfile.class)
class DashboardBrowserIT {

    /** Events in each of yesterday's generated GH Archive hours, of every type. */
    private static final int EVENTS_PER_ARCHIVE_HOUR = 300;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path BROWSER_DIR = Path.of("target/browser");
    private static final String REPO = "org-1/repo-1";
    /** A repository whose pull-request and issue history the fake GitHub serves. */
    private static final String LOADED = "life-org/loaded-repo";

    @TestHTTPResource("/")
    URL base;
    @Inject
    EventWriter writer;
    @Inject
    ClickHouse clickHouse;
    @Inject
    EmbeddedClickHouse embedded;
    @Inject
    CoverageService coverage;
    @ConfigProperty(name = "github.api-url")
    String githubApi;

    @Test
    void everyViewShowsTheApisNumbersAndSurvivesAClickHouseOutage() throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        boolean runnable = Files.isExecutable(CHROMIUM) && NodeTools.onPath("npm") && NodeTools.onPath("node");
        if (ci) {
            assertTrue(runnable, "CI needs /usr/bin/chromium, node and npm (.ci/run installs them)");
        }
        assumeTrue(runnable, "needs /usr/bin/chromium, node and npm");
        NodeTools.install(Path.of("src/test/browser"), BROWSER_DIR, "playwright-core", "axe-core");

        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        putYesterday(now);
        // The overview's window: whole hours around the generated events and yesterday's, fixed while the test runs.
        Instant to = now.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        Instant from = to.minus(Duration.ofHours(48));
        // Beside its node_modules, where an ES module finds its imports.
        Path script = Files.copy(Path.of("src/test/browser/dashboard-check.mjs"),
                BROWSER_DIR.resolve("dashboard-check.mjs"), StandardCopyOption.REPLACE_EXISTING);
        ProcessBuilder pb = new ProcessBuilder("node", script.getFileName().toString()).redirectErrorStream(true)
                .directory(BROWSER_DIR.toFile());
        pb.environment().put("BASE_URL", base.toString());
        pb.environment().put("OUT_DIR", Path.of("target/screenshots").toAbsolutePath().toString());
        pb.environment().put("FROM", from.toString());
        pb.environment().put("TO", to.toString());
        pb.environment().put("REPO", REPO);
        pb.environment().put("LOADED_REPO", LOADED);
        pb.environment().put("ADMIN_TOKEN", DashboardTestProfile.ADMIN_TOKEN);
        FakeGitHub github = null;
        Process node = pb.start();
        BlockingQueue<String> protocol = new LinkedBlockingQueue<>();
        StringBuilder output = new StringBuilder();
        Thread pump = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    System.out.println("[browser] " + line);
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                    protocol.add(line);
                }
            } catch (IOException ignored) {
                // the script ended
            }
            protocol.add("<eof>");
        });
        try (Writer toNode = node.outputWriter(StandardCharsets.UTF_8)) {
            for (String width : List.of("1440", "390")) {
                expect(protocol, "EMPTY " + width);
                emptyEverything();
                toNode.write("emptied\n");
                toNode.flush();
            }
            expect(protocol, "LOAD-GENERATED");
            List<EventRow> rows = generated(now);
            assertEquals(rows.size(), writer.write(rows, EventSource.FIREHOSE).stored());
            github = gitHubWithHistory(now);
            toNode.write("loaded\n");
            toNode.flush();
            expect(protocol, "HISTORY-RELEASE");
            github.release();
            expect(protocol, "STOP-ENGINE");
            EngineProcess engine = embedded.engine().orElseThrow();
            // Holding the engine's monitor keeps its supervisor from restarting it (restart() is
            // synchronized), so the outage lasts until the page has shown it, however slow the machine.
            synchronized (engine) {
                ProcessHandle process = ProcessHandle.of(engine.pid().orElseThrow()).orElseThrow();
                process.destroyForcibly();
                process.onExit().get(10, TimeUnit.SECONDS);
                toNode.write("stopped\n");
                toNode.flush();
                expect(protocol, "BANNER-SHOWN");
            }
            toNode.write("released\n");
            toNode.flush();
            expect(protocol, "ALL-PASSED");
        } finally {
            if (!node.waitFor(60, TimeUnit.SECONDS)) {
                node.destroyForcibly();
            }
            pump.join(10_000);
            if (github != null) {
                github.stop();
            }
        }
        synchronized (output) {
            assertEquals(0, node.exitValue(), "the browser checks failed:\n" + output);
        }
    }

    /**
     * A fake GitHub on the port the service was given (closed until now): the firehose's /events
     * answers 304, {@link #LOADED}'s history is served with its issues list held until released,
     * and any other repository is not found.
     */
    private FakeGitHub gitHubWithHistory(Instant now) {
        FakeGitHub github = FakeGitHub.on(URI.create(githubApi).getPort());
        github.route("/", r -> FakeGitHub.status(404, "{\"message\":\"Not Found\"}"));
        github.route("/events", r -> FakeGitHub.notModified().header("X-Poll-Interval", "60"));
        // 150 PRs (two pages of the pulls list) and 60 issues over the last 60 days: inside the default 90.
        new GeneratedHistory(LOADED, 150, 60, 60, now, 25).serveHoldingIssues(github);
        return github;
    }

    /** Every table of the schema emptied (the migrations' own excepted): a service that has stored nothing. */
    private void emptyEverything() {
        for (var r : clickHouse.query("SELECT name FROM system.tables WHERE database = currentDatabase()"
                + " AND engine LIKE '%MergeTree' AND name != 'schema_migrations'", java.util.Map.of())) {
            clickHouse.execute("TRUNCATE TABLE " + r.getString("name"));
        }
        coverage.refresh();
    }

    /** Yesterday's 24 hours (UTC) at the fake GH Archive, every type of event in each. */
    private static void putYesterday(Instant now) throws IOException {
        Instant day = now.truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(1));
        for (int h = 0; h < 24; h++) {
            Instant hour = day.plus(Duration.ofHours(h));
            ArchiveGenerator g = new ArchiveGenerator(100 + h, hour, 9_000_000_000L + h * 100_000L,
                    EVENTS_PER_ARCHIVE_HOUR, "arch");
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (OutputStream out = new GZIPOutputStream(bytes)) {
                while (g.hasNext()) {
                    out.write((g.next().json() + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
            FakeGhArchive.current().put(DAY.format(hour) + "-" + hour.atOffset(ZoneOffset.UTC).getHour() + ".json.gz",
                    bytes.toByteArray());
        }
    }

    /** Waits for the script's line; its failures end it early, and the output says which. */
    private static void expect(BlockingQueue<String> protocol, String wanted) throws InterruptedException {
        while (true) {
            String line = protocol.poll(5, TimeUnit.MINUTES);
            if (line == null) {
                fail("the browser script said nothing for 5 minutes while we waited for " + wanted);
            }
            if (line.equals(wanted)) {
                return;
            }
            if (line.equals("<eof>") || line.startsWith("FAILURES")) {
                fail("the browser script ended before " + wanted + ": " + line);
            }
        }
    }

    /**
     * Two days of activity over a few repositories and actors, the same every run (seeded). PR and
     * issue events carry a number (1 to 40 per repository), so that their opens, closes and merges
     * pair into the lifecycle answered from events.
     */
    static List<EventRow> generated(Instant now) {
        Random random = new Random(14);
        Random numbers = new Random(25); // apart, so that the events' other fields are those of before
        List<EventRow> rows = new ArrayList<>();
        long id = now.getEpochSecond() * 1000;
        String[][] actions = {{"started"}, {"opened", "opened", "closed", "merged"}, {"opened", "closed"}};
        for (int i = 0; i < 1500; i++) {
            // Skewed: repo-1 is the busiest; times over the last 22 hours, busier lately.
            int repo = 1 + (int) Math.min(7, Math.abs(random.nextGaussian()) * 2.5);
            String type = EventType.DEFAULTS.get(random.nextInt(10) < 5 ? 0 : random.nextInt(10) < 6 ? 1 : 2);
            String[] choices = actions[EventType.DEFAULTS.indexOf(type)];
            String action = choices[random.nextInt(choices.length)];
            long secondsAgo = 60 + (long) (Math.pow(random.nextDouble(), 1.6) * 22 * 3600);
            String actor = "user-" + (1 + random.nextInt(40));
            String name = "org-" + repo + "/repo-" + repo;
            EventRow.Payload payload = type.equals("WatchEvent") ? EventRow.Payload.NONE
                    : new EventRow.Payload(1 + numbers.nextInt(40), action.equals("merged"), 0, "", "", "", -1, "", "", "", 0,
                    "", 0, "", "");
            rows.add(new EventRow(++id, type, repo, name, actor.hashCode() & 0xffff, actor, action,
                    now.minusSeconds(secondsAgo), payload));
        }
        return rows;
    }
}
