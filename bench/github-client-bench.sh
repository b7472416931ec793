#!/usr/bin/env bash
# GitHub client benchmark: process CPU and wall time of 1,000 GET /events against a fake GitHub in a
# process of its own, through the Quarkus REST client the service uses (GitHubEventsClient) and
# through the JDK HttpClient it used before, in turns within one JVM (a Quarkus test JVM: the REST
# client is generated at build time). Two answers: 304 (most polls) and 200 with 100 events.
# Prints medians of RUNS runs each and the CPU ratio. Takes a few minutes; not part of `./mvnw verify`.
#
#   bench/github-client-bench.sh       POLLS=1000 RUNS=5 by default; NO_BUILD=1 skips the build
set -euo pipefail
cd "$(dirname "$0")/.."

POLLS=${POLLS:-1000}
RUNS=${RUNS:-5}
OUT=bench/out
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
mkdir -p "$OUT"

if [[ -z "${NO_BUILD:-}" ]]; then
  echo "== build"
  ./mvnw -q -B -DskipChdbFetch -Pbench test-compile
  ./mvnw -q -B -DskipChdbFetch -Pbench dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
fi

url_file=$OUT/github-fake.url
rm -f "$url_file"
"$JAVA" -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.github.eventsstats.bench.GitHubClientBench "$url_file" &
fake=$!
trap 'kill "$fake" 2>/dev/null || true' EXIT
for _ in $(seq 100); do [[ -s "$url_file" ]] && break; sleep 0.1; done
[[ -s "$url_file" ]] || { echo "the fake GitHub did not start" >&2; exit 1; }

echo "== $POLLS polls x $RUNS runs per client and answer, fake GitHub at $(cat "$url_file")"
log=$OUT/github-client-bench.log
if ! ./mvnw -q -B -DskipChdbFetch -Pbench surefire:test -Dtest=GitHubClientBench -Dsurefire.failIfNoSpecifiedTests=false \
  -Dgithub.api-url="$(cat "$url_file")" -Dgithub.token=bench-token \
  -Dbench.polls="$POLLS" -Dbench.rounds="$RUNS" > "$log" 2>&1; then
  tail -40 "$log" >&2
  exit 1
fi
sed -n '/polls per run/,/JDK HttpClient CPU.*200/p' "$log"
