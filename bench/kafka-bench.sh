#!/usr/bin/env bash
# Kafka benchmark (issue 27; docs/benchmarks/kafka.md): the 24-hour GH Archive sync through Kafka
# against the direct path, on the same hours (sync-bench's: 2024-01-15-0 .. -23, EVENTS events each,
# by ArchiveGenerator) served by a local HTTP server, into one embedded engine (the `engine` command):
#   direct: backfill --from 2024-01-15T00 --to 2024-01-16T00 (the JVM options OPTS), which writes
#           through the deduplicating writer itself: timed from its start to its exit;
#   kafka:  the same command with KAFKA_BOOTSTRAP_SERVERS set, which publishes each hour's kept events
#           to a real broker (the tests' KafkaBroker, started by bench KafkaBench, stopped by its pid),
#           while one replica of the service (poller off) consumes and writes them: timed from the
#           command's start until every row is in ClickHouse (per type, distinct ids), its lag is 0 and
#           the group's committed offsets are at the end.
# Each way runs RUNS times on emptied tables, alternating which goes first; every run must store the
# rows the first direct run stored, or the script fails. During each Kafka run /q/metrics is read
# about every second: the consumer's lag (stream_consumer_lag_events) and what it consumed; the
# rate while the sync runs is the consumed events' rate between 10% and 90% of the run's events (the
# rate they arrive at while the consumer keeps up, its own once it lags). Then (unless NO_DRAIN=1) the consumer's own steady
# rate: the replica stopped, the day published once more, the replica started again on that backlog,
# timed from its first write to the last row.
# Samples in bench/out/kafka-bench-run-N.tsv (seconds, lag, consumed, rows).
#
# Each run prints the CPU seconds (user + system) each process used: the engine, the broker, the
# replica, the HTTP server (from /proc/PID/stat) and the command (GNU time).
#
#   nice -n 5 bench/kafka-bench.sh     EVENTS=100000 RUNS=3 PORT=18431 (engine; +1 HTTP, +2 replica); NO_BUILD=1
#   BASE=<commit>: that commit's build (built once into bench/out/base-<hash>) runs instead of this one.
#   BROKER_OPTS: the broker's JVM options (default: Kafka's own production ones; "tests": the tests' KafkaBroker's).
#   REPLICA_OPTS: the replica's JVM options (default: none); OPTS: the command's (default -XX:TieredStopAtLevel=1).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

EVENTS=${EVENTS:-100000}
RUNS=${RUNS:-3}
PORT=${PORT:-18431}
HTTP_PORT=$((PORT + 1))
REPLICA_PORT=$((PORT + 2))
OUT=bench/out
HOURS=$PWD/$OUT/sync-hours
DATA=$PWD/$OUT/kafka-bench-data
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
JAR=target/quarkus-app/quarkus-run.jar
read -r -a OPTS <<< "${OPTS--XX:TieredStopAtLevel=1}"
read -r -a REPLICA_OPTS <<< "${REPLICA_OPTS-}"
# The broker's JVM: by default as Kafka's own kafka-server-start.sh and kafka-run-class.sh start it in
# production (1 GB heap, G1, the default JIT); BROKER_OPTS=tests: the tests' KafkaBroker options.
BROKER_OPTS=${BROKER_OPTS-"-Xms1g -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true"}
[[ $BROKER_OPTS != tests ]] || BROKER_OPTS=
TOPIC=kafka-bench.events
GROUP=kafka-bench
mkdir -p "$HOURS"

if [[ -z "${NO_BUILD:-}" ]]; then
  echo "== build"
  ./mvnw -q -B -ntp -Pbench -DskipTests package   # the service, ArchiveGenerator and KafkaBench into target/bench-classes
  ./mvnw -q -B -ntp -DskipChdbFetch dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
fi
# BASE=<commit>: the whole benchmark on that commit's build instead (the engine, the replica and the
# command; the broker and the bench's own classes are this build's), for a before/after pair of runs.
base_build
[[ -z ${BASE:-} ]] || JAR=$BASE_JAR
# KafkaBroker is test code, and the broker (kafka_2.13) a test dependency: the tests' class path.
CLASSPATH_BENCH="target/bench-classes:target/test-classes:target/quarkus-app/app/*:target/quarkus-app/lib/main/*:$(cat target/bench.classpath)"
kafka_bench() { "$JAVA" -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$CLASSPATH_BENCH" io.github.eventsstats.bench.KafkaBench "$@"; }

generate_sync_day "$HOURS" "$EVENTS"

# CPU seconds (user + system, all threads) a running process has used so far, from /proc/PID/stat.
TICKS=$(getconf CLK_TCK)
proc_cpu() { awk -v t="$TICKS" '{sub(/^.*\) /, ""); printf "%.2f\n", ($12 + $13) / t}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# The long-lived processes' CPU now (engine broker replica http), for cpu_delta.
cpu_snapshot() { echo "$(proc_cpu "$ENGINE") $(proc_cpu "$BROKER") $(proc_cpu "${REPLICA:-0}") $(proc_cpu "$HTTP")"; }
# "engine E broker B replica R http H command C": CPU seconds each process used since the snapshot $1;
# the command's own from GNU time's file $2.
cpu_delta() { # snapshot time-file
  local a b
  read -r -a a <<< "$1"
  read -r -a b <<< "$(cpu_snapshot)"
  printf 'engine %.1f broker %.1f replica %.1f http %.1f command %.1f\n' "$(echo "${b[0]} - ${a[0]}" | bc -l)" \
    "$(echo "${b[1]} - ${a[1]}" | bc -l)" "$(echo "${b[2]} - ${a[2]}" | bc -l)" "$(echo "${b[3]} - ${a[3]}" | bc -l)" \
    "$(tail -1 "$2" | awk '{print $1 + $2}')"
}

rm -rf "$DATA"
mkdir -p "$DATA/engine" "$DATA/replica"
ENGINE= HTTP= REPLICA= BROKER= SYNC=
stop() { # pid seconds: SIGTERM, then SIGKILL after that long (the broker is not our child: KafkaBench started it)
  [[ -n $1 ]] || return 0
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 1 $(($2 * 2))); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.5; done
  kill -9 "$1" 2>/dev/null || true
}
cleanup() {
  stop "$SYNC" 10 # first: a publishing command whose broker or engine is gone would wait for them
  for p in $REPLICA $ENGINE $HTTP; do kill "$p" 2>/dev/null || true; done
  for p in $REPLICA $ENGINE $HTTP; do wait "$p" 2>/dev/null || true; done
  stop "$BROKER" 60
}
trap cleanup EXIT

echo "== HTTP server on 127.0.0.1:$HTTP_PORT, engine on 127.0.0.1:$PORT, data in $DATA"
python3 -m http.server "$HTTP_PORT" --bind 127.0.0.1 --directory "$HOURS" > "$OUT/kafka-http.log" 2>&1 &
HTTP=$!
DATA_DIR=$DATA/engine "$JAVA" --enable-native-access=ALL-UNNAMED -jar "$JAR" engine --port "$PORT" > "$OUT/kafka-engine.log" 2>&1 &
ENGINE=$!
echo "== broker (KafkaBroker) in $DATA/broker"
kafka_bench broker "dir=$DATA/broker" "jvm=$BROKER_OPTS" > "$OUT/kafka-broker.txt"
BROKER=$(sed -n 's/^pid=//p' "$OUT/kafka-broker.txt")
BOOTSTRAP=$(sed -n 's/^bootstrap=//p' "$OUT/kafka-broker.txt")
for url in "$PORT/ping" "$HTTP_PORT/2024-01-15-0.json.gz.events"; do
  for _ in $(seq 1 120); do
    curl -sf -o /dev/null "http://127.0.0.1:$url" && break
    sleep 0.5
  done
done
engine_auth "$DATA/engine"
sql() { curl -sS --fail-with-body "${AUTH[@]}" "http://127.0.0.1:$PORT/" --data-binary "$1"; }

start_replica() { # the replica, once ready; its pid in REPLICA
  env PORT="$REPLICA_PORT" QUARKUS_HTTP_HOST=127.0.0.1 DATA_DIR="$DATA/replica" \
    CLICKHOUSE_URL="http://127.0.0.1:$PORT" CLICKHOUSE_USER="${AUTH[1]%%:*}" CLICKHOUSE_PASSWORD="${AUTH[1]#*:}" \
    POLLER_ENABLED=false ON_DEMAND_ENABLED=false ENRICH_ENABLED=false ARCHIVE_SYNC_ENABLED=false \
    KAFKA_BOOTSTRAP_SERVERS="$BOOTSTRAP" KAFKA_TOPIC=$TOPIC KAFKA_GROUP=$GROUP \
    "$JAVA" --enable-native-access=ALL-UNNAMED "${REPLICA_OPTS[@]}" -jar "$JAR" >> "$OUT/kafka-replica.log" 2>&1 &
  REPLICA=$!
  for _ in $(seq 1 240); do
    curl -sf -o /dev/null "http://127.0.0.1:$REPLICA_PORT/q/health/ready" && break
    kill -0 "$REPLICA" 2>/dev/null || { cat "$OUT/kafka-replica.log"; exit 1; }
    sleep 0.5
  done
}
echo "== one replica of the service (poller off), its consumer in group $GROUP, on 127.0.0.1:$REPLICA_PORT"
: > "$OUT/kafka-replica.log"
start_replica
metric() { # name: its value in the replica's /q/metrics (summed over its series), 0 when absent
  curl -sf "http://127.0.0.1:$REPLICA_PORT/q/metrics" | awk -v m="$1" '$1 == m || index($1, m "{") == 1 {s += $2} END {printf "%d\n", s}'
}
# The consumer is in the group once its lag gauge is there.
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$REPLICA_PORT/q/metrics" | grep -q '^stream_consumer_lag_events' && break
  sleep 0.5
done

rows() { sql "SELECT count() FROM github_stats.events"; }
FIRST_COUNTS=
check_counts() { # way
  local c
  c=$(counts)
  [[ -n $FIRST_COUNTS ]] || FIRST_COUNTS=$c
  if [[ "$c" != "$FIRST_COUNTS" ]]; then
    echo "the $1 sync stored other rows:"; echo "$c"; echo "the first direct sync:"; echo "$FIRST_COUNTS"; exit 1
  fi
}
sync_cmd() { # extra environment... (GNU time writes the command's CPU seconds to $OUT/kafka-bench-cmd.time)
  env DATA_DIR="$DATA/engine" GHARCHIVE_URL="http://127.0.0.1:$HTTP_PORT" "$@" /usr/bin/time -f '%U %S' -o "$OUT/kafka-bench-cmd.time" \
    "$JAVA" "${OPTS[@]}" -jar "$JAR" \
    backfill --from 2024-01-15T00 --to 2024-01-16T00
}

direct() {
  empty
  local t0 t1 cpu0
  cpu0=$(cpu_snapshot)
  t0=$(now)
  sync_cmd > "$OUT/kafka-bench-direct.txt" 2>&1 || { cat "$OUT/kafka-bench-direct.txt"; exit 1; }
  t1=$(now)
  DIRECT_CPU=$(cpu_delta "$cpu0" "$OUT/kafka-bench-cmd.time")
  grep -q ": 24 hours: 24 loaded" "$OUT/kafka-bench-direct.txt" || { cat "$OUT/kafka-bench-direct.txt"; exit 1; }
  check_counts direct
  direct_s+=("$(echo "$t1 - $t0" | bc -l)")
  TOTAL=$(rows)
}

# One sync through Kafka, sampled about every second until every row is stored; the samples in
# bench/out/kafka-bench-run-N.tsv. Sets KAFKA_S, LAG_MAX, RATE (events/s, 10%-90%), PUBLISHED_S (the command's time).
kafka() { # run
  empty
  local t0 t start consumed lag stored samples=$OUT/kafka-bench-run-$1.tsv done= cpu0
  start=$(metric stream_consumed_total)
  cpu0=$(cpu_snapshot)
  t0=$(now)
  sync_cmd KAFKA_BOOTSTRAP_SERVERS="$BOOTSTRAP" KAFKA_TOPIC=$TOPIC KAFKA_GROUP=$GROUP > "$OUT/kafka-bench-kafka.txt" 2>&1 &
  SYNC=$!
  printf 'seconds\tlag\tconsumed\trows\n' > "$samples"
  PUBLISHED_S=
  while [[ -z $done ]]; do
    sleep 0.5
    t=$(printf '%.2f' "$(echo "$(now) - $t0" | bc -l)")
    lag=$(metric stream_consumer_lag_events)
    consumed=$(( $(metric stream_consumed_total) - start ))
    stored=$(rows)
    printf '%.1f\t%d\t%d\t%d\n' "$t" "$lag" "$consumed" "$stored" >> "$samples"
    if [[ -z $PUBLISHED_S ]] && ! kill -0 "$SYNC" 2>/dev/null; then
      wait "$SYNC" || { cat "$OUT/kafka-bench-kafka.txt"; exit 1; }
      SYNC=
      PUBLISHED_S=$t
      grep -q ": 24 hours: 24 loaded" "$OUT/kafka-bench-kafka.txt" || { cat "$OUT/kafka-bench-kafka.txt"; exit 1; }
    fi
    [[ -n $PUBLISHED_S && $stored -ge $TOTAL && $lag -eq 0 ]] && done=1
    (( ${t%.*} < 1800 )) || { echo "not stored after 30 minutes: $stored of $TOTAL rows, lag $lag"; exit 1; }
  done
  KAFKA_S=$t
  KAFKA_CPU=$(cpu_delta "$cpu0" "$OUT/kafka-bench-cmd.time")
  check_counts kafka
  local committed # the commit follows the write's acknowledgement: a few tries
  for _ in $(seq 1 10); do
    committed=$(kafka_bench committed "bootstrap=$BOOTSTRAP" "group=$GROUP")
    [[ $committed != uncommitted=0\ * ]] || break
    sleep 0.5
  done
  [[ $committed == uncommitted=0\ * ]] || { echo "the group's offsets are not at the end: $committed"; exit 1; }
  LAG_MAX=$(awk 'NR > 1 && $2 > m {m = $2} END {print m + 0}' "$samples")
  # From the sample where 10% of the run's events were consumed to the one with 90%.
  RATE=$(awk -v n="$TOTAL" 'NR > 1 && !a && $3 >= 0.1 * n {a = $1; ca = $3}
                             NR > 1 && !b && $3 >= 0.9 * n {b = $1; cb = $3}
                             END {print (b > a) ? (cb - ca) / (b - a) : 0}' "$samples")
}

# The consumer's own rate, with a whole day waiting for it: the replica stopped (by its pid), the day
# published once more onto emptied tables, the replica started again; timed from its first write
# until every row is stored. Sets DRAIN_RATE (events/s) and DRAIN_S.
drain() {
  stop "$REPLICA" 60
  REPLICA=
  empty
  sync_cmd KAFKA_BOOTSTRAP_SERVERS="$BOOTSTRAP" KAFKA_TOPIC=$TOPIC KAFKA_GROUP=$GROUP > "$OUT/kafka-bench-kafka.txt" 2>&1 \
    || { cat "$OUT/kafka-bench-kafka.txt"; exit 1; }
  start_replica
  local t0= t stored samples=$OUT/kafka-bench-drain.tsv
  printf 'seconds\tlag\tconsumed\trows\n' > "$samples"
  while true; do
    stored=$(rows)
    if [[ -z $t0 ]]; then
      (( stored == 0 )) || t0=$(now)
      sleep 0.2
      continue
    fi
    t=$(printf '%.2f' "$(echo "$(now) - $t0" | bc -l)")
    printf '%s\t%d\t%d\t%d\n' "$t" "$(metric stream_consumer_lag_events)" "$(metric stream_consumed_total)" "$stored" >> "$samples"
    (( stored < TOTAL )) || break
    sleep 0.5
  done
  check_counts drain
  DRAIN_S=$t
  DRAIN_RATE=$(echo "$TOTAL / $t" | bc -l)
}

direct_s=(); kafka_s=(); published_s=(); lag_max=(); rate=(); paired=(); loads=()
for run in $(seq 1 "$RUNS"); do
  loads+=("$(cut -d' ' -f1 /proc/loadavg)")
  if (( run % 2 )); then direct; kafka "$run"; else kafka "$run"; direct; fi
  kafka_s+=("$KAFKA_S"); published_s+=("$PUBLISHED_S"); lag_max+=("$LAG_MAX"); rate+=("$RATE")
  paired+=("$(echo "${direct_s[-1]} / $KAFKA_S" | bc -l)")
  printf 'run %d: direct %.1f s; kafka %.1f s (published in %.1f s), lag max %d, consumer %.0f events/s; direct/kafka %.2fx\n' \
    "$run" "${direct_s[-1]}" "$KAFKA_S" "$PUBLISHED_S" "$LAG_MAX" "$RATE" "${paired[-1]}"
  echo "  CPU seconds, direct: $DIRECT_CPU"
  echo "  CPU seconds, kafka:  $KAFKA_CPU"
done
loads+=("$(cut -d' ' -f1 /proc/loadavg)")
if [[ -z ${NO_DRAIN:-} ]]; then
  drain
  printf 'drain: a whole day published first, then the replica started: %.0f events/s (%.1f s from its first write to the last row)\n' \
    "$DRAIN_RATE" "$DRAIN_S"
  loads+=("$(cut -d' ' -f1 /proc/loadavg)")
fi
echo "== stored (each way, each run): $TOTAL rows: $(tr '\n' ' ' <<< "$FIRST_COUNTS")"
printf '%-52s best of %d   median of %d\n' "" "$RUNS" "$RUNS"
row() { printf '%-52s %9.1f   %9.1f\n' "$1" "$(best "${@:2}")" "$(median "${@:2}")"; }
row "direct: backfill --from, start to exit (s)" "${direct_s[@]}"
row "kafka: start until every row is stored (s)" "${kafka_s[@]}"
row "kafka: the publishing command, start to exit (s)" "${published_s[@]}"
printf '%-52s %9.0f   %9.0f\n' "kafka: consumer during the sync (events/s; max, median)" \
  "$(printf '%s\n' "${rate[@]}" | sort -g | tail -1)" "$(median "${rate[@]}")"
printf '%-52s %9.0f   %9.0f\n' "kafka: lag during the sync, max (events; min, median)" "$(best "${lag_max[@]}")" "$(median "${lag_max[@]}")"
printf 'direct / kafka (time ratio, target >= 0.8): %.2fx (medians), %.2fx (median of each run'"'"'s)\n' \
  "$(echo "$(median "${direct_s[@]}") / $(median "${kafka_s[@]}")" | bc -l)" "$(median "${paired[@]}")"
echo "lag of the median Kafka run (seconds, lag, consumed, rows), every ~5 s:"
mid=$(for i in "${!kafka_s[@]}"; do echo "${kafka_s[$i]} $((i + 1))"; done | sort -g | sed -n "$(((RUNS + 1) / 2))p" | cut -d' ' -f2)
awk 'NR == 1 || (NR - 2) % 10 == 0' "$OUT/kafka-bench-run-$mid.tsv" | column -t
echo "machine: $(nproc) cores, load average at each run's start, at the end of the runs (and of the drain): ${loads[*]}"
