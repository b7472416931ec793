package io.github.eventsstats.stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The jobs the replicas share through Kafka's group protocol, on the tests' real broker. */
class MembershipTest {

    private final List<Membership> members = new ArrayList<>();
    private final List<SharedList> lists = new ArrayList<>();
    private Process child;

    @AfterEach
    void leave() {
        members.forEach(Membership::stop);
        lists.forEach(SharedList::stop);
        if (child != null) {
            child.destroyForcibly();
        }
    }

    /** A shared list on {@code topic}, stopped after the test. */
    private SharedList sharedList(TestKafkaConfig c, String topic) {
        SharedList list = new SharedList(c, topic);
        lists.add(list);
        return list;
    }

    private static TestKafkaConfig config(int partitions) throws Exception {
        TestKafkaConfig c = TestKafkaConfig.fresh(KafkaBroker.shared().bootstrapServers(), partitions);
        new Topics(c).create(Duration.ofSeconds(30));
        return c;
    }

    private Membership join(TestKafkaConfig c, String job, String topic, int partitions) {
        Membership m = new Membership(c, job, topic, partitions);
        members.add(m);
        m.start();
        return m;
    }

    @Test
    void oneReplicaHoldsAJobAndAnotherTakesItOverWithinTheSessionTimeoutWhenItIsKilled() throws Exception {
        TestKafkaConfig c = config(1);
        child = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-cp",
                System.getProperty("java.class.path"), MembershipChild.class.getName(), c.bootstrap(), c.topic(), c.group(),
                KafkaStream.FIREHOSE).redirectErrorStream(true).start();
        AtomicBoolean childHolds = new AtomicBoolean();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.equals("HOLDS")) {
                        childHolds.set(true);
                    }
                }
            } catch (java.io.IOException e) {
                // killed
            }
        });
        await("the child holds the job").atMost(Duration.ofMinutes(1)).untilTrue(childHolds);
        Membership here = join(c, KafkaStream.FIREHOSE, new Topics(c).leader(), 1);
        // The child keeps the job while it lives: joining does not take it away.
        await("this member joined").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> !here.holds());

        long killedAt = System.nanoTime();
        child.destroyForcibly(); // SIGKILL: the child never leaves the group
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        await("the take-over").atMost(Duration.ofSeconds(30)).until(here::holds);
        Duration took = Duration.ofNanos(System.nanoTime() - killedAt);
        assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "took " + took);
    }

    @Test
    void eachKeyBelongsToExactlyOneReplicaAndMovesWhenOneLeaves() throws Exception {
        TestKafkaConfig c = config(6);
        String topic = new Topics(c).watchShares();
        Membership a = join(c, KafkaStream.WATCH, topic, 6);
        Membership b = join(c, KafkaStream.WATCH, topic, 6);
        List<String> repos = List.of("octo/one", "octo/two", "Octo/Three", "acme/four", "acme/five", "x/y", "a/b", "c/d");
        await("both own a share").atMost(Duration.ofMinutes(1))
                .until(() -> a.holds() && b.holds() && repos.stream().allMatch(r -> a.owns(r) ^ b.owns(r)));
        assertEquals(a.owns("octo/three"), a.owns("Octo/Three"), "a name's case does not move it");

        b.stop(); // leaves the group: its share moves at once
        await("a owns all").atMost(Duration.ofSeconds(30)).until(() -> repos.stream().allMatch(a::owns));
        assertFalse(b.holds());
    }

    @Test
    void keysAreSharedByTheTopicsOwnPartitionsWhenItWasMadeWithAnotherCount() throws Exception {
        TestKafkaConfig c = config(3); // the topic as an earlier start made it
        String topic = new Topics(c).watchShares();
        Membership a = join(c, KafkaStream.WATCH, topic, 6); // KAFKA_PARTITIONS changed since
        Membership b = join(c, KafkaStream.WATCH, topic, 6);
        List<String> repos = java.util.stream.IntStream.range(0, 40).mapToObj(i -> "org/repo-" + i).toList();
        await("each key owned by exactly one").atMost(Duration.ofMinutes(1))
                .until(() -> a.holds() && b.holds() && repos.stream().allMatch(r -> a.owns(r) ^ b.owns(r)));
    }

    @Test
    void aRevocationWaitsForTheWorkInProgress() throws Exception {
        TestKafkaConfig c = config(1);
        Membership a = join(c, KafkaStream.FIREHOSE, new Topics(c).leader(), 1);
        await().atMost(Duration.ofMinutes(1)).until(a::holds);
        AtomicBoolean inside = new AtomicBoolean();
        AtomicBoolean release = new AtomicBoolean();
        Thread worker = Thread.ofVirtual().start(() -> a.hold(null, () -> {
            inside.set(true);
            await().atMost(Duration.ofMinutes(1)).untilTrue(release);
        }));
        await().untilTrue(inside);
        // A second replica joins: the group's rebalance makes the first give the job up, which waits for the work.
        Membership b = join(c, KafkaStream.FIREHOSE, new Topics(c).leader(), 1);
        await("nobody else holds the job while the work runs").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> !b.holds());
        release.set(true);
        worker.join();
        Thread.ofVirtual().start(a::stop);
        await("b takes over").atMost(Duration.ofSeconds(30)).until(b::holds);
    }

    @Test
    void theSharedListReachesEveryReplicaTheEntriesBeforeItsStartToo() throws Exception {
        TestKafkaConfig c = config(1);
        String topic = new Topics(c).watchList();
        Map<String, String> first = new ConcurrentHashMap<>();
        SharedList one = sharedList(c, topic);
        one.listen((k, v) -> apply(first, k, v));
        one.follow();
        one.add("octo/one", "Octo/One");
        one.add("octo/two", "octo/two");
        await().atMost(Duration.ofSeconds(30)).until(() -> first.size() == 2);

        Map<String, String> later = new ConcurrentHashMap<>();
        SharedList two = sharedList(c, topic);
        two.listen((k, v) -> apply(later, k, v));
        two.follow();
        await("a replica started later reads the list").atMost(Duration.ofSeconds(30)).until(() -> later.size() == 2);
        assertEquals("Octo/One", later.get("octo/one"));
        two.remove("octo/one");
        await("a removal reaches the first").atMost(Duration.ofSeconds(30))
                .until(() -> first.keySet().equals(java.util.Set.of("octo/two")));

        // put: not waited for, the latest value per key; a part listening late hears what was read before.
        one.put("state/octo/two", "1");
        one.put("state/octo/two", "2");
        await("a put reaches the other replica").atMost(Duration.ofSeconds(30))
                .until(() -> "2".equals(later.get("state/octo/two")));
        Map<String, String> late = new ConcurrentHashMap<>();
        two.listen((k, v) -> apply(late, k, v));
        assertEquals(Map.of("octo/two", "octo/two", "state/octo/two", "2"), late, "heard at once");
    }

    /**
     * A listener failing on one entry (a full disk saving the watch file) loses neither the entries
     * read with it nor the ones after: the list is read on.
     */
    @Test
    void aListenerFailingOnOneEntryLosesNoOtherEntryAndTheListIsReadOn() throws Exception {
        TestKafkaConfig c = config(1);
        Topics t = new Topics(c);
        SharedList writer = sharedList(c, t.watchList());
        writer.add("octo/bad", "octo/bad");
        writer.add("octo/one", "octo/one");
        SharedList list = sharedList(c, t.watchList());
        Map<String, String> read = new ConcurrentHashMap<>();
        list.listen((k, v) -> {
            if (k.equals("octo/bad")) {
                throw new java.io.UncheckedIOException(new java.io.IOException("No space left on device"));
            }
            apply(read, k, v);
        });
        list.follow();
        await("the entry after the failing one").atMost(Duration.ofSeconds(30)).until(() -> read.containsKey("octo/one"));
        writer.add("octo/two", "octo/two");
        await("an entry written later").atMost(Duration.ofSeconds(30)).until(() -> read.containsKey("octo/two"));
    }

    /**
     * A replica given a repository's partition before its replay of the shared list reached the last
     * holder's state of it (here: before the replay began) works on it only once the list is read to
     * the end the broker had: from the newest state, not from its own older one.
     */
    @Test
    void workOnANewAssignmentWaitsUntilTheSharedListIsReadToItsEnd() throws Exception {
        TestKafkaConfig c = config(3);
        Topics t = new Topics(c);
        SharedList holder = sharedList(c, t.watchList());
        holder.add("state/octo/one", "the last holder's");
        SharedList list = sharedList(c, t.watchList());
        Map<String, String> read = new ConcurrentHashMap<>();
        list.listen((k, v) -> apply(read, k, v));
        Membership m = new Membership(c, KafkaStream.WATCH, t.watchShares(), 3);
        m.settleWith(list::catchUp);
        members.add(m);
        m.start();
        await("given the partition").atMost(Duration.ofMinutes(1)).until(() -> m.owns("octo/one"));

        java.util.concurrent.atomic.AtomicReference<String> seen = new java.util.concurrent.atomic.AtomicReference<>();
        Thread worker = Thread.ofVirtual().start(() -> m.hold("octo/one", () -> seen.set(read.get("state/octo/one"))));
        await("the work waits for the list").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(worker::isAlive);
        list.follow();
        assertTrue(worker.join(Duration.ofSeconds(30)), "the work ran once the list was read");
        assertEquals("the last holder's", seen.get());
    }

    /** A list that is never read to its end (the broker away) holds the work up for the session timeout only, once. */
    @Test
    void workOnANewAssignmentWaitsForTheSharedListAtMostTheSessionTimeout() throws Exception {
        TestKafkaConfig c = config(1);
        Topics t = new Topics(c);
        SharedList list = sharedList(c, t.watchList()); // never followed
        Membership m = new Membership(c, KafkaStream.WATCH, t.watchShares(), 1);
        m.settleWith(list::catchUp);
        members.add(m);
        m.start();
        await("given the partition").atMost(Duration.ofMinutes(1)).until(m::holds);
        long start = System.nanoTime();
        assertTrue(m.hold("octo/one", () -> { }), "worked on from its own state");
        assertTrue(System.nanoTime() - start >= c.sessionTimeout().toNanos(), "waited the session timeout");
        start = System.nanoTime();
        assertTrue(m.hold("octo/one", () -> { }));
        assertTrue(System.nanoTime() - start < c.sessionTimeout().toNanos(), "not again for the same assignment");
    }

    private static void apply(Map<String, String> list, String key, String value) {
        if (value == null) {
            list.remove(key);
        } else {
            list.put(key, value);
        }
    }
}
