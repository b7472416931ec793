package io.github.eventsstats.stream;

import io.github.eventsstats.archive.ArchiveSync;
import io.github.eventsstats.archive.FakeGhArchive;
import io.github.eventsstats.archive.SyncProgress;
import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.github.FakeGitHub;
import io.github.eventsstats.platform.FakeClock;
import io.github.eventsstats.poller.EventsPoller;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service with KAFKA_BOOTSTRAP_SERVERS set, against a real broker and the embedded engine: the
 * firehose poller publishes, the consumer group writes, and nothing is lost while ClickHouse or the
 * broker is away.
 */
@QuarkusTest
@TestProfile(StreamTestProfile.class)
class StreamTest {

    private static final Path STATE = Path.of("target/stream-test/client-state.json");
    private static long nextId = System.currentTimeMillis() * 1000 + 500_000;

    @Inject
    EventsPoller poller;
    @Inject
    KafkaStream kafka;
    @Inject
    ClickHouse clickHouse;
    @Inject
    FakeClock clock;
    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;
    @Inject
    ArchiveSync sync;
    @Inject
    io.github.eventsstats.cli.BackfillCommand backfill;
    @Inject
    io.github.eventsstats.github.RateBudget budget;
    @Inject
    io.github.eventsstats.watch.WatchList watchList;
    @Inject
    com.fasterxml.jackson.databind.ObjectMapper json;
    @Inject
    io.github.eventsstats.watch.WatchPoller watchPoller;
    @Inject
    io.github.eventsstats.watch.WatchService watchService;

    private FakeGitHub fake;
    private String repo;

    @BeforeEach
    void fresh() throws IOException {
        fake = FakeGitHub.instance;
        fake.useClock(clock, clock::advance);
        repo = "stream-org/r" + System.nanoTime();
        await("this replica polls the firehose").atMost(Duration.ofMinutes(1)).until(poller::pollsFirehose);
        // Until it knows its share of the token, a replica sends GitHub nothing (a test run first saw that).
        await("the budget's share known").atMost(Duration.ofMinutes(1)).until(() -> budget.replicas() > 0);
        Files.createDirectories(STATE.getParent());
        Files.writeString(STATE, "{\"nextPollAt\":\"2100-01-01T00:00:00Z\"}");
        poller.reload();
        fake.reset();
    }

    /** Scripts the fake and makes the poller start over from an empty state. */
    private void start(FakeGitHub.Reply... replies) throws IOException {
        fake.reset(replies);
        Files.delete(STATE);
        poller.reload();
    }

    private String pr(long id) {
        return "{\"id\":\"" + id + "\",\"type\":\"PullRequestEvent\",\"actor\":{\"id\":1,\"login\":\"octo\"},"
                + "\"repo\":{\"id\":2,\"name\":\"" + repo + "\"},\"payload\":{\"action\":\"opened\",\"number\":1}"
                + ",\"public\":true,\"created_at\":\"" + Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS) + "\"}";
    }

    private String page(int n) {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(pr(++nextId));
        }
        return "[" + String.join(",", events) + "]";
    }

    private long stored() {
        return clickHouse.query("SELECT count() AS c FROM events WHERE repo_name = {r:String}", Map.of("r", repo))
                .getFirst().getLong("c");
    }

    /** Batches ClickHouse refused the stream's consumer so far. */
    private double refusals() {
        return registry.get("stream.consumer.refusals").counter().count();
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.shared().bootstrapServers()));
    }

    @Test
    void eachFetchedEventIsPublishedKeyedByRepositoryAndStoredOnceAndCommittedAfterwards() throws Exception {
        start(FakeGitHub.ok(page(3)).header("ETag", "\"a\""));
        poller.tick();
        await("stored through the stream").atMost(Duration.ofSeconds(60)).until(() -> stored() == 3);

        List<ConsumerRecord<String, byte[]>> mine = records(3);
        assertEquals(3, mine.size());
        assertEquals(1, mine.stream().map(ConsumerRecord::partition).distinct().count(), "one repository, one partition");
        for (ConsumerRecord<String, byte[]> r : mine) {
            assertEquals("firehose", new String(r.headers().lastHeader(EventStream.SOURCE).value(), StandardCharsets.US_ASCII));
            assertNotNull(Instant.parse(new String(r.headers().lastHeader(EventStream.FETCHED_AT).value(), StandardCharsets.US_ASCII)));
            assertTrue(new String(r.value(), StandardCharsets.UTF_8).startsWith("{\"id\":\""), "the raw JSON line");
        }

        try (Admin admin = admin()) {
            await("the offsets committed up to the end").atMost(Duration.ofSeconds(30)).until(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(StreamTestProfile.TOPIC)
                        .partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, OffsetSpec> ask = committed.keySet().stream()
                        .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
                var ends = admin.listOffsets(ask).all().get();
                return !committed.isEmpty() && committed.entrySet().stream()
                        .allMatch(e -> e.getValue().offset() == ends.get(e.getKey()).offset());
            });
        }
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String name : io.github.eventsstats.dashboard.GrafanaPanelsTest.ONLY_WITH_KAFKA) {
            assertTrue(metrics.contains("\n" + name + " "), name + ", which the Grafana panel and the alert name, is exported");
        }
        assertTrue(metrics.contains("stream_published_total{source=\"firehose\"}"), metrics);
    }

    /** This test's repository's records in the events topic, read from its start until {@code n} came. */
    private List<ConsumerRecord<String, byte[]>> records(int n) {
        return mine("the records read back", (reader, mine) -> mine.size() >= n);
    }

    /**
     * This test's repository's records in the events topic, read from its start until {@code done}
     * holds: the consumer is not for threads other than its own, so the condition runs in this one.
     */
    private List<ConsumerRecord<String, byte[]>> mine(String what, java.util.function.BiPredicate<KafkaConsumer<String, byte[]>,
            List<ConsumerRecord<String, byte[]>>> done) {
        List<ConsumerRecord<String, byte[]>> mine = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.shared().bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            List<TopicPartition> parts = java.util.stream.IntStream.range(0, StreamTestProfile.PARTITIONS)
                    .mapToObj(p -> new TopicPartition(StreamTestProfile.TOPIC, p)).toList();
            reader.assign(parts);
            reader.seekToBeginning(parts);
            await(what).pollInSameThread().atMost(Duration.ofSeconds(30)).until(() -> {
                reader.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (repo.equals(r.key())) {
                        mine.add(r);
                    }
                });
                return done.test(reader, mine);
            });
        }
        return mine;
    }

    /**
     * A GH Archive hour of {@code n} of this test's events at the fake, named after an hour no earlier
     * run used (the ledger of the test engine's data outlives a run); returns the hour.
     */
    private Instant archiveHour(int n) throws IOException {
        Instant hour = Instant.parse("2015-01-01T00:00:00Z").plus(Duration.ofHours(nextId % 50_000));
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.GZIPOutputStream(gz)) {
            for (int i = 0; i < n; i++) {
                out.write((pr(++nextId) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        FakeGhArchive.current().put(hourName(hour), gz.toByteArray());
        return hour;
    }

    /** An hour served broken at the fake, and its whole file. */
    private record BrokenHour(Instant hour, String name, byte[] whole) {
    }

    /**
     * An hour's file whose gzip stream breaks off after {@code readable} of this test's events (a
     * sync flush there, the bytes after it cut off), served at the fake as GH Archive serves a
     * broken hour, of {@code readable + rest} events when whole.
     */
    private BrokenHour brokenArchiveHour(int readable, int rest) throws IOException {
        Instant hour = Instant.parse("2015-01-01T00:00:00Z").plus(Duration.ofHours(nextId % 50_000));
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        int cut = 0;
        try (var out = new java.util.zip.GZIPOutputStream(gz, true)) {
            for (int i = 0; i < readable + rest; i++) {
                if (i == readable) {
                    out.flush(); // everything written so far inflates from the bytes so far
                    cut = gz.size();
                }
                out.write((pr(++nextId) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        String name = hourName(hour);
        FakeGhArchive.current().put(name, java.util.Arrays.copyOf(gz.toByteArray(), cut));
        return new BrokenHour(hour, name, gz.toByteArray());
    }

    private static String hourName(Instant hour) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd-H").withZone(java.time.ZoneOffset.UTC)
                .format(hour) + ".json.gz";
    }

    /** The archive_unreadable rows of {@code hour} deleted: the next sync reads it again (as operations.md says). */
    private void forgetReads(Instant hour) {
        clickHouse.query("DELETE FROM archive_unreadable WHERE hour = {h:DateTime('UTC')}",
                Map.of("h", ClickHouse.dateTime(hour)));
    }

    /** How many records of this test's repository the events topic holds, read from its start to its end. */
    private int publishedOfMine() {
        return mine("the topic read to its end", (reader, mine) -> {
            Map<TopicPartition, Long> end = reader.endOffsets(reader.assignment());
            return end.entrySet().stream().allMatch(e -> reader.position(e.getKey()) >= e.getValue());
        }).size();
    }

    /** The records of this test's repository: published once each, by the archive sync, fetched since {@code before}. */
    private void assertPublishedByTheSync(int n, Instant before) {
        List<ConsumerRecord<String, byte[]>> mine = records(n);
        assertEquals(n, mine.size(), "published once each");
        for (ConsumerRecord<String, byte[]> r : mine) {
            assertEquals("archive", new String(r.headers().lastHeader(EventStream.SOURCE).value(), StandardCharsets.US_ASCII));
            Instant fetched = Instant.parse(new String(r.headers().lastHeader(EventStream.FETCHED_AT).value(),
                    StandardCharsets.US_ASCII));
            assertTrue(!fetched.isBefore(before), "fetched during the sync: " + fetched);
            assertTrue(new String(r.value(), StandardCharsets.UTF_8).startsWith("{\"id\":\""), "the raw JSON line");
        }
    }

    @Test
    void anArchiveHourIsPublishedWithItsSourceAndFetchTimeAndStoredOnceThroughTheStream() throws Exception {
        Instant hour = archiveHour(6);
        Instant before = clock.instant();
        sync.run(new SyncProgress(hour, hour.plus(Duration.ofHours(1)), sync.configuredTypes()));
        await("stored through the stream").atMost(Duration.ofSeconds(60)).until(() -> stored() == 6);
        assertPublishedByTheSync(6, before);
    }

    /**
     * An hour is published as it is read, nothing of it kept: one the broker refuses is not recorded
     * as synced, and the next sync publishes it again, each event once in the topic.
     */
    @Test
    void anArchiveHourTheBrokerRefusesIsNotSyncedAndTheNextSyncPublishesItOnce() throws Exception {
        Instant hour = archiveHour(4);
        try (Admin admin = admin()) {
            topicConfig(admin, "1"); // every record is too large now: the broker refuses at once
            try {
                SyncProgress refused = new SyncProgress(hour, hour.plus(Duration.ofHours(1)), sync.configuredTypes());
                sync.run(refused);
                assertEquals(0, refused.snapshot().loaded());
                assertTrue(String.valueOf(refused.snapshot().error()).contains("did not take the hour's events"),
                        String.valueOf(refused.snapshot().error()));
            } finally {
                topicConfig(admin, null);
            }
        }
        Instant before = clock.instant();
        SyncProgress again = new SyncProgress(hour, hour.plus(Duration.ofHours(1)), sync.configuredTypes());
        sync.run(again);
        assertEquals(1, again.snapshot().loaded(), String.valueOf(again.snapshot().error()));
        await("stored through the stream").atMost(Duration.ofSeconds(60)).until(() -> stored() == 4);
        assertPublishedByTheSync(4, before);
    }

    /**
     * A file whose gzip breaks off has its readable start published by the read that finds it
     * broken, once: the download's later tries, and a later sync, inflate it to its end before
     * publishing anything. Once whole at the source, the hour is published and stored exactly.
     */
    @Test
    void aBrokenArchiveHourIsPublishedOnceAndCheckedWholeBeforeItIsPublishedAgain() throws Exception {
        BrokenHour broken = brokenArchiveHour(3, 4);
        Instant hour = broken.hour();
        SyncProgress first = new SyncProgress(hour, hour.plus(Duration.ofHours(1)), sync.configuredTypes());
        sync.run(first);
        assertEquals(0, first.snapshot().loaded());
        assertEquals(1, first.snapshot().failed(), first.snapshot().failures().toString());
        assertTrue(first.snapshot().failures().getFirst().contains("gzip data truncated after 5 tries"),
                first.snapshot().failures().toString());
        assertEquals(3, publishedOfMine(), "the readable start published by the first try only, not by all 5");

        SyncProgress left = new SyncProgress(hour, hour.plus(Duration.ofHours(1)), sync.configuredTypes());
        sync.run(left);
        assertEquals(1, left.snapshot().unreadableAtSource(), "a broken file's read counts as an unreadable hour's");
        forgetReads(hour);
        SyncProgress again = new SyncProgress(hour, hour.plus(Duration.ofHours(1)), sync.configuredTypes());
        sync.run(again);
        assertEquals(1, again.snapshot().failed(), again.snapshot().failures().toString());
        assertEquals(3, publishedOfMine(), "a later sync checks the file whole first and publishes nothing of it");

        FakeGhArchive.current().put(broken.name(), broken.whole());
        forgetReads(hour);
        SyncProgress whole = new SyncProgress(hour, hour.plus(Duration.ofHours(1)), sync.configuredTypes());
        sync.run(whole);
        assertEquals(1, whole.snapshot().loaded(), String.valueOf(whole.snapshot().failures()));
        assertEquals(3 + 7, publishedOfMine(), "the whole file published once");
        await("stored through the stream").atMost(Duration.ofSeconds(60)).until(() -> stored() == 7);
    }

    @Test
    void backfillFromPublishesTheHoursToTheStreamAndTheConsumerGroupStoresThem() throws Exception {
        Instant hour = archiveHour(5);
        Instant before = clock.instant();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        String from = hour.toString().substring(0, 13);
        int code = backfill.execute(new String[]{"--from", from, "--to", hour.plus(Duration.ofHours(1)).toString().substring(0, 13)},
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8), new java.io.PrintStream(err, true, StandardCharsets.UTF_8),
                null);
        String printed = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, printed);
        assertTrue(printed.contains("1 hours: 1 loaded") && printed.contains("published to the stream"), printed);
        await("stored through the stream").atMost(Duration.ofSeconds(60)).until(() -> stored() == 5);
        assertPublishedByTheSync(5, before);
    }

    @Test
    void whileClickHouseRefusesTheConsumerPausesAndNothingIsLostOrCommitted() throws Exception {
        clickHouse.execute("RENAME TABLE events TO events_down");
        try {
            start(FakeGitHub.ok(page(4)).header("ETag", "\"b\""));
            poller.tick(); // published: the broker takes it while ClickHouse is away
            // Uncommitted, the refused batch counts in the lag all along (not only between a pause and the next fetch).
            await("the consumer holds back").atMost(Duration.ofSeconds(60)).until(() -> kafka.consumerLag() >= 4);
            await("the consumer paused").atMost(Duration.ofSeconds(30)).until(() -> given().get("/q/metrics")
                    .then().statusCode(200).extract().asString().contains("stream_consumer_paused 1.0"));
            // What an operator's alert reads: the lag stays up through the refusals and retries,
            double refused = refusals();
            await("two more refusals, the lag held through them").atMost(Duration.ofSeconds(60))
                    .until(() -> {
                        assertTrue(kafka.consumerLag() >= 4, "the lag held");
                        return refusals() >= refused + 2;
                    });
            // and grows with what is published meanwhile, though paused partitions fetch nothing.
            fake.reset(FakeGitHub.ok(page(3)).header("ETag", "\"c\""));
            clock.advance(Duration.ofMinutes(10));
            poller.tick();
            await("the lag grown").atMost(Duration.ofSeconds(30)).until(() -> kafka.consumerLag() >= 7);
        } finally {
            await("the table back").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                clickHouse.execute("RENAME TABLE events_down TO events");
                return true;
            });
        }
        await("caught up").atMost(Duration.ofSeconds(60)).until(() -> stored() == 7 && kafka.consumerLag() == 0);
    }

    @Test
    void aBrokerRestartedWhileThePollerPublishesLosesNothing() throws Exception {
        start(FakeGitHub.ok(page(5)).header("ETag", "\"c\"").held());
        KafkaBroker broker = KafkaBroker.shared();
        Thread tick = Thread.ofPlatform().start(poller::tick);
        await("the poll asked").atMost(Duration.ofSeconds(30)).until(() -> fake.requests().size() == 1);
        broker.stop();
        fake.release(); // the page comes while the broker is down: the producer retries
        await("the publish waits for the broker").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(tick::isAlive);
        broker.restart();
        tick.join(Duration.ofSeconds(90));
        await("stored once the broker is back").atMost(Duration.ofSeconds(90)).until(() -> stored() == 5);
        Map<String, Long> counts = new HashMap<>();
        clickHouse.query("SELECT toString(event_id) AS id, count() AS c FROM events WHERE repo_name = {r:String} GROUP BY id",
                Map.of("r", repo)).forEach(r -> counts.put(r.getString("id"), r.getLong("c")));
        assertTrue(counts.values().stream().allMatch(c -> c == 1), "each once: " + counts);
    }

    /**
     * What a poll fetched and the broker refused is not counted as fetched: the poll state on disk
     * (what a restarted replica, or the next one to hold the feed, starts from) keeps the ETag and the
     * seen ids of before, so the events are fetched again rather than lost with the replica.
     */
    @Test
    void thePollStateMovesOnOnlyOnceTheBrokerAcknowledgedTheEvents() throws Exception {
        start(FakeGitHub.ok(page(2)).header("ETag", "\"a\""));
        poller.tick();
        await("the first page stored").atMost(Duration.ofSeconds(60)).until(() -> stored() == 2);
        assertEquals("\"a\"", savedState().path("etag").asText());

        String refused = page(3);
        try (Admin admin = admin()) {
            topicConfig(admin, "1"); // every record is too large now: the broker refuses at once
            try {
                fake.reset(FakeGitHub.ok(refused).header("ETag", "\"b\""));
                clock.advance(Duration.ofMinutes(10));
                poller.tick();
                assertEquals(1, fake.requests().size(), "polled while the broker refuses");
                com.fasterxml.jackson.databind.JsonNode saved = savedState();
                assertEquals("\"a\"", saved.path("etag").asText(), "the ETag of before");
                for (long id = nextId - 2; id <= nextId; id++) {
                    for (com.fasterxml.jackson.databind.JsonNode seen : saved.path("recentIds")) {
                        assertTrue(seen.asLong() != id, "not remembered as seen: " + id);
                    }
                }
            } finally {
                topicConfig(admin, null);
            }
        }
        fake.reset(FakeGitHub.ok(refused).header("ETag", "\"b\""));
        clock.advance(Duration.ofHours(1)); // past the backoff
        poller.tick();
        assertEquals("\"a\"", fake.requests().getFirst().ifNoneMatch(), "fetched again from where the broker had them");
        await("stored once the broker takes them").atMost(Duration.ofSeconds(60)).until(() -> stored() == 5);
        assertEquals("\"b\"", savedState().path("etag").asText());
    }

    private static com.fasterxml.jackson.databind.JsonNode savedState() throws IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(Files.readString(STATE));
    }

    /**
     * Replaying the shared list (a replica started later), an on-demand repository's state comes
     * before its ask: compaction keeps each key's last record, and the ask is written again at every
     * ask. The state is taken once the ask adds the repository, not dropped (this replica would have
     * answered it as queued, and loaded its history again had it polled it).
     */
    @Test
    void anOnDemandRepositorysStatePublishedBeforeItsAskIsTakenWithTheAsk() throws Exception {
        String name = "stream-org/Asked" + System.nanoTime();
        String key = name.toLowerCase(java.util.Locale.ROOT);
        io.github.eventsstats.watch.WatchedRepository published = new io.github.eventsstats.watch.WatchedRepository();
        published.repository = name;
        published.status = io.github.eventsstats.watch.WatchedRepository.Status.ACTIVE;
        published.events.etag = "\"owner's\"";
        published.pulls.loaded = true;
        published.pulls.pagesLoaded = 7;
        send("state/" + key, json.writeValueAsString(published));
        // Asked long ago: on the list on demand, not kept fresh, so this replica does not poll it.
        send("asked/" + key, "1000 " + name);
        await("on the list").atMost(Duration.ofSeconds(30)).until(() -> watchList.get(name).isPresent());
        io.github.eventsstats.watch.WatchedRepository taken = watchList.get(name).orElseThrow();
        assertTrue(taken.onDemand, "on demand, as asked");
        assertEquals(Instant.ofEpochMilli(1000), taken.lastAskedAt);
        assertEquals("\"owner's\"", taken.events.etag, "the state its poller published");
        assertTrue(taken.pulls.loaded);
        assertEquals(7, taken.pulls.pagesLoaded);
    }

    /**
     * A repository this replica polls, whose newer state (more changes: its revision) another replica
     * published: taken, and polled on from (its ETag), not from this replica's own older state, as
     * when this replica restarted with an older watch file and was given the repository again.
     */
    @Test
    void aNewerStatePublishedForARepositoryThisReplicaPollsIsPolledOnFrom() throws Exception {
        String name = polledHere("stream-org/Held");
        String key = name.toLowerCase(java.util.Locale.ROOT);
        String feed = "/repos/" + name + "/events";
        try {
            watchList.add(name);
            watchPoller.tick();
            io.github.eventsstats.watch.WatchedRepository own = watchList.get(name).orElseThrow();
            assertEquals("\"mine\"", own.events.etag, "polled once here");

            io.github.eventsstats.watch.WatchedRepository published = json.readValue(json.writeValueAsString(own),
                    io.github.eventsstats.watch.WatchedRepository.class);
            published.revision = own.revision + 5; // polled on by another replica while this one was away
            published.events.etag = "\"holder's\"";
            published.events.nextPollAt = clock.instant();
            send("state/" + key, json.writeValueAsString(published));
            await("the newer state taken").atMost(Duration.ofSeconds(30))
                    .until(() -> "\"holder's\"".equals(watchList.get(name).orElseThrow().events.etag));
            int before = (int) fake.requests().stream().filter(r -> r.uri().startsWith(feed)).count();
            watchPoller.tick();
            List<FakeGitHub.Request> polls = fake.requests().stream().filter(r -> r.uri().startsWith(feed)).toList();
            assertEquals(before + 1, polls.size(), "polled again");
            assertEquals("\"holder's\"", polls.getLast().ifNoneMatch(), "from the newer state");
        } finally {
            fake.clearRoutes();
        }
    }

    /**
     * A repository removed on demand: its ask goes too (a tombstone), or a replica replaying the
     * topic once compaction dropped the name's tombstone would put it back on the list.
     */
    @Test
    void aRemovedOnDemandRepositorysAskIsRemovedFromTheSharedList() throws Exception {
        String name = "stream-org/Gone" + System.nanoTime();
        String key = name.toLowerCase(java.util.Locale.ROOT);
        send("asked/" + key, "1000 " + name);
        await("on the list").atMost(Duration.ofSeconds(30)).until(() -> watchList.get(name).isPresent());
        watchService.remove(name);
        await("its ask's tombstone").atMost(Duration.ofSeconds(30))
                .until(() -> java.util.Optional.<String>empty().equals(sharedList().get("asked/" + key)));
    }

    /**
     * A state published for a repository not on the list (a late record of the replica that polled
     * it, after another removed it): a later PUT starts it afresh, not from that removed one's state.
     */
    @Test
    void aRepositoryAddedAgainDoesNotTakeAStatePublishedAfterItsRemoval() throws Exception {
        String name = "stream-org/Again" + System.nanoTime();
        io.github.eventsstats.watch.WatchedRepository stale = new io.github.eventsstats.watch.WatchedRepository();
        stale.repository = name;
        stale.status = io.github.eventsstats.watch.WatchedRepository.Status.NOT_FOUND;
        stale.retryAt = clock.instant().plus(Duration.ofDays(1));
        stale.events.etag = "\"removed one's\"";
        stale.pulls.loaded = true;
        stale.revision = 40;
        send("state/" + name.toLowerCase(java.util.Locale.ROOT), json.writeValueAsString(stale));
        String marker = "stream-org/Marker" + System.nanoTime(); // read after the state: the state was read too
        send("asked/" + marker.toLowerCase(java.util.Locale.ROOT), "1000 " + marker);
        await("read to the marker").atMost(Duration.ofSeconds(30)).until(() -> watchList.get(marker).isPresent());
        watchService.add(name);
        io.github.eventsstats.watch.WatchedRepository added = watchList.get(name).orElseThrow();
        assertEquals(io.github.eventsstats.watch.WatchedRepository.Status.PENDING, added.status);
        assertEquals(null, added.events.etag, "afresh");
        assertFalse(added.pulls.loaded);
    }

    /**
     * Another replica removed a repository this one polls (its name's tombstone, and its state's):
     * this one's last state of it may reach the broker after those, so it writes the state's
     * tombstone once more, after anything it published; no state of a removed repository remains.
     */
    @Test
    void aRepositoryRemovedElsewhereLeavesNoStateOfThisReplicasPolls() throws Exception {
        String name = polledHere("stream-org/Polled");
        String key = name.toLowerCase(java.util.Locale.ROOT);
        try {
            watchService.add(name);
            watchPoller.tick();
            await("its state published").atMost(Duration.ofSeconds(30))
                    .until(() -> sharedList().getOrDefault("state/" + key, java.util.Optional.empty()).isPresent());
            send(key, null); // another replica's DELETE, its state's tombstone lost behind this one's state
            await("removed here").atMost(Duration.ofSeconds(30)).until(() -> watchList.get(name).isEmpty());
            await("its state's tombstone").atMost(Duration.ofSeconds(30))
                    .until(() -> java.util.Optional.<String>empty().equals(sharedList().get("state/" + key)));
        } finally {
            fake.clearRoutes();
        }
    }

    /**
     * A new repository name that this replica polls (its partition is this replica's), whose feed
     * the fake answers with no events and the ETag "mine"; the caller clears the fake's routes.
     */
    private String polledHere(String prefix) {
        String name = prefix + System.nanoTime();
        await("this replica polls it").atMost(Duration.ofMinutes(1))
                .until(() -> watchPoller.polls(name.toLowerCase(java.util.Locale.ROOT)));
        fake.route("/repos/" + name + "/events", r -> FakeGitHub.ok("[]").header("ETag", "\"mine\""));
        return name;
    }

    /** Writes one record to the shared watch list's topic, as another replica would (null: a tombstone). */
    private static void send(String key, String value) throws Exception {
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(Map.of(
                "bootstrap.servers", KafkaBroker.shared().bootstrapServers(),
                "key.serializer", org.apache.kafka.common.serialization.StringSerializer.class,
                "value.serializer", org.apache.kafka.common.serialization.StringSerializer.class))) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(StreamTestProfile.TOPIC + ".watch-list",
                    key, value)).get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /** The shared watch list's topic as a replica replaying it sees it: each key's last value (empty: a tombstone). */
    private static Map<String, java.util.Optional<String>> sharedList() {
        var tp = new org.apache.kafka.common.TopicPartition(StreamTestProfile.TOPIC + ".watch-list", 0);
        Map<String, java.util.Optional<String>> last = new java.util.HashMap<>();
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(Map.of(
                "bootstrap.servers", KafkaBroker.shared().bootstrapServers(),
                "key.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class,
                "value.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class))) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(10)).get(tp);
            while (consumer.position(tp, Duration.ofSeconds(10)) < end) {
                for (var r : consumer.poll(Duration.ofSeconds(1))) {
                    last.put(r.key(), java.util.Optional.ofNullable(r.value()));
                }
            }
        }
        return last;
    }

    /** Sets the events topic's max.message.bytes, or back to the broker's default when null. */
    private static void topicConfig(Admin admin, String maxMessageBytes) throws Exception {
        var topic = new org.apache.kafka.common.config.ConfigResource(org.apache.kafka.common.config.ConfigResource.Type.TOPIC,
                StreamTestProfile.TOPIC);
        var entry = new org.apache.kafka.clients.admin.ConfigEntry("max.message.bytes", maxMessageBytes);
        var op = new org.apache.kafka.clients.admin.AlterConfigOp(entry, maxMessageBytes == null
                ? org.apache.kafka.clients.admin.AlterConfigOp.OpType.DELETE : org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET);
        admin.incrementalAlterConfigs(Map.of(topic, List.of(op))).all().get(30, java.util.concurrent.TimeUnit.SECONDS);
        await("the broker applies max.message.bytes=" + maxMessageBytes).atMost(Duration.ofSeconds(30)).until(() -> {
            var now = admin.describeConfigs(List.of(topic)).all().get().get(topic).get("max.message.bytes");
            return maxMessageBytes == null ? now.isDefault() : maxMessageBytes.equals(now.value());
        });
    }
}
