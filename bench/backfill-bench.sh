#!/usr/bin/env bash
# Backfill benchmark: loads the same generated GH Archive hour (~200k events, ~2.5 KB each) two
# ways on this machine, and prints both rates and their ratio:
#   engine: INSERT INTO events ... SELECT ... FROM file(FILE, 'JSONEachRow', ...) WHERE type IN (...)
#           sent to the embedded engine, doing the same filter and mapping (no dedup check). This
#           build's engine refuses file() (issue 26): the engine's own load runs only with BASE set
#           to a build whose engine takes it (4953689 does; same libchdb), on that build's engine;
#           without, its rows are left out and each load is checked against the first of ours;
#   ours:   java $OPTS -jar quarkus-run.jar backfill FILE, the documented command (OPTS: by default
#           -XX:TieredStopAtLevel=1, as the docs and the JVM image run it): the load phase (the
#           time the summary prints), the whole command with its JVM start-up, and the command's
#           CPU seconds (with GNU time); and the same with the JVM's default JIT (no option).
# All write into the same tables (events and, through the view, pr_metrics_agg) of one engine,
# the `engine` command's, which the backfill uses through DATA_DIR/clickhouse/engine.endpoint.
# Each way runs RUNS times on emptied tables, alternating, and must store the same rows; the best
# and the median of each are printed, the ratio from the medians (on a shared machine a single
# run can be far off).
#
# A change measured side by side: BASELINE_APP (another build's target/quarkus-app, copied aside)
# and/or BASELINE_OPTS (its JVM options; default OPTS) add a baseline load to each run, just
# before or after ours (the order alternates); its medians, and the ratios baseline / ours of the
# times and CPU seconds (of the medians, and the median of each run's), are printed too.
#
# BASE=<commit> makes that commit's build the baseline (BASELINE_OPTS default: none), built once
# into bench/out/base-<hash>, and runs it on an engine of its own (its own `engine` command, on
# PORT+1), since an older build's schema and engine may differ from this one's.
#
#   bench/backfill-bench.sh     EVENTS=200000 RUNS=3 HOURS=4 PORT=18199 by default; NO_BUILD=1 skips the build
#   BASELINE_APP=/tmp/before/target/quarkus-app RUNS=7 HOURS=1 bench/backfill-bench.sh
#   BASE=4953689 EVENTS=100000 RUNS=3 HOURS=1 bench/backfill-bench.sh   # against the code before issue 24
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

EVENTS=${EVENTS:-200000}
OPTS=${OPTS--XX:TieredStopAtLevel=1}
RUNS=${RUNS:-3}
# Then HOURS hours (that one and HOURS-1 more, generated likewise) in one run each way; 1 skips it.
HOURS=${HOURS:-4}
PORT=${PORT:-18199}
OUT=bench/out
FILE=$PWD/$OUT/2024-01-15-15.json.gz
DATA=$PWD/$OUT/backfill-bench-data
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
JAR=target/quarkus-app/quarkus-run.jar
mkdir -p "$OUT"

if [[ -z "${NO_BUILD:-}" ]]; then
  echo "== build"
  ./mvnw -q -B -Pbench -DskipTests package   # the service, and ArchiveGenerator into target/bench-classes
fi
baseline_setup

if [[ ! -f "$FILE" || "$(cat "$FILE.events" 2>/dev/null)" != "$EVENTS" ]]; then
  echo "== generating $FILE ($EVENTS events)"
  "$JAVA" -cp target/bench-classes io.github.eventsstats.archive.ArchiveGenerator \
    --out "$FILE" --events "$EVENTS"
  echo "$EVENTS" > "$FILE.events"
fi
echo "file: $(du -h "$FILE" | cut -f1) gzip, $(gzip -dc "$FILE" | wc -c | numfmt --to=iec) uncompressed, $EVENTS events"
# The multi-hour run's files: generated in $OUT/hours, linked into a directory that holds exactly
# HOURS of them for the engine's file() glob.
HOURS_DIR=$PWD/$OUT/hours-run
rm -rf "$HOURS_DIR"
mkdir -p "$HOURS_DIR" "$OUT/hours"
ln -s "$FILE" "$HOURS_DIR/"
for h in $(seq 16 $((14 + HOURS))); do
  f=$PWD/$OUT/hours/2024-01-15-$h.json.gz
  if [[ ! -f "$f" || "$(cat "$f.events" 2>/dev/null)" != "$EVENTS" ]]; then
    echo "== generating $f"
    "$JAVA" -cp target/bench-classes io.github.eventsstats.archive.ArchiveGenerator \
      --out "$f" --events "$EVENTS" --seed "$h" --hour "2024-01-15T$h" --first-id $((h * 1000000000)) > /dev/null
    echo "$EVENTS" > "$f.events"
  fi
  ln -s "$f" "$HOURS_DIR/"
done

rm -rf "$DATA"
mkdir -p "$DATA"
echo "== engine on 127.0.0.1:$PORT, data in $DATA"
DATA_DIR=$DATA "$JAVA" --enable-native-access=ALL-UNNAMED -jar "$JAR" engine --port "$PORT" > "$OUT/engine.log" 2>&1 &
ENGINE=$!
BASE_DATA=$PWD/$OUT/backfill-bench-base-data
base_engine $((PORT + 1)) "$BASE_DATA" "$OUT/base-engine.log"
trap 'kill $ENGINE $BASE_ENGINE 2>/dev/null || true; wait $ENGINE $BASE_ENGINE 2>/dev/null || true' EXIT
for p in $PORT ${BASE_ENGINE:+$((PORT + 1))}; do
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$p/ping" > /dev/null && break
    sleep 0.5
  done
done
# sql and the backfills go to one engine at a time: this build's, or with BASE the base's.
use_engine() { # this|base
  if [[ $1 == base ]]; then ON_PORT=$((PORT + 1)) ON_DATA=$BASE_DATA; else ON_PORT=$PORT ON_DATA=$DATA; fi
  engine_auth "$ON_DATA"
}
sql() { curl -sS --fail-with-body "${AUTH[@]}" "http://127.0.0.1:$ON_PORT/" --data-binary "$1"; }

# A first backfill of a one-line file applies the schema.
TINY=$OUT/bench-schema.json
echo '{"id":"1","type":"PushEvent","repo":{"name":"o/r"},"created_at":"2020-01-01T00:00:00Z"}' > "$TINY"
DATA_DIR=$DATA "$JAVA" -jar "$JAR" backfill --types WatchEvent "$TINY" > /dev/null
[[ -z $BASE_ENGINE ]] || DATA_DIR=$BASE_DATA "$JAVA" -jar "$BASE_JAR" backfill --types WatchEvent "$TINY" > /dev/null
use_engine this

empty() {
  sql "TRUNCATE TABLE github_stats.events"
  sql "TRUNCATE TABLE github_stats.pr_metrics_agg"
  sql "TRUNCATE TABLE github_stats.backfill_ledger"
  sql "TRUNCATE TABLE github_stats.backfill_ledger_types"
}

ENGINE_SQL=$(engine_sql file "FILE")

rate() { printf "%'10.0f" "$(echo "$EVENTS / $1" | bc -l)"; }
ours_load=(); ours_wall=(); ours_cpu=(); jit_load=(); jit_wall=(); jit_cpu=(); engine=()
base_load=(); base_wall=(); base_cpu=(); paired=(); paired_cpu=()
# One of our runs: load phase (the summary's time) and whole command; checks what it stored.
ours() { load_with "$JAR" "${OURS_OPTS[@]}"; }
default_jit() { load_with "$JAR"; }
baseline() {
  [[ -z $BASE_ENGINE ]] || use_engine base
  load_with "${BASE_JAR:-$JAR}" "${BASE_OPTS[@]}"; base_load+=("$LOAD"); base_wall+=("$WALL"); base_cpu+=("$CPU")
  use_engine this
}
load_with() { # jar [jvm options]
  empty
  local t0 t1 summary
  t0=$(now)
  cpu_timed env DATA_DIR="$ON_DATA" "$JAVA" "${@:2}" -jar "$1" backfill "${PATHS[@]}" > "$OUT/summary.txt" 2>&1 \
    || { cat "$OUT/summary.txt"; exit 1; }
  summary=$(cat "$OUT/summary.txt")
  t1=$(now)
  LOAD=$(sed -n 's/.*bad lines[^;]*; \([0-9.]*\) s .*/\1/p' <<< "$summary")
  WALL=$(echo "$t1 - $t0" | bc -l)
  local c
  c=$(counts)
  if [[ -z "$ENGINE_COUNTS" ]]; then ENGINE_COUNTS=$c; fi # no engine load to check against: the first load
  if [[ "$c" != "$ENGINE_COUNTS" ]]; then
    echo "the loads differ:"; echo "this load: $c"; echo "the first (the engine's when it ran): $ENGINE_COUNTS"; exit 1
  fi
}
# The engine's own load of the files matching $1 (see engine_own_load).
engine_load() { engine_own_load "${ENGINE_SQL/FILE/$1}"; }
ENGINE_COUNTS=
PATHS=("$FILE")
for run in $(seq 1 "$RUNS"); do
  if engine_load "$FILE"; then engine+=("$ENGINE_TIME"); fi
  if [[ -n "$BASELINE" ]] && (( run % 2 == 0 )); then baseline; fi
  ours; ours_load+=("$LOAD"); ours_wall+=("$WALL"); ours_cpu+=("$CPU")
  if [[ -n "$BASELINE" ]] && (( run % 2 )); then baseline; fi
  default_jit; jit_load+=("$LOAD"); jit_wall+=("$WALL"); jit_cpu+=("$CPU")
  printf 'run %d: engine %s; ours %.2f s load (%.2f s command, %.2f s CPU); with the default JIT %.2f s (%.2f s, %.2f s CPU)\n' \
    "$run" "$(engine_s "${engine[@]: -1}")" "${ours_load[-1]}" "${ours_wall[-1]}" "${ours_cpu[-1]}" "${jit_load[-1]}" "${jit_wall[-1]}" \
    "${jit_cpu[-1]}"
  if [[ -n "$BASELINE" ]]; then
    paired+=("$(echo "${base_load[-1]} / ${ours_load[-1]}" | bc -l)")
    paired_cpu+=("$(echo "${base_cpu[-1]} / ${ours_cpu[-1]}" | bc -l)")
    printf '       baseline %.2f s load (%.2f s command, %.2f s CPU)\n' "${base_load[-1]}" "${base_wall[-1]}" "${base_cpu[-1]}"
  fi
done

echo "== stored (each way): $(tr '\n' ' ' <<< "$ENGINE_COUNTS")"
printf '%-44s best of %d              median of %d\n' "" "$RUNS" "$RUNS"
row() { printf '%-44s %6.2f s %s/s   %6.2f s\n' "$1" "$(best "${@:2}")" "$(rate "$(best "${@:2}")")" "$(median "${@:2}")"; }
(( ! ${#engine[@]} )) || row "engine (INSERT SELECT)" "${engine[@]}"
row "ours${OPTS:+ $OPTS}, load" "${ours_load[@]}"
row "ours${OPTS:+ $OPTS}, command (JVM start incl.)" "${ours_wall[@]}"
cpu_row() { printf '%-44s %6.2f s              %6.2f s\n' "$1" "$(best "${@:2}")" "$(median "${@:2}")"; }
cpu_row "ours, the command's CPU seconds" "${ours_cpu[@]}"
row "ours with the default JIT, load" "${jit_load[@]}"
row "ours with the default JIT, command" "${jit_wall[@]}"
cpu_row "ours with the default JIT, CPU seconds" "${jit_cpu[@]}"
if [[ -n "$BASELINE" ]]; then
  row "baseline, load" "${base_load[@]}"
  row "baseline, command" "${base_wall[@]}"
  cpu_row "baseline, CPU seconds" "${base_cpu[@]}"
fi
ratio() { echo "$(median "${engine[@]}") / $(median "$@")" | bc -l; }
(( ! ${#engine[@]} )) || printf 'speed ratio ours/engine (engine time / our time, medians): %.2fx load, %.2fx command; with the default JIT %.2fx load\n' \
  "$(ratio "${ours_load[@]}")" "$(ratio "${ours_wall[@]}")" "$(ratio "${jit_load[@]}")"
printf 'the default JIT / ours (medians): %.2fx load, %.2fx command, %.2fx CPU seconds\n' \
  "$(echo "$(median "${jit_load[@]}") / $(median "${ours_load[@]}")" | bc -l)" \
  "$(echo "$(median "${jit_wall[@]}") / $(median "${ours_wall[@]}")" | bc -l)" \
  "$(echo "$(median "${jit_cpu[@]}") / $(median "${ours_cpu[@]}")" | bc -l)"
if [[ -n "$BASELINE" ]]; then
  printf 'baseline (%s%s) / ours, load: %.2fx (medians), %.2fx (median of the runs); command %.2fx (medians); CPU seconds %.2fx (medians), %.2fx (median of the runs)\n' \
    "${BASELINE_APP:-this build}" " with ${BASE_OPTS[*]:-no options}" \
    "$(echo "$(median "${base_load[@]}") / $(median "${ours_load[@]}")" | bc -l)" "$(median "${paired[@]}")" \
    "$(echo "$(median "${base_wall[@]}") / $(median "${ours_wall[@]}")" | bc -l)" \
    "$(echo "$(median "${base_cpu[@]}") / $(median "${ours_cpu[@]}")" | bc -l)" "$(median "${paired_cpu[@]}")"
  [[ -z ${BASE:-} ]] || printf 'this build / base %s (time and CPU seconds, medians): %.2fx load, %.2fx command, %.2fx CPU seconds\n' "$BASE" \
    "$(echo "$(median "${ours_load[@]}") / $(median "${base_load[@]}")" | bc -l)" \
    "$(echo "$(median "${ours_wall[@]}") / $(median "${base_wall[@]}")" | bc -l)" \
    "$(echo "$(median "${ours_cpu[@]}") / $(median "${base_cpu[@]}")" | bc -l)"
fi
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

if (( HOURS > 1 )); then
  echo "== $HOURS hours in one run each way ($((HOURS * EVENTS)) events)"
  PATHS=("$HOURS_DIR"/*.json.gz)
  multi_ours=(); multi_engine=(); ENGINE_COUNTS=
  for run in $(seq 1 "$RUNS"); do
    if engine_load "$HOURS_DIR/*.json.gz"; then multi_engine+=("$ENGINE_TIME"); fi
    ours; multi_ours+=("$LOAD")
    printf 'run %d: engine %s; ours %.2f s load\n' "$run" "$(engine_s "${multi_engine[@]: -1}")" "${multi_ours[-1]}"
  done
  EVENTS=$((HOURS * EVENTS))
  (( ! ${#multi_engine[@]} )) || row "engine (one INSERT, file glob)" "${multi_engine[@]}"
  row "ours, load" "${multi_ours[@]}"
  (( ! ${#multi_engine[@]} )) || printf 'speed ratio ours/engine over %d hours (medians): %.2fx\n' "$HOURS" \
    "$(echo "$(median "${multi_engine[@]}") / $(median "${multi_ours[@]}")" | bc -l)"
fi
