#!/usr/bin/env bash
# Backfill benchmark: loads the same generated GH Archive hour (~200k events, ~2.5 KB each) two
# ways on this machine, and prints both rates and their ratio:
#   ours:   java -jar quarkus-run.jar backfill FILE   (the command, with its JVM start-up)
#   engine: INSERT INTO events ... SELECT ... FROM file(FILE, 'JSONEachRow', ...) WHERE type IN (...)
#           sent to the same embedded engine, doing the same filter and mapping (no dedup check).
# Both write into the same tables (events and, through the view, pr_metrics_agg) of one engine,
# the `engine` command's, which the backfill uses through DATA_DIR/clickhouse/engine.endpoint.
# Each way runs RUNS times on emptied tables, alternating; the best run of each counts, and the
# medians are printed too (on a shared machine a single run can be far off).
#
#   bench/backfill-bench.sh            EVENTS=200000 RUNS=3 PORT=18199 by default
set -euo pipefail
cd "$(dirname "$0")/.."

EVENTS=${EVENTS:-200000}
RUNS=${RUNS:-3}
PORT=${PORT:-18199}
OUT=bench/out
FILE=$PWD/$OUT/2024-01-15-15.json.gz
DATA=$PWD/$OUT/backfill-bench-data
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
JAR=target/quarkus-app/quarkus-run.jar
mkdir -p "$OUT"

echo "== build"
./mvnw -q -B -DskipTests package test-compile

if [[ ! -f "$FILE" || "$(cat "$FILE.events" 2>/dev/null)" != "$EVENTS" ]]; then
  echo "== generating $FILE ($EVENTS events)"
  "$JAVA" -cp target/test-classes:target/classes io.github.eventsstats.archive.ArchiveGenerator \
    --out "$FILE" --events "$EVENTS"
  echo "$EVENTS" > "$FILE.events"
fi
echo "file: $(du -h "$FILE" | cut -f1) gzip, $(gzip -dc "$FILE" | wc -c | numfmt --to=iec) uncompressed, $EVENTS events"

rm -rf "$DATA"
mkdir -p "$DATA"
echo "== engine on 127.0.0.1:$PORT, data in $DATA"
DATA_DIR=$DATA "$JAVA" --enable-native-access=ALL-UNNAMED -jar "$JAR" engine --port "$PORT" > "$OUT/engine.log" 2>&1 &
ENGINE=$!
trap 'kill $ENGINE 2>/dev/null; wait $ENGINE 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/ping" > /dev/null && break
  sleep 0.5
done
sql() { curl -sS --fail-with-body "http://127.0.0.1:$PORT/" --data-binary "$1"; }

backfill() { DATA_DIR=$DATA "$JAVA" --enable-native-access=ALL-UNNAMED -jar "$JAR" backfill "$@"; }
# A first backfill of a one-line file applies the schema.
TINY=$OUT/bench-schema.json
echo '{"id":"1","type":"PushEvent","repo":{"name":"o/r"},"created_at":"2020-01-01T00:00:00Z"}' > "$TINY"
backfill --types WatchEvent "$TINY" > /dev/null

empty() {
  sql "TRUNCATE TABLE github_stats.events"
  sql "TRUNCATE TABLE github_stats.pr_metrics_agg"
  sql "TRUNCATE TABLE github_stats.backfill_ledger"
}
counts() { sql "SELECT event_type, count(), uniqExact(event_id) FROM github_stats.events GROUP BY 1 ORDER BY 1 FORMAT CSV"; }
now() { date +%s.%N; }

ENGINE_SQL="INSERT INTO github_stats.events
  (event_id, event_type, repo_id, repo_name, actor_id, actor_login, action, created_at)
SELECT toUInt64(id), CAST(type, 'Enum8(''WatchEvent'' = 1, ''PullRequestEvent'' = 2, ''IssuesEvent'' = 3)'),
       repo.id, repo.name, actor.id, actor.login, ifNull(payload.action, ''), created_at
FROM file('$FILE', 'JSONEachRow',
  'id String, type String, actor Tuple(id UInt64, login String), repo Tuple(id UInt64, name String),
   payload Tuple(action Nullable(String)), created_at DateTime(''UTC'')')
WHERE type IN ('WatchEvent', 'PullRequestEvent', 'IssuesEvent')
SETTINGS date_time_input_format = 'best_effort'"

best_ours_load=999; best_ours_wall=999; best_engine=999
all_load=(); all_wall=(); all_engine=()
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
for run in $(seq 1 "$RUNS"); do
  empty
  t0=$(now)
  summary=$(backfill "$FILE" 2>&1)
  t1=$(now)
  load=$(sed -n 's/.*bad lines[^;]*; \([0-9.]*\) s .*/\1/p' <<< "$summary")
  wall=$(echo "$t1 - $t0" | bc -l)
  ours_counts=$(counts)
  empty
  t0=$(now)
  sql "$ENGINE_SQL"
  t1=$(now)
  engine=$(echo "$t1 - $t0" | bc -l)
  engine_counts=$(counts)
  if [[ "$ours_counts" != "$engine_counts" ]]; then
    echo "the two loads differ:"; echo "ours:   $ours_counts"; echo "engine: $engine_counts"; exit 1
  fi
  printf 'run %d: ours %.2f s load (%.2f s with JVM start), engine %.2f s\n' "$run" "$load" "$wall" "$engine"
  best_ours_load=$(echo "if ($load < $best_ours_load) $load else $best_ours_load" | bc -l)
  best_ours_wall=$(echo "if ($wall < $best_ours_wall) $wall else $best_ours_wall" | bc -l)
  best_engine=$(echo "if ($engine < $best_engine) $engine else $best_engine" | bc -l)
  all_load+=("$load"); all_wall+=("$wall"); all_engine+=("$engine")
done
med_load=$(median "${all_load[@]}"); med_wall=$(median "${all_wall[@]}"); med_engine=$(median "${all_engine[@]}")

echo "== stored (both ways): $(tr '\n' ' ' <<< "$ours_counts")"
printf 'ours (load):            %6.2f s  %'"'"'10.0f events/s\n' "$best_ours_load" "$(echo "$EVENTS / $best_ours_load" | bc -l)"
printf 'ours (command, JVM incl.): %3.2f s  %'"'"'10.0f events/s\n' "$best_ours_wall" "$(echo "$EVENTS / $best_ours_wall" | bc -l)"
printf 'engine (INSERT SELECT): %6.2f s  %'"'"'10.0f events/s\n' "$best_engine" "$(echo "$EVENTS / $best_engine" | bc -l)"
printf 'speed ratio ours/engine (engine time / our time): %.2fx (load), %.2fx (command)\n' \
  "$(echo "$best_engine / $best_ours_load" | bc -l)" "$(echo "$best_engine / $best_ours_wall" | bc -l)"
printf 'medians of %d runs: ours %.2f s load, %.2f s command; engine %.2f s; ratio %.2fx (load)\n' "$RUNS" \
  "$med_load" "$med_wall" "$med_engine" "$(echo "$med_engine / $med_load" | bc -l)"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
