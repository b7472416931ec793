#!/usr/bin/env bash
# Metrics API benchmark. Starts the packaged service (embedded engine, fresh data under bench/out/),
# loads generated events straight into its engine with INSERT ... SELECT FROM numbers(), and
# prints, at two table sizes, p50/p99 and req/s of the two headline endpoints next to the same
# SQL sent bare, the long windows (a year) next to the SQL they ran before the hourly rollup, plus
# the cost of each way of counting without duplicates; then repeated identical requests with the
# answer cache on, from wrk (Debian's package), and the memory and disk used.
# Takes minutes (100M events: about an hour); not part of `./mvnw verify`.
#
# Usage: bench/api-bench.sh [N]        N events at the end (default 1000000); measured at N/10 and N.
# With CLICKHOUSE_URL (and CLICKHOUSE_USER/PASSWORD/DATABASE) set, the service and the benchmark use
# that server instead of the embedded engine, and the events are loaded into its database.
# Env:   SIZES=a,b,...  REQUESTS (sequential, per measurement; 1000)  CONCURRENCY (4)  SECONDS_PER_LOAD (10)
#        LONG_SECONDS (time budget of each long-window measurement; 20)  WRK_CONNECTIONS (16)  WRK_SECONDS (10)
#        WRK_WARMUP (seconds of wrk per cached path before the timed runs; 8)
#        PORT (18090)  CACHED_PORT (18091)  ENGINE_PORT (18133)  SKIP_BUILD=1
# With BASE=<commit>: the whole benchmark RUNS times (2) for this build and for that commit's, in
# turn (each its own script, build and fresh data), and each run's results side by side.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -n ${BASE:-} ]]; then
  source bench/lib.sh
  base_build
  if [[ ${SKIP_BUILD:-} != 1 ]]; then
    ./mvnw -q -B -Pbench package -DskipTests
    ./mvnw -q -B -DskipChdbFetch dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
  fi
  vs=$PWD/bench/out/api-vs-base
  rm -rf "$vs"
  mkdir -p "$vs"
  first_base=1
  for run in $(seq 1 "${RUNS:-2}"); do
    for who in $( (( run % 2 )) && echo this base || echo base this); do
      echo "== run $run: $who"
      if [[ $who == this ]]; then
        BASE= SKIP_BUILD=1 bench/api-bench.sh "$@" > /dev/null
        cp bench/out/results.txt "$vs/this-$run.txt"
      else
        # Its first run builds what its own script needs (its bench classes' class path).
        (cd "$BASE_DIR" && SKIP_BUILD=$( ((first_base)) && echo 0 || echo 1) bench/api-bench.sh "$@" > /dev/null)
        first_base=0
        cp "$BASE_DIR/bench/out/results.txt" "$vs/base-$run.txt"
      fi
    done
  done
  for run in $(seq 1 "${RUNS:-2}"); do
    echo "== run $run: this build | base $BASE"
    paste -d'|' "$vs/this-$run.txt" "$vs/base-$run.txt" | sed 's/|/    |    /'
  done
  exit 0
fi

N=${1:-1000000}
SIZES=${SIZES:-$((N / 10)),$N}
PORT=${PORT:-18090}
CACHED_PORT=${CACHED_PORT:-18091}
ENGINE_PORT=${ENGINE_PORT:-18133}
out=bench/out
rm -rf "$out/data"
mkdir -p "$out"

source bench/service.sh
find_java

if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  ./mvnw -q -B -Pbench package -DskipTests   # the service, and the bench's classes (bench/java) into target/bench-classes
  # The bench's own test-scope libraries (Awaitility), beside the service's.
  ./mvnw -q -B -DskipChdbFetch dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
fi

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

ports_free "$PORT" "$ENGINE_PORT"

# The timed service answers every request itself (cache off); its rollup job counts quiet hours
# every 5 s. A year over 100M events without the rollup takes longer than the default 30 s.
DATA_DIR="$out/data" PORT=$PORT CLICKHOUSE_EMBEDDED_PORT=$ENGINE_PORT API_CACHE_TTL=0 POLLER_ENABLED=false \
  ROLLUP_COUNT_INTERVAL=5s ROLLUP_QUIET=5s CLICKHOUSE_SOCKET_TIMEOUT=300s \
  "$java" --enable-native-access=ALL-UNNAMED -jar target/quarkus-app/quarkus-run.jar >"$out/service.log" 2>&1 &
service=$!
cached=
trap 'kill $service $cached 2>/dev/null || true; wait $service $cached 2>/dev/null || true' EXIT

wait_ready $service "$PORT"
if [[ -z "${CLICKHOUSE_URL:-}" ]]; then
  engine_credentials "$out/data"
  CLICKHOUSE_USER=$engine_user CLICKHOUSE_PASSWORD=$engine_password
fi

{
  echo "api-bench $(date -u +%FT%TZ): sizes=$SIZES requests=${REQUESTS:-1000} concurrency=${CONCURRENCY:-4}"
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "columns: p50/p99 = latency seen by the caller; server = the engine's own time (p50)"
  "$java" --enable-native-access=ALL-UNNAMED \
    -cp "target/bench-classes:target/quarkus-app/app/*:target/quarkus-app/lib/main/*:$(cat target/bench.classpath)" \
    io.github.eventsstats.bench.ApiBench "engine=${CLICKHOUSE_URL:-http://127.0.0.1:$ENGINE_PORT}" \
    "user=${CLICKHOUSE_USER:-default}" "password=${CLICKHOUSE_PASSWORD:-}" "database=${CLICKHOUSE_DATABASE:-github_stats}" \
    "service=http://127.0.0.1:$PORT" \
    "sizes=$SIZES" "requests=${REQUESTS:-1000}" "concurrency=${CONCURRENCY:-4}" "seconds=${SECONDS_PER_LOAD:-10}" \
    "long_seconds=${LONG_SECONDS:-20}" 2>"$out/bench.stderr"

  # Repeated identical requests with the answer cache on: a second service on the same engine
  # (attached to it, as the backfill command does), default API_CACHE_TTL, no poller.
  DATA_DIR="$out/data" PORT=$CACHED_PORT CLICKHOUSE_EMBEDDED_ATTACH=true POLLER_ENABLED=false \
    "$java" --enable-native-access=ALL-UNNAMED -jar target/quarkus-app/quarkus-run.jar >"$out/cached.log" 2>&1 &
  cached=$!
  wait_ready $cached "$CACHED_PORT"
  echo "-- cache on (API_CACHE_TTL=2s): wrk, ${WRK_CONNECTIONS:-16} connections, ${WRK_SECONDS:-10} s, the same request over and over"
  cached_paths="/metrics/events?offset=60 /metrics/pr-average/org-1/repo-1 /metrics/events?offset=525600 /metrics/top-repos?days=365"
  # JIT warm-up, every path before any is timed: a fresh JVM's first seconds of a path were half as
  # fast (8.3k against 37k req/s for events?offset=60 after 20 s), which a long-running service is not.
  for path in $cached_paths; do
    curl -sf -o /dev/null "http://127.0.0.1:$CACHED_PORT$path" # the first answer is computed; wrk times the kept one
    wrk -t2 -c"${WRK_CONNECTIONS:-16}" -d"${WRK_WARMUP:-8}s" "http://127.0.0.1:$CACHED_PORT$path" >/dev/null
  done
  for path in $cached_paths; do
    wrk -t2 -c"${WRK_CONNECTIONS:-16}" -d"${WRK_SECONDS:-10}s" --latency "http://127.0.0.1:$CACHED_PORT$path" \
      | awk -v p="$path" '/Requests\/sec/{rps=$2} /^ +50%/{p50=$2} /^ +99%/{p99=$2} /Non-2xx/{err=$NF}
          END{printf "%-34s %9s req/s  p50 %s  p99 %s%s\n", p, rps, p50, p99, err ? "  non-2xx " err : ""}'
  done

  rss() { awk '/VmRSS/{printf "%.0f MiB", $2/1024}' "/proc/$1/status" 2>/dev/null; }
  engine=$(pgrep -P "$service" | head -1)
  echo "RSS after the run: service $(rss "$service"), its engine $(rss "$engine"), cached service $(rss "$cached")"
  echo "data directory: $(du -sh "$out/data" | cut -f1)"
  kill "$cached"; wait "$cached" 2>/dev/null || true # started in this pipeline's subshell: the EXIT trap cannot see it
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
} 2>&1 | tee "$out/results.txt"

# --- Concurrency and overload (issue 16): wrk against the service on the data loaded above --------
# 4 clients on distinct queries, with CLICKHOUSE_EMBEDDED_CONNECTIONS at its default and at 1; then
# 64 clients on a one-year window and 256 on pr-average, with the readiness probe and an insert on
# the ingest lane (the header the service's writer sends) timed during each; RSS after. Answer
# cache off (API_CACHE_TTL=0). Skipped with CONCURRENCY_BENCH=0 or with CLICKHOUSE_URL.
# Env: WRK_SECONDS (10)  OVERLOAD_SECONDS (20)
concurrency_bench() {
  local wrk_s=${WRK_SECONDS:-10} over_s=${OVERLOAD_SECONDS:-20} base="http://127.0.0.1:$PORT"
  command -v wrk >/dev/null || { echo "wrk not installed (apt-get install wrk); concurrency runs skipped"; return; }
  cat >"$out/distinct.lua" <<'LUA'
-- Each connection asks its own queries: pr-average of its own repositories, or its own offset.
local n = 0
function setup(thread) n = n + 1; thread:set("id", n) end
function init(args) kind = args[1]; i = 0 end
function request()
  i = i + 1
  if kind == "pr" then
    local r = 10 + (id * 97 + i) % 500
    return wrk.format("GET", "/metrics/pr-average/org-" .. r .. "/repo-" .. r)
  end
  return wrk.format("GET", "/metrics/events?offset=" .. (59 + id))
end
LUA
  start() { # env assignments for the service
    stop
    env "$@" API_CACHE_TTL=0 DATA_DIR="$out/data" PORT=$PORT CLICKHOUSE_EMBEDDED_PORT=$ENGINE_PORT POLLER_ENABLED=false \
      "$java" --enable-native-access=ALL-UNNAMED -jar target/quarkus-app/quarkus-run.jar >>"$out/service.log" 2>&1 &
    service=$!
    wait_ready $service "$PORT" 180
    engine_credentials "$out/data" # a new password each start
  }
  stop() { kill "$service" 2>/dev/null && wait "$service" 2>/dev/null || true; }
  trap stop EXIT # this runs in a subshell of its own (the tee), with a service of its own
  # "p50 p99 req/s non2xx" from wrk --latency output
  summary() { awk '/^ +50%/{p50=$2} /^ +99%/{p99=$2} /Requests\/sec/{rps=$2} /Non-2xx/{bad=$NF}
                   END{printf "p50 %s  p99 %s  %s req/s  non-2xx %d", p50, p99, rps, bad}'; }
  four_clients() {
    for kind in pr events; do
      echo "  4 clients, $kind, ${wrk_s}s: $(wrk -t4 -c4 -d"${wrk_s}s" --latency -s "$out/distinct.lua" "$base" -- $kind | summary)"
    done
  }
  probe() { curl -s -o /dev/null -w '%{time_total}' "$base/q/health/ready"; }
  lane_insert() { # one polled batch's worth of rows, as the ingest writer sends it (its lane header)
    curl -s -o /dev/null -w '%{time_total}' -H 'X-Events-Stats-Lane: reserved' -u "$engine_user:$engine_password" \
      "http://127.0.0.1:$ENGINE_PORT/?database=${CLICKHOUSE_DATABASE:-github_stats}" --data-binary "INSERT INTO events (event_id, event_type, repo_id,
       repo_name, actor_id, actor_login, action, created_at) SELECT 90000000000 + rand64() % 1000000000, 'WatchEvent', 1,
       'org-1/repo-1', 1, 'user-1', 'started', now() FROM numbers(300)"
  }
  overload() { # connections path
    wrk -t2 -c"$1" -d"${over_s}s" --latency --timeout 30s "$base$2" >"$out/wrk.txt" 2>&1 &
    local w=$! probes="" inserts=""
    sleep 3
    for _ in 1 2 3 4 5; do probes="$probes $(probe)"; inserts="$inserts $(lane_insert)"; sleep 2; done
    wait $w
    echo "  $1 clients on $2: $(summary <"$out/wrk.txt")"
    echo "    readiness probe during it, s:$probes"
    echo "    300-row insert on the ingest lane during it, s:$inserts"
  }
  rss() { awk '/VmRSS/{printf "%.0f MiB", $2/1024}' "/proc/$1/status"; }

  echo "== concurrency (cache off), $(cut -d' ' -f1-3 /proc/loadavg) load average"
  start
  echo " CLICKHOUSE_EMBEDDED_CONNECTIONS default ($(nproc))"
  four_clients
  echo "== overload"
  overload 64 "/metrics/events?offset=525600"
  overload 256 "/metrics/pr-average/org-1/repo-1"
  local engine; engine=$(ps -o pid= --ppid "$service" | head -1 | tr -d ' ')
  echo "== RSS after the runs: service $(rss "$service"), engine $(rss "$engine")"
  start CLICKHOUSE_EMBEDDED_CONNECTIONS=1
  echo " CLICKHOUSE_EMBEDDED_CONNECTIONS=1"
  four_clients
  stop
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
}

if [[ "${CONCURRENCY_BENCH:-1}" != 0 && -z "${CLICKHOUSE_URL:-}" ]]; then
  concurrency_bench 2>&1 | tee -a "$out/results.txt"
fi
