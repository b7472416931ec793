#!/usr/bin/env bash
# GH Archive sync benchmark: 24 generated hours (2024-01-15-0 .. -23, EVENTS events each, shape of
# ArchiveGenerator) served by a local HTTP server, loaded two ways into the same embedded engine:
#   ours:   java $OPTS -jar quarkus-run.jar backfill --from 2024-01-15T00 --to 2024-01-16T00 with
#           GHARCHIVE_URL pointing at the server: download (two at a time), gzip check, load through
#           the mapper, the deduplicating writer and the ledger (the summary's time, and the whole
#           command with its JVM start-up, and its CPU seconds); OPTS: JVM options, by default
#           -XX:TieredStopAtLevel=1, as the docs and the JVM image run the backfill;
#   engine: INSERT INTO events ... SELECT ... FROM url('http://127.0.0.1:PORT/2024-01-15-{0..23}.json.gz',
#           'JSONEachRow', ...) WHERE type IN (...), the same filter and mapping (no dedup check, no ledger).
#           This build's engine refuses url() (issue 26): the engine's own load runs only with BASE
#           set to a build whose engine takes it (4953689 does; same libchdb), on that build's
#           engine; without, its rows are left out and each sync is checked against the first.
# Each way runs RUNS times on emptied tables, alternating, and must store the same rows; the ratio
# is from the medians (engine time / our time: above 1 is ours faster).
#
# A change measured side by side: BASELINE_APP (another build's target/quarkus-app, copied aside)
# and/or BASELINE_OPTS (its JVM options; default OPTS) make each run load a third time, as the
# baseline, just before or after ours (the order alternates); its medians, and the ratios baseline
# / ours of the times and CPU seconds (of the medians, and the median of each run's), are printed.
#
# BASE=<commit> makes that commit's build the baseline (BASELINE_OPTS default: none), built once
# into bench/out/base-<hash>, and runs it on an engine of its own (its own `engine` command, on
# PORT+2), since an older build's schema and engine may differ from this one's.
#
#   bench/sync-bench.sh        EVENTS=100000 RUNS=3 PORT=18299 HTTP_PORT=18300 by default; NO_BUILD=1 skips the build
#   BASELINE_OPTS= RUNS=5 bench/sync-bench.sh       # the default JIT as the baseline
#   BASE=4953689 EVENTS=20000 RUNS=3 bench/sync-bench.sh   # against the code before issue 24
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

EVENTS=${EVENTS:-100000}
RUNS=${RUNS:-3}
PORT=${PORT:-18299}
HTTP_PORT=${HTTP_PORT:-18300}
OUT=bench/out
HOURS=$PWD/$OUT/sync-hours
DATA=$PWD/$OUT/sync-bench-data
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
JAR=target/quarkus-app/quarkus-run.jar
OPTS=${OPTS--XX:TieredStopAtLevel=1}
mkdir -p "$HOURS"

if [[ -z "${NO_BUILD:-}" ]]; then
  echo "== build"
  ./mvnw -q -B -Pbench -DskipTests package   # the service, and ArchiveGenerator into target/bench-classes
fi
baseline_setup

generate_sync_day "$HOURS" "$EVENTS"

rm -rf "$DATA"
mkdir -p "$DATA"
echo "== HTTP server on 127.0.0.1:$HTTP_PORT, engine on 127.0.0.1:$PORT, data in $DATA"
python3 -m http.server "$HTTP_PORT" --bind 127.0.0.1 --directory "$HOURS" > "$OUT/sync-http.log" 2>&1 &
HTTP=$!
DATA_DIR=$DATA "$JAVA" --enable-native-access=ALL-UNNAMED -jar "$JAR" engine --port "$PORT" > "$OUT/sync-engine.log" 2>&1 &
ENGINE=$!
BASE_DATA=$PWD/$OUT/sync-bench-base-data
base_engine $((PORT + 2)) "$BASE_DATA" "$OUT/sync-base-engine.log"
trap 'kill $ENGINE $HTTP $BASE_ENGINE 2>/dev/null || true; wait $ENGINE $HTTP $BASE_ENGINE 2>/dev/null || true' EXIT
for url in "$PORT/ping" "$HTTP_PORT/2024-01-15-0.json.gz.events" ${BASE_ENGINE:+$((PORT + 2))/ping}; do
  for _ in $(seq 1 120); do
    curl -sf -o /dev/null "http://127.0.0.1:$url" && break
    sleep 0.5
  done
done
# sql and the syncs go to one engine at a time: this build's, or with BASE the base's.
use_engine() { # this|base
  if [[ $1 == base ]]; then ON_PORT=$((PORT + 2)) ON_DATA=$BASE_DATA; else ON_PORT=$PORT ON_DATA=$DATA; fi
  engine_auth "$ON_DATA"
}
sql() { curl -sS --fail-with-body "${AUTH[@]}" "http://127.0.0.1:$ON_PORT/" --data-binary "$1"; }

# A first backfill of a one-line file applies the schema.
TINY=$OUT/sync-bench-schema.json
echo '{"id":"1","type":"PushEvent","repo":{"name":"o/r"},"created_at":"2020-01-01T00:00:00Z"}' > "$TINY"
DATA_DIR=$DATA "$JAVA" -jar "$JAR" backfill --types WatchEvent "$TINY" > /dev/null
[[ -z $BASE_ENGINE ]] || DATA_DIR=$BASE_DATA "$JAVA" -jar "$BASE_JAR" backfill --types WatchEvent "$TINY" > /dev/null
use_engine this

ENGINE_SQL=$(engine_sql url "http://127.0.0.1:$HTTP_PORT/2024-01-15-{0..23}.json.gz")

# One sync of the 24 hours with the JAR and JVM options given: LOAD (the summary's time), WALL
# (the whole command); what it stored must be what the engine stored.
sync_hours() { # jar [jvm options]
  empty
  local t0 t1 c
  t0=$(now)
  cpu_timed env DATA_DIR="$ON_DATA" GHARCHIVE_URL="http://127.0.0.1:$HTTP_PORT" "$JAVA" "${@:2}" -jar "$1" \
    backfill --from 2024-01-15T00 --to 2024-01-16T00 > "$OUT/sync-summary.txt" 2>&1 \
    || { cat "$OUT/sync-summary.txt"; exit 1; }
  summary=$(cat "$OUT/sync-summary.txt")
  t1=$(now)
  LOAD=$(sed -n 's/.*MB downloaded; \([0-9.]*\) s .*/\1/p' <<< "$summary")
  WALL=$(echo "$t1 - $t0" | bc -l)
  c=$(counts)
  if [[ -z "$ENGINE_COUNTS" ]]; then ENGINE_COUNTS=$c; fi # no engine load to check against: the first sync
  if [[ "$c" != "$ENGINE_COUNTS" ]]; then
    echo "the loads differ:"; echo "this sync: $c"; echo "the first (the engine's when it ran): $ENGINE_COUNTS"
    echo "$summary"; exit 1
  fi
  grep -q ": 24 hours: 24 loaded" <<< "$summary" || { echo "$summary"; exit 1; }
}
ours() { sync_hours "$JAR" "${OURS_OPTS[@]}"; ours_load+=("$LOAD"); ours_wall+=("$WALL"); ours_cpu+=("$CPU"); }
baseline() {
  [[ -z $BASE_ENGINE ]] || use_engine base
  sync_hours "${BASE_JAR:-$JAR}" "${BASE_OPTS[@]}"; base_load+=("$LOAD"); base_wall+=("$WALL"); base_cpu+=("$CPU")
  use_engine this
}

ours_load=(); ours_wall=(); ours_cpu=(); base_load=(); base_wall=(); base_cpu=(); paired=(); paired_cpu=()
engine=(); ENGINE_COUNTS=
for run in $(seq 1 "$RUNS"); do
  if engine_own_load "$ENGINE_SQL"; then engine+=("$ENGINE_TIME"); fi

  if [[ -z "$BASELINE" ]]; then
    ours
  elif (( run % 2 )); then
    ours; baseline
  else
    baseline; ours
  fi
  printf 'run %d: engine %s; ours %.2f s sync (%.2f s command, %.2f s CPU)' "$run" "$(engine_s "${engine[@]: -1}")" \
    "${ours_load[-1]}" "${ours_wall[-1]}" "${ours_cpu[-1]}"
  if [[ -n "$BASELINE" ]]; then
    paired+=("$(echo "${base_load[-1]} / ${ours_load[-1]}" | bc -l)")
    paired_cpu+=("$(echo "${base_cpu[-1]} / ${ours_cpu[-1]}" | bc -l)")
    printf '; baseline %.2f s sync (%.2f s command, %.2f s CPU)' "${base_load[-1]}" "${base_wall[-1]}" "${base_cpu[-1]}"
  fi
  echo
done
echo "$summary"
echo "== stored (each way): $(tr '\n' ' ' <<< "$ENGINE_COUNTS")"
printf '%-40s best of %d   median of %d\n' "" "$RUNS" "$RUNS"
row() { printf '%-40s %7.2f s   %7.2f s\n' "$1" "$(best "${@:2}")" "$(median "${@:2}")"; }
(( ! ${#engine[@]} )) || row "engine (INSERT SELECT FROM url())" "${engine[@]}"
row "ours, sync (download + check + load)" "${ours_load[@]}"
row "ours, whole command (JVM start incl.)" "${ours_wall[@]}"
row "ours, the command's CPU seconds" "${ours_cpu[@]}"
if [[ -n "$BASELINE" ]]; then
  row "baseline, sync" "${base_load[@]}"
  row "baseline, whole command" "${base_wall[@]}"
  row "baseline, CPU seconds" "${base_cpu[@]}"
fi
(( ! ${#engine[@]} )) || printf 'speed ratio ours/engine (engine time / our time, medians): %.2fx sync, %.2fx whole command\n' \
  "$(echo "$(median "${engine[@]}") / $(median "${ours_load[@]}")" | bc -l)" \
  "$(echo "$(median "${engine[@]}") / $(median "${ours_wall[@]}")" | bc -l)"
if [[ -n "$BASELINE" ]]; then
  printf 'baseline (%s with %s) / ours (with %s), sync: %.2fx (medians), %.2fx (median of the runs); whole command %.2fx (medians); CPU seconds %.2fx (medians), %.2fx (median of the runs)\n' \
    "${BASELINE_APP:-this build}" "${BASE_OPTS[*]:-no options}" "${OURS_OPTS[*]:-no options}" \
    "$(echo "$(median "${base_load[@]}") / $(median "${ours_load[@]}")" | bc -l)" "$(median "${paired[@]}")" \
    "$(echo "$(median "${base_wall[@]}") / $(median "${ours_wall[@]}")" | bc -l)" \
    "$(echo "$(median "${base_cpu[@]}") / $(median "${ours_cpu[@]}")" | bc -l)" "$(median "${paired_cpu[@]}")"
  [[ -z ${BASE:-} ]] || printf 'this build / base %s (time and CPU seconds, medians): %.2fx sync, %.2fx whole command, %.2fx CPU seconds\n' "$BASE" \
    "$(echo "$(median "${ours_load[@]}") / $(median "${base_load[@]}")" | bc -l)" \
    "$(echo "$(median "${ours_wall[@]}") / $(median "${base_wall[@]}")" | bc -l)" \
    "$(echo "$(median "${ours_cpu[@]}") / $(median "${base_cpu[@]}")" | bc -l)"
fi
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
