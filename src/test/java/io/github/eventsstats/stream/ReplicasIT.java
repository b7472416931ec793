package io.github.eventsstats.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.eventsstats.cli.ConfigBootstrap;
import io.github.eventsstats.embedded.ChdbConfig;
import io.github.eventsstats.embedded.ChdbLibrary;
import io.github.eventsstats.github.FakeGitHub;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three replicas of the packaged service (separate JVMs, told apart by GITHUB_USER_AGENT) on one
 * real Kafka broker, one ClickHouse (the {@code engine} command serving one embedded engine) and one
 * fake GitHub, whose feeds grow by a few events at every answer until each has all of its events:
 * every event is stored exactly once, as the API answers on every replica; the firehose is polled by
 * one replica at a time and each watched repository too; the token's limit is never passed; and
 * when the replica polling the firehose is killed (kill -9) in the middle of a poll, another takes
 * over within 30 s and the coverage report shows the gap; every replica answers alike for the watched
 * repositories. Then, on the same processes: ClickHouse stopped for 30 s while the feeds go on
 * growing; the replicas running into a small rest of the token's limit together, never past it, and
 * going on after the reset; the broker stopped and restarted, the replica that polled a feed last
 * killed while it is away; each time every event ends up stored once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasIT {

    private static final Path DIR = Path.of("target", "replicas-it");
    private static final String PASSWORD = "replicas-it-engine-password";
    private static final List<String> WATCHED = IntStream.rangeClosed(1, 5).mapToObj(i -> "itorg/w" + i).toList();
    /** How many events each feed makes in all: raised by each scenario after the first. */
    private static volatile int firehoseEvents = 240;
    private static volatile int watchedEvents = 30;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WINDOW = Duration.ofSeconds(60);
    /** POLLER_RATE_LIMIT_RESERVE's default, which the replicas keep. */
    private static final long RESERVE = 5;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static KafkaBroker broker;
    private static Process engine;
    private static int enginePort;
    private static FakeGitHub fake;
    private static final Map<String, Replica> replicas = new LinkedHashMap<>();
    private static final AtomicLong ids = new AtomicLong(System.currentTimeMillis() * 1000);
    /** Each feed's events, oldest first, as the fake has made them so far. */
    private static final Map<String, List<String>> feeds = new ConcurrentHashMap<>();

    private record Replica(String agent, int port, Process process) {
        String url(String path) {
            return "http://127.0.0.1:" + port + path;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        assertTrue(Files.exists(jar), "the packaged application (./mvnw verify builds it before the ITs)");
        KafkaBroker.deleteTree(DIR);
        Files.createDirectories(DIR);
        broker = KafkaBroker.start(DIR.resolve("broker"));
        engine = startEngine(jar, 0, "engine.log");
        enginePort = awaitLine(DIR.resolve("engine.log"), "READY port=");
        fake = FakeGitHub.elsewhere();
        // Windows of a minute: the budget scenario runs into a small rest of one and sees it reset.
        fake.rateLimit(5000, Instant.now().plus(WINDOW), WINDOW);
        fake.route("/events", r -> page("firehose", firehoseEvents, 8, r));
        for (String repo : WATCHED) {
            fake.route("/repos/" + repo + "/", r -> FakeGitHub.ok("[]")); // the histories' lists: empty
            fake.route("/repos/" + repo + "/events", r -> page(repo, watchedEvents, 2, r));
        }
        // The first replica makes the schema; the other two start once it is ready.
        replicas.put("replica-1", startReplica(jar, "replica-1", enginePort));
        awaitReady(replicas.get("replica-1"));
        for (String agent : List.of("replica-2", "replica-3")) {
            replicas.put(agent, startReplica(jar, agent, enginePort));
        }
        for (Replica r : replicas.values()) {
            awaitReady(r);
        }
    }

    @AfterAll
    static void stop() {
        replicas.values().forEach(r -> end(r.process()));
        if (fake != null) {
            fake.stop();
        }
        if (engine != null) {
            end(engine);
        }
        if (broker != null) {
            broker.kill();
        }
    }

    /**
     * A feed that grows by {@code step} events at each request (up to {@code total}), its ETag the
     * number of events so far. A request with an ETag gets only the events since (a 304 when there
     * are none), one without the newest 100: each event reaches a poller once, unless a poller
     * starts over, so an event a replica loses after fetching it is not fetched again.
     */
    private static FakeGitHub.Reply page(String feed, int total, int step, FakeGitHub.Request request) {
        List<String> events = feeds.computeIfAbsent(feed, f -> new ArrayList<>());
        List<String> since;
        int size;
        synchronized (events) {
            for (int i = 0; i < step && events.size() < total; i++) {
                String repo = feed.equals("firehose") ? "itfire/f" + (events.size() % 7) : feed;
                events.add(event(repo));
            }
            size = events.size();
            String etag = request.ifNoneMatch() == null ? "" : request.ifNoneMatch().replaceAll("\\D", "");
            int known = etag.isEmpty() ? -1 : Integer.parseInt(etag);
            if (known == size) {
                return FakeGitHub.notModified().header("ETag", "\"" + size + "\"");
            }
            since = new ArrayList<>(events.subList(Math.max(Math.max(0, known), size - 100), size));
        }
        return FakeGitHub.ok("[" + String.join(",", since.reversed()) + "]").header("ETag", "\"" + size + "\"");
    }

    private static String event(String repo) {
        // A type the default POLLER_EVENT_TYPES stores.
        return "{\"id\":\"" + ids.incrementAndGet() + "\",\"type\":\"WatchEvent\",\"actor\":{\"id\":1,\"login\":\"octo\"},"
                + "\"repo\":{\"id\":" + Math.abs(repo.hashCode()) + ",\"name\":\"" + repo + "\"},"
                + "\"payload\":{\"action\":\"started\"},"
                + "\"public\":true,\"created_at\":\"" + Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.SECONDS) + "\"}";
    }

    private static int expected() {
        return firehoseEvents + WATCHED.size() * watchedEvents;
    }

    @Test
    @Order(1)
    void threeReplicasStoreEveryEventOnceWithOnePollerPerFeedAndSurviveTheFirehosePollersKill() throws Exception {
        awaitGroups(3);
        int steady = fake.requests().size();

        // Let part of the firehose come in, then hold the next firehose answer and kill its poller mid-poll.
        await("a third of the firehose stored").atMost(Duration.ofMinutes(2))
                .until(() -> feeds.getOrDefault("firehose", List.of()).size() >= firehoseEvents / 3);
        fake.route("/events", r -> page("firehose", firehoseEvents, 8, r).held());
        int before = fake.requests().size();
        await("the next firehose poll").atMost(Duration.ofSeconds(30)).until(() -> firehoseRequests(before).size() > 0);
        String owner = agent(firehoseRequests(before).getFirst());
        Replica killed = replicas.get(owner);
        Instant killedAt = Instant.now();
        killed.process().destroyForcibly(); // SIGKILL, by the process's own id
        killed.process().waitFor(30, TimeUnit.SECONDS);
        fake.route("/events", r -> page("firehose", firehoseEvents, 8, r));
        fake.release();

        await("another replica polls the firehose").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> firehoseRequests(before).stream().anyMatch(r -> !agent(r).equals(owner)));
        Instant takenOver = firehoseRequests(before).stream().filter(r -> !agent(r).equals(owner))
                .findFirst().orElseThrow().at();
        assertTrue(Duration.between(killedAt, takenOver).compareTo(Duration.ofSeconds(30)) <= 0,
                "taken over " + Duration.between(killedAt, takenOver));
        System.out.printf("ReplicasIT: %s killed; the firehose polled by another replica %d ms later%n", owner,
                Duration.between(killedAt, takenOver).toMillis());

        List<Replica> alive = replicas.values().stream().filter(r -> r != killed).toList();
        Map<String, Long> lastSeen = new ConcurrentHashMap<>();
        try {
            await("every event stored, as every live replica answers").atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .until(() -> {
                        boolean all = true;
                        for (Replica r : alive) {
                            long[] t = totals(r);
                            lastSeen.put(r.agent(), t[0]);
                            all &= t[0] == expected();
                        }
                        return all;
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("stored " + lastSeen + " of " + expected() + "; generated " + feeds.entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, f -> f.getValue().size())), e);
        }
        for (Replica r : alive) {
            long[] t = totals(r);
            assertEquals(expected(), t[0], r.agent() + ": each event");
            assertEquals(expected(), t[1], r.agent() + ": no row stored twice");
        }

        List<FakeGitHub.Request> since = fake.requests().subList(steady, fake.requests().size());
        assertOneAtATime("the firehose", since.stream().filter(r -> isFirehose(r.uri())).toList(), owner);
        for (String repo : WATCHED) {
            assertOneAtATime(repo, since.stream().filter(r -> r.uri().startsWith("/repos/" + repo + "/events")).toList(),
                    owner);
        }
        assertEquals(0, fake.overLimit(), "no request past the token's limit");

        Instant hour = killedAt.truncatedTo(ChronoUnit.HOURS);
        String range = "/metrics/coverage?from=" + hour + "&to=" + hour.plus(Duration.ofHours(1));
        await("the coverage report shows the firehose's gap at " + killedAt).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
                    for (JsonNode gap : get(alive.getFirst(), range).path("poller_gaps")) {
                        if (!Instant.parse(gap.path("from").asText()).isAfter(killedAt)
                                && !Instant.parse(gap.path("to").asText()).isBefore(killedAt)) {
                            return true;
                        }
                    }
                    return false;
                });

        assertSameAnswers(alive);
    }

    /**
     * Every replica answers alike, though each polls only its share: GET /watch, a lifecycle answer's
     * history and completeness (less its window, which is the request's time), each repository loaded
     * by whichever replica polls it, and the firehose poller's status from the one that polls it.
     */
    private static void assertSameAnswers(List<Replica> alive) {
        Map<String, String> last = new ConcurrentHashMap<>();
        try {
            await("the same answers from every replica").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .ignoreExceptions().until(() -> {
                        last.clear();
                        // Back to back: the polls change each entry's poll times every second or so.
                        for (Replica r : alive) {
                            last.put(r.agent(), get(r, "/watch") + "\n" + get(r, "/status/poller"));
                        }
                        for (Replica r : alive) {
                            StringBuilder answer = new StringBuilder(last.get(r.agent()));
                            for (String repo : WATCHED) {
                                com.fasterxml.jackson.databind.node.ObjectNode prs =
                                        (com.fasterxml.jackson.databind.node.ObjectNode) get(r, "/metrics/pull-requests/" + repo + "?days=7");
                                prs.remove(List.of("from", "to"));
                                answer.append('\n').append(prs);
                            }
                            last.put(r.agent(), answer.toString());
                        }
                        JsonNode watch = JSON.readTree(last.get(alive.getFirst().agent()).lines().findFirst().orElseThrow());
                        for (JsonNode w : watch.path("repositories")) {
                            if (!w.path("history").path("state").asText().equals("loaded") || !w.path("complete").asBoolean()) {
                                return false; // not loaded everywhere yet
                            }
                        }
                        return last.values().stream().distinct().count() == 1;
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the replicas answer differently: " + last, e);
        }
    }

    /**
     * {@code requests} of one feed, in arrival order, come in runs of one replica each: never back to
     * a replica after another took over, and only the killed replica hands over.
     */
    private static void assertOneAtATime(String feed, List<FakeGitHub.Request> requests, String killed) {
        List<String> runs = new ArrayList<>();
        for (FakeGitHub.Request r : requests) {
            if (runs.isEmpty() || !runs.getLast().equals(agent(r))) {
                runs.add(agent(r));
            }
        }
        assertFalse(requests.isEmpty(), feed + " was polled");
        // One rebalance (the kill) moves a partition once at most: a replica never polls it again after another.
        assertEquals(runs.size(), runs.stream().distinct().count(), feed + ": polled by one replica at a time: " + runs);
        if (feed.equals("the firehose")) {
            assertTrue(runs.size() == 1 || runs.size() == 2 && runs.getFirst().equals(killed),
                    feed + ": moved only from the killed replica: " + runs);
        }
    }

    /** The replica that sent a request, by its User-Agent. */
    private static String agent(FakeGitHub.Request r) {
        return replicas.keySet().stream().filter(a -> String.valueOf(r.userAgent()).contains(a)).findFirst()
                .orElse(String.valueOf(r.userAgent()));
    }

    private static boolean isFirehose(String uri) {
        return uri.equals("/events") || uri.startsWith("/events?");
    }

    private static List<FakeGitHub.Request> firehoseRequests(int from) {
        List<FakeGitHub.Request> all = fake.requests();
        return all.subList(from, all.size()).stream().filter(r -> isFirehose(r.uri())).toList();
    }

    /** Waits until the firehose's and the watched repositories' groups each have {@code n} members, settled. */
    private static void awaitGroups(int n) {
        String group = "replicas-it";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            await("every replica in the groups").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions().until(() -> {
                        Map<String, ConsumerGroupDescription> d = admin.describeConsumerGroups(
                                List.of(group + ".firehose", group + ".watch")).all().get(10, TimeUnit.SECONDS);
                        return d.values().stream().allMatch(g -> g.members().size() == n
                                && g.groupState().toString().equalsIgnoreCase("stable"));
                    });
        }
    }

    /** total_events and stored_rows, as a replica's API answers them. */
    private static long[] totals(Replica r) throws Exception {
        JsonNode t = get(r, "/debug/total-events");
        return new long[] {t.path("total_events").asLong(), t.path("stored_rows").asLong()};
    }

    private static JsonNode get(Replica r, String path) throws Exception {
        HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(URI.create(r.url(path)))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, res.statusCode(), path + ": " + res.body());
        return JSON.readTree(res.body());
    }

    @Test
    @Order(2)
    void clickHouseAwayForThirtySecondsWhileEventsFlowLosesNothingAndTheConsumersCatchUp() throws Exception {
        List<Replica> alive = alive();
        int before = moreEvents();
        end(engine); // its service manager's stop: SIGTERM by its process id
        Instant stopped = Instant.now();
        awaitFlowing(before, "while ClickHouse is away");
        await("ClickHouse stays away for 30 s").during(Duration.ofSeconds(30)).atMost(Duration.ofSeconds(45))
                .until(() -> !engine.isAlive());
        System.out.printf("ReplicasIT: %d firehose events made while ClickHouse was away for %d s%n",
                feeds.get("firehose").size() - before, Duration.between(stopped, Instant.now()).toSeconds());
        engine = startEngine(Path.of("target", "quarkus-app", "quarkus-run.jar"), enginePort, "engine-2.log");
        awaitLine(DIR.resolve("engine-2.log"), "READY port=");
        awaitAllStored(alive);
    }

    @Test
    @Order(3)
    void theReplicasRunIntoASmallRestOfTheLimitTogetherNeverPassItAndResumeAfterTheReset() throws Exception {
        List<Replica> alive = alive();
        await("a window with 35 s to go").atMost(WINDOW).pollInterval(Duration.ofMillis(200))
                .until(() -> Duration.between(Instant.now(), fake.resetAt()).compareTo(Duration.ofSeconds(35)) >= 0);
        Instant reset = fake.resetAt();
        fake.leave(30); // another client of the token spent the rest
        moreEvents(); // more than 25 requests' worth: the rest of the events after the reset
        long[] lowest = {Long.MAX_VALUE};
        await("the replicas spend the rest down to the reserve together").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    lowest[0] = Math.min(lowest[0], fake.remaining());
                    return Instant.now().isBefore(reset) && fake.remaining() <= RESERVE + alive.size();
                });
        System.out.printf("ReplicasIT: %d replicas at %d requests left, %d s before the reset%n", alive.size(),
                fake.remaining(), Duration.between(Instant.now(), reset).toSeconds());
        awaitAllStored(alive); // which the rest of the events needed requests after the reset for
        assertTrue(fake.requests().stream().anyMatch(r -> !r.at().isBefore(reset)), "resumed after the reset");
    }

    @Test
    @Order(4)
    void aReplicaKilledWhileTheBrokerIsAwayLosesNothingAndABrokerRestartLosesNothing() throws Exception {
        List<Replica> alive = alive();
        moreEvents();
        int requests = fake.requests().size();
        broker.stop(); // SIGTERM by its process id: a controlled shutdown
        // The replica that polled a feed last fetched events the broker cannot take (its publish waits
        // for the broker, and its other polls behind it): killed now, it loses its copies.
        await("a feed polled since the broker's stop began").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).until(() -> feedRequests(requests).findAny().isPresent());
        Replica killed = replicas.get(agent(feedRequests(requests).reduce((a, b) -> b).orElseThrow()));
        killed.process().destroyForcibly();
        killed.process().waitFor(30, TimeUnit.SECONDS);
        broker.restart();
        awaitAllStored(alive.stream().filter(r -> r != killed).toList());
    }

    /** The requests for an events feed (the firehose's or a watched repository's) since the {@code from}th. */
    private static java.util.stream.Stream<FakeGitHub.Request> feedRequests(int from) {
        List<FakeGitHub.Request> all = fake.requests();
        return all.subList(from, all.size()).stream()
                .filter(r -> isFirehose(r.uri()) || r.uri().matches("/repos/[^/]+/[^/]+/events.*"));
    }

    /** Lets the feeds make more events; returns how many the firehose has made so far. */
    private static int moreEvents() {
        firehoseEvents += 80;
        watchedEvents += 10;
        return feeds.get("firehose").size();
    }

    private static void awaitFlowing(int firehoseBefore, String when) {
        await("events flow " + when).atMost(Duration.ofSeconds(60)).until(() -> feeds.get("firehose").size() > firehoseBefore);
    }

    private static List<Replica> alive() {
        return replicas.values().stream().filter(r -> r.process().isAlive()).toList();
    }

    /** Every event generated so far stored once, as each of {@code alive} answers. */
    private static void awaitAllStored(List<Replica> alive) throws Exception {
        Map<String, Long> lastSeen = new ConcurrentHashMap<>();
        try {
            await("every event stored once").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptions().until(() -> {
                        boolean all = true;
                        for (Replica r : alive) {
                            long[] t = totals(r);
                            lastSeen.put(r.agent(), t[0]);
                            all &= t[0] == expected() && t[1] == expected();
                        }
                        return all;
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("stored " + lastSeen + " of " + expected() + "; generated " + feeds.entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, f -> f.getValue().size())), e);
        }
        assertEquals(0, fake.overLimit(), "no request past the token's limit");
    }

    private static Process startEngine(Path jar, int port, String log) throws IOException {
        Path library = ChdbLibrary.resolve(ConfigBootstrap.read(ChdbConfig.class).getConfigMapping(ChdbConfig.class));
        ProcessBuilder pb = new ProcessBuilder(java(), "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-jar",
                jar.toString(), "engine", "--port", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(DIR.resolve(log).toFile());
        pb.environment().putAll(Map.of("DATA_DIR", DIR.resolve("engine").toString(), "CHDB_LIBRARY", library.toString(),
                "CLICKHOUSE_PASSWORD", PASSWORD));
        return pb.start();
    }

    private static Replica startReplica(Path jar, String agent, int enginePort) throws IOException {
        int port = KafkaBroker.freePort();
        ProcessBuilder pb = new ProcessBuilder(java(), "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(DIR.resolve(agent + ".log").toFile());
        Map<String, String> env = new HashMap<>();
        env.put("PORT", Integer.toString(port));
        env.put("DATA_DIR", DIR.resolve(agent).toString());
        env.put("CLICKHOUSE_URL", "http://127.0.0.1:" + enginePort);
        env.put("CLICKHOUSE_PASSWORD", PASSWORD);
        env.put("GITHUB_API_URL", fake.baseUrl());
        env.put("GITHUB_TOKEN", FakeGitHub.TOKEN);
        env.put("GITHUB_USER_AGENT", agent);
        env.put("POLLER_MIN_INTERVAL", "1s");
        env.put("WATCH_REPOSITORIES", String.join(",", WATCHED));
        env.put("ON_DEMAND_ENABLED", "false");
        env.put("ENRICH_ENABLED", "false");
        env.put("COVERAGE_REFRESH_INTERVAL", "2s");
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("KAFKA_TOPIC", "replicas-it.events");
        env.put("KAFKA_GROUP", "replicas-it");
        env.put("KAFKA_PARTITIONS", "6");
        env.put("KAFKA_SESSION_TIMEOUT", "6s");
        env.put("KAFKA_RETRY_INTERVAL", "1s");
        env.put("KAFKA_DELIVERY_TIMEOUT", "5s"); // a broker outage holds each poll this long
        pb.environment().putAll(env);
        return new Replica(agent, port, pb.start());
    }

    private static void awaitReady(Replica r) {
        await(r.agent() + " ready").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> {
                    if (!r.process().isAlive()) {
                        throw new AssertionError(r.agent() + " exited: " + Files.readString(DIR.resolve(r.agent() + ".log")));
                    }
                    return HTTP.send(HttpRequest.newBuilder(URI.create(r.url("/q/health/ready"))).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                });
    }

    /** Waits for a line starting with {@code prefix} in {@code log} and returns the number after it. */
    private static int awaitLine(Path log, String prefix) {
        int[] found = {-1};
        await("'" + prefix + "' in " + log).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!Files.exists(log)) {
                        return false;
                    }
                    for (String line : Files.readAllLines(log)) {
                        int i = line.indexOf(prefix);
                        if (i >= 0) {
                            found[0] = Integer.parseInt(line.substring(i + prefix.length()).trim().split("\\s+")[0]);
                            return true;
                        }
                    }
                    return false;
                });
        return found[0];
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static void end(Process p) {
        if (p.isAlive()) {
            p.destroy();
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }
}
