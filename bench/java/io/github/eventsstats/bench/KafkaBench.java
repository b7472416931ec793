package io.github.eventsstats.bench;

import io.github.eventsstats.stream.KafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * bench/kafka-bench.sh's Kafka side, two commands:
 * <ul>
 *   <li>{@code broker dir=<data directory> [jvm=<JVM options>]}: starts the tests' broker ({@link KafkaBroker}: one KRaft
 *   node as a child JVM on free loopback ports; its JVM options the tests' unless {@code jvm=}), waits until it answers, prints {@code pid=} and
 *   {@code bootstrap=} lines and exits, leaving it running; the script stops it by that pid.</li>
 *   <li>{@code committed bootstrap=<host:port> group=<group>}: prints the records of the group's
 *   partitions not committed yet (end offset − committed offset, summed), and the partitions.</li>
 * </ul>
 */
public final class KafkaBench {

    private KafkaBench() {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = BenchSupport.args(Arrays.copyOfRange(argv, 1, argv.length));
        switch (argv[0]) {
            case "broker" -> {
                String jvm = args.getOrDefault("jvm", "").strip();
                KafkaBroker broker = jvm.isEmpty() ? KafkaBroker.start(Path.of(args.get("dir")))
                        : KafkaBroker.start(Path.of(args.get("dir")), List.of(jvm.split("\\s+")));
                System.out.println("pid=" + broker.pid());
                System.out.println("bootstrap=" + broker.bootstrapServers());
            }
            case "committed" -> {
                try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args.get("bootstrap")))) {
                    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(args.get("group"))
                            .partitionsToOffsetAndMetadata().get();
                    var ends = admin.listOffsets(committed.keySet().stream()
                            .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()))).all().get();
                    long behind = committed.entrySet().stream()
                            .mapToLong(e -> ends.get(e.getKey()).offset() - e.getValue().offset()).sum();
                    System.out.println("uncommitted=" + behind + " partitions=" + committed.size());
                }
            }
            default -> throw new IllegalArgumentException("broker dir=.. | committed bootstrap=.. group=..");
        }
        System.exit(0); // the broker is a process of its own: it outlives this JVM
    }
}
