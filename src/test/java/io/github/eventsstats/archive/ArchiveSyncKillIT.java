package io.github.eventsstats.archive;

import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.clickhouse.ClickHouseEndpoint;
import io.github.eventsstats.dashboard.DashboardTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sync process killed with SIGKILL while downloading, and while loading, then started again. The
 * syncs run in child processes, so the application here only lends its engine, with a fake GH Archive
 * of the test's own. It runs on the profile every *IT shares ({@link DashboardTestProfile}): the
 * failsafe JVM then builds and starts the application once.
 */
@QuarkusTest
@TestProfile(DashboardTestProfile.class)
class ArchiveSyncKillIT {

    private static FakeGhArchive archive;

    @Inject
    ClickHouse clickHouse;
    @Inject
    ClickHouseEndpoint endpoint;

    private final List<Process> children = new ArrayList<>();
    private final Path data = Path.of("target", "sync-kill-test");

    /** A child sync and the lines it printed. */
    private record Child(Process process, List<String> out) {
    }

    @BeforeAll
    static void serveArchive() {
        archive = FakeGhArchive.started();
    }

    @AfterAll
    static void stopArchive() {
        archive.close();
    }

    @AfterEach
    void killChildren() {
        children.forEach(Process::destroyForcibly);
    }

    private Child start(Instant hour, int hold) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        endpoint.target(); // the engine runs, and its endpoint file says where
        ProcessBuilder child = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), SyncChild.class.getName(), data.toString(),
                ConfigProvider.getConfig().getValue("data.dir", String.class), archive.url(),
                hour.toString(), hour.plus(Duration.ofHours(1)).toString(), Integer.toString(hold)))
                .redirectErrorStream(true);
        Process p = child.start();
        children.add(p);
        List<String> out = new CopyOnWriteArrayList<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    out.add(line);
                }
            } catch (IOException e) {
                // killed
            }
        });
        return new Child(p, out);
    }

    private static void kill(Child c) throws InterruptedException {
        c.process().destroyForcibly(); // SIGKILL: nothing of the sync's own runs after it
        assertTrue(c.process().waitFor(30, TimeUnit.SECONDS));
    }

    private static int finish(Child c) throws InterruptedException {
        assertTrue(c.process().waitFor(2, TimeUnit.MINUTES), c.out().toString());
        return c.process().exitValue();
    }

    @Test
    void killedMidDownloadThenRestartedResumesWithRangeAndStoresEachEventOnce() throws Exception {
        SyncHours.Hour h = SyncHours.hour(SyncHours.hours(1), 1500);
        archive.put(h.name(), h.gz());
        archive.stall(h.name());
        Path part = data.resolve("archive-sync").resolve(h.name() + ".part");

        Child first = start(h.start(), 0);
        await().atMost(2, TimeUnit.MINUTES).until(() -> archive.stalledAfter(h.name()) != null && Files.exists(part)
                && Files.size(part) == archive.stalledAfter(h.name()));
        kill(first);
        archive.release(h.name());
        assertEquals(0, SyncHours.stored(clickHouse, h)[0]);

        Child second = start(h.start(), 0);
        assertEquals(Backfill.OK, finish(second), second.out().toString());

        List<FakeGhArchive.Request> requests = archive.requests(h.name());
        assertEquals(2, requests.size());
        assertEquals("bytes=" + h.gz().length / 2 + "-", requests.get(1).range());
        assertArrayEquals(new long[] {h.kept(), h.kept()}, SyncHours.stored(clickHouse, h));
        assertEquals(1, SyncHours.ledgerRows(clickHouse, h));
        assertTrue(Files.notExists(part));
    }

    @Test
    void killedMidLoadThenRestartedLoadsTheCheckedFileAgainAndStoresEachEventOnce() throws Exception {
        SyncHours.Hour h = SyncHours.hour(SyncHours.hours(1), 1500);
        archive.put(h.name(), h.gz());
        assertTrue(h.kept() > 200, "several batches of 100");

        Child first = start(h.start(), 1);
        await().atMost(2, TimeUnit.MINUTES).until(() -> first.out().contains("HELD"));
        kill(first);
        assertEquals(100, SyncHours.stored(clickHouse, h)[0], "the batch before the kill is stored");
        assertEquals(0, SyncHours.ledgerRows(clickHouse, h), "an hour not loaded in full is not in the ledger");
        assertTrue(Files.exists(data.resolve("archive-sync").resolve(h.name())), "the checked download stays");

        Child second = start(h.start(), 0);
        assertEquals(Backfill.OK, finish(second), second.out().toString());

        assertEquals(1, archive.requests(h.name()).size(), "not downloaded again");
        assertTrue(second.out().stream().anyMatch(l -> l.contains(String.format("%,d stored, 100 duplicate",
                h.kept() - 100))), second.out().toString());
        assertArrayEquals(new long[] {h.kept(), h.kept()}, SyncHours.stored(clickHouse, h));
        assertEquals(1, SyncHours.ledgerRows(clickHouse, h));
    }
}
