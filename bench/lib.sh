# Shared by the benchmarks (sourced; counts and engine_sql need the sql function of the script).

counts() { sql "SELECT event_type, count(), uniqExact(event_id) FROM github_stats.events GROUP BY 1 ORDER BY 1 FORMAT CSV"; }
now() { date +%s.%N; }
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
best() { printf '%s\n' "$@" | sort -g | head -1; }

# Runs a command, leaving in CPU the CPU seconds (user + system) its process took, JIT and GC
# threads included: on a shared machine they move much less than its wall time. Needs GNU time
# (Debian's `time`); without it CPU is 0.
CPU=0
cpu_timed() { # command...
  if [[ -x /usr/bin/time ]]; then
    local f status=0
    f=$(mktemp)
    /usr/bin/time -f '%U %S' -o "$f" "$@" || status=$?
    CPU=$(tail -1 "$f" | awk '{print $1 + $2}')
    rm -f "$f"
    return $status
  fi
  "$@"
}

# The engine's own load of GH Archive lines through a table function (file or url) from a
# location, with the service's filter and mapping: what both benchmarks compare our load against.
engine_sql() { # function location
  echo "INSERT INTO github_stats.events
  (event_id, event_type, repo_id, repo_name, actor_id, actor_login, action, created_at)
SELECT toUInt64(id), type,
       repo.id, repo.name, actor.id, actor.login, ifNull(payload.action, ''), created_at
FROM $1('$2', 'JSONEachRow',
  'id String, type String, actor Tuple(id UInt64, login String), repo Tuple(id UInt64, name String),
   payload Tuple(action Nullable(String)), created_at DateTime(''UTC'')')
WHERE type IN ('WatchEvent', 'PullRequestEvent', 'IssuesEvent')
SETTINGS date_time_input_format = 'best_effort'"
}

# One GH-Archive-shaped hour file by the tests' ArchiveGenerator, unless FILE holds it already
# (FILE.events records the count it was made with).
generate_hour() { # file events seed hour(2024-01-15T15) first_id
  if [[ ! -f "$1" || "$(cat "$1.events" 2>/dev/null)" != "$2" ]]; then
    echo "== generating $1 ($2 events)"
    "$JAVA" -cp target/bench-classes io.github.eventsstats.archive.ArchiveGenerator \
      --out "$1" --events "$2" --seed "$3" --hour "$4" --first-id "$5" > /dev/null
    echo "$2" > "$1.events"
  fi
}

# sync-bench's day (also kafka-bench's): 24 hours 2024-01-15-0 .. -23 of EVENTS ($2) each in DIR ($1),
# made once (generate_hour), and a line saying what they are.
generate_sync_day() { # dir events
  for h in $(seq 0 23); do
    generate_hour "$1/2024-01-15-$h.json.gz" "$2" "$((h + 100))" "2024-01-15T$(printf %02d "$h")" $(((h + 1) * 1000000000))
  done
  echo "files: 24 hours, $(du -ch "$1"/*.json.gz | tail -1 | cut -f1) gzip, $((24 * $2)) events"
}

# Empties every table of the service's schema but its migrations (the ledger too, so a sync loads
# everything again). Uses the script's sql.
empty() {
  for t in $(sql "SELECT name FROM system.tables WHERE database = 'github_stats' AND engine LIKE '%MergeTree'
                  AND name != 'schema_migrations' FORMAT TSV"); do
    sql "TRUNCATE TABLE github_stats.$t"
  done
}

# The engine's credential for curl, from the endpoint file the `engine` command writes in DATA_DIR
# ($1): this build's engine takes a user and password on every request (a new password each start);
# an engine from before them (such as BASE=4953689's) writes none there and takes none. Sets AUTH
# (curl's options), waiting up to 60 s for the file.
engine_auth() { # data-dir
  local password
  for _ in $(seq 1 120); do [[ -s $1/clickhouse/engine.endpoint ]] && break; sleep 0.5; done
  password=$(endpoint_value "$1" password)
  AUTH=()
  [[ -z $password ]] || AUTH=(-u "$(endpoint_value "$1" user):$password")
}

# One value (pid, port, user, password) of the owner-only file in which the engine serving DATA_DIR
# ($1) says where it is: key=value lines since issue 26 (before, one line "PID PORT").
endpoint_value() { # data-dir key
  sed -n "s/^$2=//p" "$1/clickhouse/engine.endpoint" 2>/dev/null
}

# BASE=<commit>: the benchmark also runs that commit's build, alternating with this one (for the
# code before issue 24: BASE=4953689, which is 61383b1^). Built once (git archive, then its own
# wrapper) into bench/out/base-<hash>, and reused while its quarkus-run.jar is there. Sets BASE_DIR
# and BASE_JAR.
base_build() {
  [[ -n ${BASE:-} ]] || return 0
  local hash
  hash=$(git rev-parse --short "$BASE")
  BASE_DIR=$PWD/bench/out/base-$hash
  BASE_JAR=$BASE_DIR/target/quarkus-app/quarkus-run.jar
  if [[ ! -f $BASE_JAR ]]; then
    echo "== build: $BASE ($hash) in $BASE_DIR"
    rm -rf "$BASE_DIR"
    mkdir -p "$BASE_DIR"
    git archive "$hash" | tar -x -C "$BASE_DIR"
    (cd "$BASE_DIR" && ./mvnw -q -B -ntp -DskipTests package)
  fi
}

# backfill-bench's and sync-bench's baseline, after their build: BASE's build (base_build; no JVM
# options unless BASELINE_OPTS), else BASELINE_APP and/or BASELINE_OPTS. Sets OURS_OPTS and
# BASE_OPTS (arrays, from OPTS), BASE_JAR (empty: this build's) and BASELINE (empty: none runs).
baseline_setup() {
  base_build
  if [[ -n ${BASE:-} ]]; then
    BASELINE_APP=$(dirname "$BASE_JAR")
    BASELINE_OPTS=${BASELINE_OPTS-}
  fi
  read -r -a OURS_OPTS <<< "$OPTS"
  read -r -a BASE_OPTS <<< "${BASELINE_OPTS-$OPTS}"
  BASE_JAR=${BASELINE_APP:+$BASELINE_APP/quarkus-run.jar}
  BASELINE=${BASELINE_APP+app}${BASELINE_OPTS+opts} # set, even to nothing: a baseline runs
}

# With BASE: the base build's engine (its own `engine` command: its schema and its transport) on
# port $1, data in $2 (emptied), its output in $3; its pid in BASE_ENGINE (empty without BASE).
base_engine() {
  BASE_ENGINE=
  [[ -n ${BASE:-} ]] || return 0
  rm -rf "$2"
  mkdir -p "$2"
  DATA_DIR=$2 "$JAVA" --enable-native-access=ALL-UNNAMED -jar "$BASE_JAR" engine --port "$1" > "$3" 2>&1 &
  BASE_ENGINE=$!
}

# The engine's own load, an INSERT ... SELECT FROM file() or url() ($1), on emptied tables: on the
# base's engine with BASE, as this build's engine refuses those functions (issue 26) while
# 4953689's takes them, on the same libchdb. Its time in ENGINE_TIME, what it stored in
# ENGINE_COUNTS; where refused it fails, having said why once. Uses the script's use_engine and empty.
ENGINE_REFUSED=
engine_own_load() { # sql
  [[ -z $ENGINE_REFUSED ]] || return 1
  [[ -z ${BASE_ENGINE:-} ]] || use_engine base
  empty
  local t0 t1
  t0=$(now)
  if ! sql "$1" > "$OUT/engine-load.txt" 2>&1; then
    ENGINE_REFUSED=1
    echo "the engine's own load is left out: $(grep -o '[a-z]*() is turned off[^:]*' "$OUT/engine-load.txt" \
      || cat "$OUT/engine-load.txt") (BASE=4953689 runs it on that build's engine)"
    use_engine this
    return 1
  fi
  t1=$(now)
  ENGINE_TIME=$(echo "$t1 - $t0" | bc -l)
  ENGINE_COUNTS=$(counts)
  use_engine this
}
# An engine time for a run's line: seconds, or n/a.
engine_s() { if [[ -n ${1:-} ]]; then printf '%.2f s' "$1"; else echo n/a; fi; }
