#!/usr/bin/env bash
# Dashboard benchmark: time to first chart. Starts the packaged service (embedded engine, fresh data
# under bench/out/, answer cache off, no poller), loads N generated events straight into its engine
# (ApiBench's generator, measure=false), then opens the overview in Debian's Chromium, a fresh browser
# context each run, and times from navigation to the chart drawn with its data. Beside each, in the
# same run, the bare API request the chart waits for (/metrics/visualization, same parameters).
# Takes minutes (10M events: about 10 on 2 cores); not part of `./mvnw verify`.
#
# Usage: bench/dashboard-bench.sh [N]      N events (default 10000000)
# Env:   RUNS (per window; 7)  PORT (18092)  ENGINE_PORT (18134)  SKIP_BUILD=1
set -euo pipefail
cd "$(dirname "$0")/.."

N=${1:-10000000}
PORT=${PORT:-18092}
ENGINE_PORT=${ENGINE_PORT:-18134}
out=bench/out/dashboard
rm -rf "$out/data"
mkdir -p "$out"

source bench/service.sh
find_java
[[ -x /usr/bin/chromium ]] || { echo "needs Debian's chromium (/usr/bin/chromium)" >&2; exit 1; }

if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  ./mvnw -q -B -Pbench package -DskipTests   # the service, and ApiBench (bench/java) into target/bench-classes
  ./mvnw -q -B -DskipChdbFetch dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
fi
# The browser tests' pinned playwright-core, beside the driver script.
if [[ ! -d "$out/browser/node_modules/playwright-core" ]]; then
  mkdir -p "$out/browser"
  cp src/test/browser/package.json src/test/browser/package-lock.json "$out/browser/"
  (cd "$out/browser" && npm ci --no-audit --no-fund --ignore-scripts >/dev/null)
fi
cp bench/dashboard-ttfc.mjs "$out/browser/"

ports_free "$PORT" "$ENGINE_PORT"

DATA_DIR="$out/data" PORT=$PORT CLICKHOUSE_EMBEDDED_PORT=$ENGINE_PORT API_CACHE_TTL=0 POLLER_ENABLED=false \
  ROLLUP_COUNT_INTERVAL=5s ROLLUP_QUIET=5s CLICKHOUSE_SOCKET_TIMEOUT=300s \
  "$java" --enable-native-access=ALL-UNNAMED -jar target/quarkus-app/quarkus-run.jar >"$out/service.log" 2>&1 &
service=$!
trap 'kill $service 2>/dev/null || true; wait $service 2>/dev/null || true' EXIT
wait_ready $service "$PORT" 180
engine_credentials "$out/data"

{
  echo "dashboard-bench $(date -u +%FT%TZ): $N events, ${RUNS:-7} runs per window"
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  "$java" --enable-native-access=ALL-UNNAMED \
    -cp "target/bench-classes:target/quarkus-app/app/*:target/quarkus-app/lib/main/*:$(cat target/bench.classpath)" \
    io.github.eventsstats.bench.ApiBench "engine=http://127.0.0.1:$ENGINE_PORT" "user=$engine_user" "password=$engine_password" \
    "service=http://127.0.0.1:$PORT" \
    "sizes=$N" measure=false 2>"$out/load.stderr"
  echo "load average before timing: $(cut -d' ' -f1-3 /proc/loadavg)"
  (cd "$out/browser" && BASE_URL="http://127.0.0.1:$PORT" RUNS="${RUNS:-7}" node dashboard-ttfc.mjs)
} 2>&1 | tee "$out/results.txt"
