#!/usr/bin/env bash
# The embedded engine's transport, this build against a baseline build (default: before issue 24,
# the commit before 61383b1, whose engine process ran on the JDK alone with a hand-written LZ4
# codec), side by side on this machine:
#   - each build's service is started (POLLER_ENABLED=false) so that it launches its engine
#     process; that process's command line is copied and launched again on a port of its own and
#     a fresh directory, so the timed engine answers nothing but the benchmark (an engine that
#     takes a user and password, as this build's does since issue 26, is given a password made
#     here on its standard input, as its service does; an older one takes none);
#   - transport: through clickhouse-java with LZ4 both ways, as the service talks to its engine:
#     SMALL small queries, an answer of ROWS rows (RowBinary) and an insert of as many rows into a
#     Null table; wall time and the engine process's CPU time;
#   - codec: the engine's own LZ4 block writer and reader on that answer's bytes, in a JVM with the
#     engine process's flags (C1 only) and the build's jars;
#   - ready: the engine process started from its command line until it prints READY;
#   - metaspace: the service's engine process once it is up (jcmd VM.metaspace).
# Each measurement alternates the builds RUNS times; medians, and the ratio this / baseline.
#
#   bench/engine-transport.sh                 RUNS=5 SMALL=2000 ROWS=2000000 BASE=<61383b1^>
#   NO_BUILD=1 bench/engine-transport.sh      reuse both builds
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

RUNS=${RUNS:-5}
SMALL=${SMALL:-2000}
ROWS=${ROWS:-2000000}
BASE=${BASE:-$(git log --format=%h -1 61383b1^)}
OUT=$PWD/bench/out/transport
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
JCMD=$(dirname "$JAVA")/jcmd
PORT_A=${PORT_A:-18401}; PORT_B=${PORT_B:-18402}
ENGINE_A=${ENGINE_A:-18403}; ENGINE_B=${ENGINE_B:-18404}
TIMED_A=${TIMED_A:-18405}; TIMED_B=${TIMED_B:-18406}
PASSWORD=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
rm -rf "$OUT"
mkdir -p "$OUT"

if [[ -z "${NO_BUILD:-}" ]]; then
  echo "== build: this tree (with the bench's classes)"
  ./mvnw -q -B -Pbench -DskipTests package
  ./mvnw -q -B -DskipChdbFetch dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
fi
base_build
HERE_APP=$PWD/target/quarkus-app
BASE_APP=$BASE_DIR/target/quarkus-app
BENCH_CP="$PWD/target/bench-classes:$(cat target/bench.classpath)"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# A build's service, up: its engine process's pid in CHILD.
service() { # name app port engine_port
  DATA_DIR=$OUT/$1-service PORT=$3 CLICKHOUSE_EMBEDDED_PORT=$4 POLLER_ENABLED=false \
    "$JAVA" --enable-native-access=ALL-UNNAMED -jar "$2/quarkus-run.jar" > "$OUT/$1-service.log" 2>&1 &
  pids+=($!)
  local svc=$!
  for _ in $(seq 1 180); do curl -sf "http://127.0.0.1:$3/q/health/ready" > /dev/null && break; sleep 1; done
  CHILD=$(pgrep -P "$svc" | head -1)
  [[ -n "$CHILD" ]] || { echo "no engine process under $1's service"; cat "$OUT/$1-service.log"; exit 1; }
}
# The engine process of that service launched again on PORT, in a fresh directory, kept until exit.
timed_engine() { # name port
  local args=() next= a
  while IFS= read -r -d '' a; do
    if [[ -n "$next" ]]; then args+=("$next"); next=; continue; fi
    case "$a" in
      --port) args+=("$a"); next=$2 ;;
      --path) args+=("$a"); next=$OUT/$1-timed ;;
      --port=*) args+=("--port=$2") ;;
      --path=*) args+=("--path=$OUT/$1-timed") ;;
      *) args+=("$a") ;;
    esac
  done < "$OUT/$1.cmdline"
  mkdir -p "$OUT/$1-timed"
  # Its standard input is a pipe this script holds open: with --watch-stdin it exits when the script does.
  mkfifo "$OUT/$1.stdin"
  exec {fd}<>"$OUT/$1.stdin"
  # The engine's credential, for the curl and the client below: user and password, or none.
  local user
  user=$(tr '\0' '\n' < "$OUT/$1.cmdline" | sed -n 's/^--user=//p')
  if [[ -n $user ]]; then
    echo "$PASSWORD" >&"$fd"
    CREDENTIAL=("user=$user" "password=$PASSWORD"); AUTH=(-u "$user:$PASSWORD")
  else
    CREDENTIAL=(); AUTH=()
  fi
  "${args[@]}" < "$OUT/$1.stdin" > "$OUT/$1-timed.log" 2>&1 &
  TIMED_PID=$!
  pids+=($!)
  for _ in $(seq 1 120); do grep -q '^READY' "$OUT/$1-timed.log" && break; sleep 0.5; done
  grep -q '^READY' "$OUT/$1-timed.log" || { echo "$1's engine did not start"; cat "$OUT/$1-timed.log"; exit 1; }
}

echo "== services: this build on $PORT_A, $BASE on $PORT_B"
service here "$HERE_APP" "$PORT_A" "$ENGINE_A"; HERE_CHILD=$CHILD
service base "$BASE_APP" "$PORT_B" "$ENGINE_B"; BASE_CHILD=$CHILD
cp "/proc/$HERE_CHILD/cmdline" "$OUT/here.cmdline"
cp "/proc/$BASE_CHILD/cmdline" "$OUT/base.cmdline"
# JDK 25's GC.heap_info has no Metaspace line under the serial GC the engine runs: VM.metaspace's first line.
metaspace() { "$JCMD" "$1" VM.metaspace | awk '/^Metaspace/{for (i = 1; i <= NF; i++) if ($i == "used") {v = $(i + 1); sub(/K,?/, "", v); print v / 1024; exit}}'; }
META_HERE=$(metaspace "$HERE_CHILD"); META_BASE=$(metaspace "$BASE_CHILD")

timed_engine base "$TIMED_B"; BASE_TIMED=$TIMED_PID; BASE_CREDENTIAL=("${CREDENTIAL[@]}")
timed_engine here "$TIMED_A"; HERE_TIMED=$TIMED_PID; HERE_CREDENTIAL=("${CREDENTIAL[@]}")

# The big answer's bytes, uncompressed, for the codec runs.
curl -sS --fail "${AUTH[@]}" "http://127.0.0.1:$TIMED_A/" --data-binary "SELECT number AS id, concat('owner', toString(number % 97),
  '/repo-', toString(number % 1000)) AS repo, toUInt32(number % 1000) AS n FROM numbers($ROWS) FORMAT RowBinary" \
  -o "$OUT/answer.bin"

declare -A v names
add() { if [[ $2 == codec ]]; then names[$1]=$3; else v[$1.$2]="${v[$1.$2]:-} $3"; fi; }
transport() { # name url pid [user=U password=P]
  while IFS='=' read -r k val; do add "$1" "$k" "$val"; done < <("$JAVA" --enable-native-access=ALL-UNNAMED \
    -Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider -cp "$BENCH_CP:$HERE_APP/app/*:$HERE_APP/lib/main/*" \
    io.github.eventsstats.bench.EngineTransportBench transport "engine=$2" "pid=$3" "small=$SMALL" "rows=$ROWS" "${@:4}")
}
codec() { # name app
  while IFS='=' read -r k val; do add "$1" "$k" "$val"; done < <("$JAVA" --enable-native-access=ALL-UNNAMED \
    -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx1g -Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider \
    -cp "$PWD/target/bench-classes:$2/app/*:$2/lib/main/*" \
    io.github.eventsstats.bench.EngineTransportBench codec "data=$OUT/answer.bin")
}
ready() { # name [password=P]
  while IFS='=' read -r k val; do add "$1" "$k" "$val"; done < <("$JAVA" -cp "$BENCH_CP" \
    io.github.eventsstats.bench.EngineTransportBench ready "cmdline=$OUT/$1.cmdline" "dir=$OUT" "${@:2}")
}

for run in $(seq 1 "$RUNS"); do
  echo "== run $run of $RUNS"
  if (( run % 2 )); then order="here base"; else order="base here"; fi
  for who in $order; do
    if [[ $who == here ]]; then transport here "http://127.0.0.1:$TIMED_A" "$HERE_TIMED" "${HERE_CREDENTIAL[@]}"
    else transport base "http://127.0.0.1:$TIMED_B" "$BASE_TIMED" "${BASE_CREDENTIAL[@]}"; fi
  done
  for who in $order; do
    if [[ $who == here ]]; then codec here "$HERE_APP"; ready here "${HERE_CREDENTIAL[@]:1}"
    else codec base "$BASE_APP"; ready base "${BASE_CREDENTIAL[@]:1}"; fi
  done
done

m() { median ${v[$1]}; }
printf '\n%-34s %12s %12s %8s\n' "medians of $RUNS, alternating" "this build" "$BASE" "ratio"
rowm() { printf '%-34s %12.1f %12.1f %7.2fx\n' "$1" "$(m "here.$2")" "$(m "base.$2")" \
  "$(echo "$(m "here.$2") / $(m "base.$2")" | bc -l)"; }
rowm "$SMALL small queries, ms" small_ms
rowm "  engine CPU, ms" small_engine_cpu_ms
rowm "$ROWS-row answer, ms" big_ms
rowm "  engine CPU, ms" big_engine_cpu_ms
rowm "insert of $ROWS rows, ms" insert_ms
rowm "  engine CPU, ms" insert_engine_cpu_ms
rowm "codec write, ms" codec_write_ms
rowm "codec read, ms" codec_read_ms
rowm "engine start to READY, ms" ready_ms
printf '%-34s %12.1f %12.1f\n' "engine metaspace used, MiB" "$META_HERE" "$META_BASE"
echo "answer: $(m here.big_bytes) bytes; insert body: $(m here.insert_bytes) bytes; codec: $(stat -c %s "$OUT/answer.bin") plain bytes"
echo "codecs: this build ${names[here]:-?}; $BASE ${names[base]:-?}"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
