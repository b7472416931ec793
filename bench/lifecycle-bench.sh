#!/usr/bin/env bash
# Lifecycle benchmark (issue 25; docs/benchmarks/lifecycle.md), two parts:
#  queries  the packaged service with REPOS repositories watched and loaded (a watch file written
#           before it starts), ITEMS PRs and issues and COMMENTS comments generated straight into
#           lifecycle_items/lifecycle_comments by its engine (INSERT ... SELECT FROM numbers()), and
#           their facts (lifecycle_facts) by the service's own statement; then
#           /metrics/pull-requests, /metrics/issues and /metrics/compare over a spread of
#           repositories and windows, cache off: engine time per request (LifecycleBench) and HTTP
#           time, with the engine time of what BEFORE's build ran beside it, in turns.
#  load     the tests' fake GitHub (GeneratedHistory) serving one repository of PULLS PRs, asked for
#           on demand: requests (counted at the fake) and seconds until its history is loaded.
# Takes about 15 minutes (the generation: about 2); not part of `./mvnw verify`. The data is
# deleted at the end (KEEP=1 keeps bench/out/lifecycle/data, REUSE=1 measures it again without
# generating); results in bench/out/lifecycle/results-*.txt.
#
# Usage: bench/lifecycle-bench.sh [queries|load|all]   (default all)
# Env:   REPOS (10000)  ITEMS (2000000)  COMMENTS (10000000)  ROUNDS (6)  PULLS (5000)  ISSUES (2000)
#        BEFORE (0351c07: main before comparisons read both kinds in one query; empty: none)
#        PORT (18095)  ENGINE_PORT (18135)  SKIP_BUILD=1  KEEP=1  REUSE=1
set -euo pipefail
cd "$(dirname "$0")/.."

WHAT=${1:-all}
PORT=${PORT:-18095}
ENGINE_PORT=${ENGINE_PORT:-18135}
REPOS=${REPOS:-10000}
out=bench/out/lifecycle
rm -rf "$out/load-data"
mkdir -p "$out"

source bench/service.sh
find_java

if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  ./mvnw -q -B -Pbench package -DskipTests   # the service, and the bench's classes into target/bench-classes
  ./mvnw -q -B -DskipChdbFetch dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
fi
classpath="target/bench-classes:target/test-classes:target/quarkus-app/app/*:target/quarkus-app/lib/main/*:$(cat target/bench.classpath)"
ports_free "$PORT" "$ENGINE_PORT"

service=
cleanup() {
  [[ -z $service ]] || { kill "$service" 2>/dev/null || true; wait "$service" 2>/dev/null || true; }
  [[ ${KEEP:-} == 1 ]] || rm -rf "$out/data"
}

# The watch file of REPOS repositories, each ACTIVE with its four history lists read to their end
# and not due again for a year: answers come from the loaded history (complete: true), and no
# request leaves for GitHub (the poller is off anyway).
watch_file() { # file repos
  python3 - "$1" "$2" <<'PY'
import json, sys
from datetime import datetime, timedelta, timezone
now = datetime.now(timezone.utc)
iso = lambda t: t.strftime('%Y-%m-%dT%H:%M:%SZ')
done = lambda: {"loaded": True, "loadedAt": iso(now), "lastSyncAt": iso(now), "nextSyncAt": iso(now + timedelta(days=365))}
repos = []
for r in range(int(sys.argv[2])):
    name = "org-%d/repo-%d" % (r % 997, r)
    repos.append({"repository": name, "addedAt": iso(now), "status": "ACTIVE", "eventsSince": iso(now),
                  "completeSince": iso(now), "pulls": dict(done(), fullName=name), "issues": done(),
                  "issueComments": done(), "reviewComments": done()})
json.dump({"repositories": repos}, open(sys.argv[1], "w"))
PY
}

queries() {
  [[ ${REUSE:-} == 1 && -d $out/data ]] || { REUSE=; rm -rf "$out/data"; }
  mkdir -p "$out/data"
  [[ -n ${REUSE:-} ]] || watch_file "$out/data/watched-repositories.json" "$REPOS"
  # API_QUERY_TIMEOUT: a comparison of 10 ran 40 queries on a few connections (2 since); on a loaded machine
  # the default 10 s wait for one ended a whole unattended run with a 503.
  DATA_DIR="$out/data" PORT=$PORT CLICKHOUSE_EMBEDDED_PORT=$ENGINE_PORT API_CACHE_TTL=0 API_QUERY_TIMEOUT=120s POLLER_ENABLED=false \
    ON_DEMAND_ENABLED=false "$java" --enable-native-access=ALL-UNNAMED -jar target/quarkus-app/quarkus-run.jar \
    >"$out/service.log" 2>&1 &
  service=$!
  wait_ready $service "$PORT"
  engine_credentials "$out/data"
  echo "lifecycle-bench queries $(date -u +%FT%TZ): $REPOS repositories, ${ITEMS:-2000000} items, ${COMMENTS:-10000000} comments"
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  local args=("engine=http://127.0.0.1:$ENGINE_PORT" "user=$engine_user" "password=$engine_password"
              "service=http://127.0.0.1:$PORT" "repos=$REPOS" "items=${ITEMS:-2000000}" "comments=${COMMENTS:-10000000}"
              "rounds=${ROUNDS:-6}")
  local before=${BEFORE-0351c07} run_classpath=$classpath
  if [[ -n $before ]]; then # that commit's LifecycleQueries, compiled apart as before.LifecycleQueries
    rm -rf "$out/before" && mkdir -p "$out/before/src"
    git show "$before:src/main/java/io/github/eventsstats/metrics/LifecycleQueries.java" \
      | sed 's/^package io\.github\.eventsstats\.metrics;/package before;/' > "$out/before/src/LifecycleQueries.java"
    "$JAVA_HOME/bin/javac" -d "$out/before/classes" "$out/before/src/LifecycleQueries.java"
    run_classpath="$out/before/classes:$classpath"
    args+=("before=before.LifecycleQueries")
    echo "bef = the engine time of what $before ran for the same request (its items queries; before its first items were kept, the first item per repository too), in turns"
  fi
  "$java" -cp "$run_classpath" io.github.eventsstats.bench.LifecycleBench "${args[@]}" "generate=${REUSE:+false}"
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "data directory: $(du -sh "$out/data" | cut -f1)"
  kill "$service"; wait "$service" 2>/dev/null || true
  service=
  [[ ${KEEP:-} == 1 ]] || rm -rf "$out/data"
}

load() {
  echo "lifecycle-bench load $(date -u +%FT%TZ): one repository of ${PULLS:-5000} PRs and ${ISSUES:-2000} issues, on demand"
  echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  "$java" -cp "$classpath" io.github.eventsstats.watch.HistoryLoadBench "java=$java" \
    "jar=target/quarkus-app/quarkus-run.jar" "data=$out/load-data" "port=$PORT" "engine_port=$ENGINE_PORT" \
    "pulls=${PULLS:-5000}" "issues=${ISSUES:-2000}" "log=$out/load-service.log"
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  rm -rf "$out/load-data"
}

{
  trap cleanup EXIT # the service runs in this subshell (the tee's)
  [[ $WHAT == load ]] || queries
  [[ $WHAT == queries ]] || load
} 2>&1 | tee "$out/results-$WHAT.txt"
