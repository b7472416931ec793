#!/usr/bin/env bash
# Metrics API benchmark. Starts the packaged service (embedded engine, fresh data under bench/out/),
# loads generated events straight into its engine with INSERT ... SELECT FROM numbers(), and
# prints, at two table sizes, p50/p99 and req/s of the two headline endpoints next to the same
# SQL sent bare, plus the cost of each way of counting without duplicates.
# Takes minutes; not part of `./mvnw verify`.
#
# Usage: bench/api-bench.sh [N]        N events at the end (default 1000000); measured at N/10 and N.
# With CLICKHOUSE_URL (and CLICKHOUSE_USER/PASSWORD/DATABASE) set, the service and the benchmark use
# that server instead of the embedded engine, and the events are loaded into its database.
# Env:   SIZES=a,b,...  REQUESTS (sequential, per measurement; 1000)  CONCURRENCY (4)  SECONDS_PER_LOAD (10)
#        PORT (18090)  ENGINE_PORT (18133)  SKIP_BUILD=1
set -euo pipefail
cd "$(dirname "$0")/.."

N=${1:-1000000}
SIZES=${SIZES:-$((N / 10)),$N}
PORT=${PORT:-18090}
ENGINE_PORT=${ENGINE_PORT:-18133}
out=bench/out
rm -rf "$out/data"
mkdir -p "$out"

if [[ -z "${JAVA_HOME:-}" ]] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "2[5-9]'; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*-25-*; do
    if [[ -x "$candidate/bin/java" ]]; then export JAVA_HOME="$candidate"; break; fi
  done
fi
java="$JAVA_HOME/bin/java"

if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  ./mvnw -q -B package -DskipTests   # also compiles the bench class (test sources)
  # The bench's own test-scope libraries (Awaitility), beside the service's.
  ./mvnw -q -B -DskipChdbFetch dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
fi

DATA_DIR="$out/data" PORT=$PORT CLICKHOUSE_EMBEDDED_PORT=$ENGINE_PORT \
  "$java" --enable-native-access=ALL-UNNAMED -jar target/quarkus-app/quarkus-run.jar >"$out/service.log" 2>&1 &
service=$!
trap 'kill $service 2>/dev/null; wait $service 2>/dev/null || true' EXIT

for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null && break
  kill -0 $service 2>/dev/null || { cat "$out/service.log"; exit 1; }
  sleep 1
done
curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null || { echo "service not ready" >&2; exit 1; }

{
  echo "api-bench $(date -u +%FT%TZ): sizes=$SIZES requests=${REQUESTS:-1000} concurrency=${CONCURRENCY:-4}"
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "columns: p50/p99 = latency seen by the caller; server = the engine's own time (p50)"
  "$java" --enable-native-access=ALL-UNNAMED \
    -cp "target/test-classes:target/quarkus-app/app/*:target/quarkus-app/lib/main/*:$(cat target/bench.classpath)" \
    io.github.eventsstats.bench.ApiBench "engine=${CLICKHOUSE_URL:-http://127.0.0.1:$ENGINE_PORT}" \
    "user=${CLICKHOUSE_USER:-default}" "password=${CLICKHOUSE_PASSWORD:-}" "database=${CLICKHOUSE_DATABASE:-github_stats}" \
    "service=http://127.0.0.1:$PORT" \
    "sizes=$SIZES" "requests=${REQUESTS:-1000}" "concurrency=${CONCURRENCY:-4}" "seconds=${SECONDS_PER_LOAD:-10}" \
    2>"$out/bench.stderr"
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
} 2>&1 | tee "$out/results.txt"
