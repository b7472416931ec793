#!/usr/bin/env bash
# Disk per day of data: loads one generated GH Archive day through the service's own archive
# sync, once with the default type selection and once with `*`, lets the rollup and coverage
# count it, merges every table (OPTIMIZE FINAL: the size the engine's background merges settle
# at) and prints system.parts per table: bytes on disk and rows.
#
#   bench/disk-per-day.sh          EVENTS=200000 an hour (4.8M events a day, about GitHub's
#                                  whole public traffic), HOURS=24, PORT=18399
#   NO_BUILD=1 HOURS=4 bench/disk-per-day.sh    a quick run, figures scaled to 24 hours
#
# Needs python3 (serves the hour files). Output: bench/out/disk-per-day.txt. docs/benchmarks/
# disk-per-day.md has the results and how to read them.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

EVENTS=${EVENTS:-200000}
HOURS=${HOURS:-24}
PORT=${PORT:-18399}
HTTP_PORT=${HTTP_PORT:-18400}
OUT=$PWD/bench/out
DAY=$OUT/day
RESULT=$OUT/disk-per-day.txt
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
JAR=target/quarkus-app/quarkus-run.jar
TOKEN=disk-bench-token
mkdir -p "$DAY"

if [[ -z "${NO_BUILD:-}" ]]; then
  echo "== build"
  ./mvnw -q -B -Pbench -DskipTests package   # the service, and ArchiveGenerator into target/bench-classes
fi

for h in $(seq 0 $((HOURS - 1))); do
  generate_hour "$DAY/2024-01-15-$h.json.gz" "$EVENTS" "$((h + 300))" "2024-01-15T$(printf %02d "$h")" \
    $(((h + 1) * 1000000000))
done
echo "files: $HOURS hours, $(du -ch "$DAY"/*.json.gz | tail -1 | cut -f1) gzip, $((HOURS * EVENTS)) events"

python3 -m http.server "$HTTP_PORT" --bind 127.0.0.1 --directory "$DAY" > "$OUT/disk-http.log" 2>&1 &
HTTP=$!
SERVICE=
stop_service() {
  if [[ -n "$SERVICE" ]]; then kill "$SERVICE" 2>/dev/null || true; wait "$SERVICE" 2>/dev/null || true; SERVICE=; fi
}
trap 'stop_service; kill $HTTP 2>/dev/null || true' EXIT

sql() { curl -sS --fail-with-body "${AUTH[@]}" "http://127.0.0.1:$ENGINE_PORT/?database=github_stats" --data-binary "$1"; }

: > "$RESULT"
for types in "" "*"; do
  label=${types:-default (WatchEvent,PullRequestEvent,IssuesEvent)}
  data=$OUT/disk-data
  rm -rf "$data"
  echo "== types: $label"
  DATA_DIR=$data PORT=$PORT ADMIN_TOKEN=$TOKEN POLLER_ENABLED=false GHARCHIVE_URL=http://127.0.0.1:$HTTP_PORT \
    ROLLUP_COUNT_INTERVAL=5s ROLLUP_QUIET=0s COVERAGE_REFRESH_INTERVAL=5s \
    "$JAVA" -jar "$JAR" > "$OUT/disk-service.log" 2>&1 &
  SERVICE=$!
  for _ in $(seq 1 240); do
    curl -sf "http://127.0.0.1:$PORT/q/health/ready" > /dev/null && break
    sleep 0.5
  done
  ENGINE_PORT=$(endpoint_value "$data" port)
  engine_auth "$data" # the engine's user and a password new at each start
  to=$(date -u -d "2024-01-15 00:00 UTC + $HOURS hours" +%Y-%m-%dT%H)
  job=$(curl -sS --fail-with-body -X POST -H "Authorization: Bearer $TOKEN" \
    "http://127.0.0.1:$PORT/admin/archive/sync?from=2024-01-15T00&to=$to&types=$(printf %s "$types" | sed 's/\*/%2A/')" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  t0=$(date +%s)
  while :; do
    state=$(curl -sS -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/admin/jobs/$job" |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')
    [[ "$state" != running ]] && break
    sleep 2
  done
  [[ "$state" == succeeded ]] || { curl -sS -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/admin/jobs/$job"; exit 1; }
  echo "synced in $(($(date +%s) - t0)) s; waiting for the rollup and coverage"
  # Caught up: every hour's exact count in events_hourly, and coverage computed for every hour.
  until [[ "$(sql "SELECT (SELECT sum(events) FROM events_hourly FINAL) = (SELECT uniqExact(event_id) FROM events)
                   AND (SELECT uniqExact(hour) FROM coverage_hourly) = $HOURS")" == 1 ]]; do
    sleep 2
  done
  for t in $(sql "SELECT name FROM system.tables WHERE database = 'github_stats' AND engine LIKE '%MergeTree%' FORMAT TSV"); do
    sql "OPTIMIZE TABLE $t FINAL"
  done
  {
    echo "== types: $label; $HOURS hours of $EVENTS events; figures per 24 hours (x $(echo "scale=2; 24 / $HOURS" | bc))"
    sql "SELECT table, sum(rows) * 24 / $HOURS AS rows_per_day,
                round(sum(bytes_on_disk) * 24 / $HOURS / 1048576, 1) AS MiB_per_day,
                round(sum(bytes_on_disk) / greatest(sum(rows), 1), 1) AS bytes_per_row
         FROM system.parts WHERE database = 'github_stats' AND active
         GROUP BY table ORDER BY sum(bytes_on_disk) DESC FORMAT PrettyCompactMonoBlock"
    sql "SELECT round(sum(bytes_on_disk) * 24 / $HOURS / 1048576, 1) AS total_MiB_per_day
         FROM system.parts WHERE database = 'github_stats' AND active FORMAT PrettyCompactMonoBlock"
    # The directory holds the merged-away parts too until the engine removes them (old_parts_lifetime, 8 min).
    echo "data directory right after the merges: $(du -sh "$data" | cut -f1) (the $HOURS hours, replaced parts included)"
  } | tee -a "$RESULT"
  stop_service
done
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$RESULT"
