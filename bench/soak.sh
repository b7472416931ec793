#!/usr/bin/env bash
# Soak: runs the service for DURATION against a fake GitHub at a realistic rate, with a
# dashboard's worth of API traffic and one GH Archive sync, and samples every SAMPLE seconds the
# RSS, threads and open files of the service and of its engine, the data directory's size and the
# events stored, into $OUT/soak.csv. After warm-up memory and open files must stay flat, and disk
# grow with the data. docs/benchmarks/soak.md has the results and how to read them.
#
#   bench/soak.sh                       DURATION=3600 (s) SAMPLE=60 RATE=3 (events/s at the fake)
#   NO_BUILD=1 DURATION=600 bench/soak.sh       a short run on the last build
#
# The parts, each a process of its own whose PID is in $OUT/pids:
#   - bench/soak-fake-github.py: /events at RATE events a second, newest 300, with ETag and
#     X-Poll-Interval (POLL_INTERVAL, 60 s as GitHub's), as one poller sees GitHub;
#   - a GH Archive: python3 -m http.server over ARCHIVE_HOURS generated hours of yesterday
#     (ARCHIVE_EVENTS each, by bench/generator's ArchiveGenerator), synced once, SYNC_AT s in;
#   - the service, from a copy of the build under $OUT/app (a rebuild cannot change it under the
#     run), with its embedded engine, EVENTS_RETENTION=30d checked every 5 minutes;
#   - a dashboard: the Overview's four requests every 10 s (its default refresh), and one of the
#     other views' in turn; every answer's status and time in $OUT/api.log;
#   - the sampler, which writes the CSV, and gnuplot (if installed; Debian: gnuplot-nox) the PNG.
# Outputs stay under target/ (never committed): copy the PNG into docs/benchmarks/ by hand.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-3600}
SAMPLE=${SAMPLE:-60}
RATE=${RATE:-3}
POLL_INTERVAL=${POLL_INTERVAL:-60}
ARCHIVE_HOURS=${ARCHIVE_HOURS:-2}
ARCHIVE_EVENTS=${ARCHIVE_EVENTS:-200000}
SYNC_AT=${SYNC_AT:-300}
PORT=${PORT:-18480}
GH_PORT=${GH_PORT:-18481}
ARCHIVE_PORT=${ARCHIVE_PORT:-18482}
OUT=${OUT:-$PWD/target/soak}
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
TOKEN=soak-admin-token
API=http://127.0.0.1:$PORT

if [[ -z "${NO_BUILD:-}" ]]; then
  echo "== build"
  ./mvnw -q -B -ntp -Pbench -DskipTests package   # the service, and ArchiveGenerator into target/bench-classes
fi
rm -rf "$OUT/app" "$OUT/data"
mkdir -p "$OUT/archive"
cp -r target/quarkus-app "$OUT/app"

# The archive: ARCHIVE_HOURS hours ending three hours ago (whole hours GH Archive would have).
first_s=$((($(date +%s) / 3600 - ARCHIVE_HOURS - 3) * 3600))
first=$(date -u -d "@$first_s" +%Y-%m-%dT%H)
rm -f "$OUT"/archive/*.json.gz
for i in $(seq 0 $((ARCHIVE_HOURS - 1))); do
  h=$(date -u -d "@$((first_s + i * 3600))" +%Y-%m-%dT%H)
  name=$(date -u -d "@$((first_s + i * 3600))" +%Y-%m-%d-%-H).json.gz
  "$JAVA" -cp target/bench-classes io.github.eventsstats.archive.ArchiveGenerator \
    --out "$OUT/archive/$name" --events "$ARCHIVE_EVENTS" --seed "$((i + 700))" --hour "$h" \
    --first-id $(((i + 60) * 1000000000)) > /dev/null
done
to=$(date -u -d "@$((first_s + ARCHIVE_HOURS * 3600))" +%Y-%m-%dT%H)
echo "archive: $ARCHIVE_HOURS hours from $first, $(du -ch "$OUT"/archive/*.json.gz | tail -1 | cut -f1) gzip"

: > "$OUT/pids"
PIDS=()
started() { PIDS+=("$1"); echo "$2 $1" >> "$OUT/pids"; }
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

python3 bench/soak-fake-github.py "$GH_PORT" "$RATE" "$POLL_INTERVAL" > "$OUT/fake-github.log" 2>&1 &
started $! fake-github
python3 -m http.server "$ARCHIVE_PORT" --bind 127.0.0.1 --directory "$OUT/archive" > "$OUT/fake-archive.log" 2>&1 &
started $! fake-archive

DATA_DIR=$OUT/data PORT=$PORT ADMIN_TOKEN=$TOKEN GITHUB_API_URL=http://127.0.0.1:$GH_PORT \
  GHARCHIVE_URL=http://127.0.0.1:$ARCHIVE_PORT EVENTS_RETENTION=30d RETENTION_CHECK_INTERVAL=5m \
  "$JAVA" -jar "$OUT/app/quarkus-run.jar" > "$OUT/service.log" 2>&1 &
SERVICE=$!
started "$SERVICE" service
for _ in $(seq 1 240); do
  curl -sf "$API/q/health/ready" > /dev/null && break
  sleep 0.5
done
curl -sf "$API/q/health/ready" > /dev/null || { echo "the service did not get ready"; tail -20 "$OUT/service.log"; exit 1; }
ENGINE=$(sed -n 's/^pid=//p' "$OUT/data/clickhouse/engine.endpoint")
echo "engine $ENGINE" >> "$OUT/pids"
echo "== service $SERVICE, engine $ENGINE, fake GitHub :$GH_PORT at $RATE events/s; $DURATION s, a sample every $SAMPLE s"

# A dashboard left open: the Overview every 10 s, and one other view in turn with it.
dashboard() {
  local views=("/metrics/top-repos?days=1&limit=20" "/metrics/user-sessions?days=1&limit=20"
    "/metrics/event-gaps" "/metrics/event-avg-time" "/metrics/recent-events?limit=50"
    "/metrics/events?offset=60" "/metrics/events-total-count" "/metrics/visualization?interval=day")
  local i=0
  while :; do
    local now from
    now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    from=$(date -u -d '-60 minutes' +%Y-%m-%dT%H:%M:%SZ)
    for path in "/metrics/visualization?interval=minute" "/metrics/events-total-count" \
        "/metrics/coverage?from=$from&to=$now" "/status/poller" "${views[i % ${#views[@]}]}"; do
      curl -s -o /dev/null -w "$(date +%s) %{http_code} %{time_total} $path\n" "$API$path" >> "$OUT/api.log" || true
    done
    i=$((i + 1))
    sleep 10
  done
}
: > "$OUT/api.log"
dashboard &
started $! dashboard

rss() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
threads() { awk '/^Threads/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
fds() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }
echo "minute,service_rss_kb,engine_rss_kb,service_fds,engine_fds,service_threads,engine_threads,data_dir_bytes,events_stored,events_made,api_requests,api_errors" > "$OUT/soak.csv"
sample() {
  local engine stored made requests errors
  engine=$(sed -n 's/^pid=//p' "$OUT/data/clickhouse/engine.endpoint" 2>/dev/null || echo 0)
  stored=$(curl -s "$API/debug/total-events" | python3 -c 'import json,sys; print(json.load(sys.stdin)["stored_rows"])' 2>/dev/null || echo "")
  made=$(curl -s "http://127.0.0.1:$GH_PORT/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["made"])' 2>/dev/null || echo "")
  requests=$(wc -l < "$OUT/api.log")
  errors=$(awk '$2 != 200' "$OUT/api.log" | wc -l)
  echo "$1,$(rss "$SERVICE"),$(rss "$engine"),$(fds "$SERVICE"),$(fds "$engine"),$(threads "$SERVICE"),$(threads "$engine"),$(du -sb "$OUT/data" | cut -f1),$stored,$made,$requests,$errors" >> "$OUT/soak.csv"
}

start=$(date +%s)
synced=
minute=0
sample 0
while (( $(date +%s) - start < DURATION )); do
  sleep 5
  elapsed=$(($(date +%s) - start))
  if [[ -z "$synced" && $elapsed -ge $SYNC_AT ]]; then
    synced=$(curl -sS -X POST -H "Authorization: Bearer $TOKEN" "$API/admin/archive/sync?from=$first&to=$to")
    echo "archive sync started: $synced" | cut -c1-200
  fi
  if (( elapsed >= (minute + 1) * SAMPLE )); then
    minute=$((minute + 1))
    sample "$((minute * SAMPLE / 60))"
    tail -1 "$OUT/soak.csv"
    kill -0 "$SERVICE" 2>/dev/null || { echo "the service died"; tail -20 "$OUT/service.log"; exit 1; }
  fi
done
curl -sS -H "Authorization: Bearer $TOKEN" "$API/admin/jobs" > "$OUT/jobs.json" || true
curl -sS "$API/q/metrics" > "$OUT/metrics.txt" || true
cleanup
trap - EXIT

if command -v gnuplot > /dev/null; then
  gnuplot <<EOF
set terminal pngcairo size 1100,700 font ",10"
set output "$OUT/soak.png"
set datafile separator ","
set multiplot layout 3,1 title "soak: $((DURATION / 60)) min, fake GitHub at $RATE events/s, dashboard every 10 s, one archive sync at $((SYNC_AT / 60)) min"
set key outside right
set grid
set xlabel "minute"
set ylabel "RSS (MiB)"
plot "$OUT/soak.csv" every ::1 using 1:(\$2/1024) with linespoints title "service", \
     "" every ::1 using 1:(\$3/1024) with linespoints title "engine"
set ylabel "open files"
plot "$OUT/soak.csv" every ::1 using 1:4 with linespoints title "service", \
     "" every ::1 using 1:5 with linespoints title "engine"
set ylabel "MiB / k events"
plot "$OUT/soak.csv" every ::1 using 1:(\$8/1048576) with linespoints title "data dir (MiB)", \
     "" every ::1 using 1:(\$9/1000) with linespoints title "events stored (k)"
unset multiplot
EOF
  echo "plot: $OUT/soak.png"
fi
echo "csv: $OUT/soak.csv; api answers: $(wc -l < "$OUT/api.log"), not 200: $(awk '$2 != 200' "$OUT/api.log" | wc -l)"
