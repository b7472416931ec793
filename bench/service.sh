# Shared by the benchmarks that run the packaged service (sourced): a JDK, free ports, readiness.

# JAVA_HOME when it is a JDK 25 or later, else the usual places; sets java.
find_java() {
  if [[ -z "${JAVA_HOME:-}" ]] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "2[5-9]'; then
    for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*-25-*; do
      if [[ -x "$candidate/bin/java" ]]; then export JAVA_HOME="$candidate"; break; fi
    done
  fi
  java="$JAVA_HOME/bin/java"
}

# Someone else's service or engine on these ports would answer for ours (and take our events).
ports_free() {
  for p in "$@"; do
    if curl -s -o /dev/null "http://127.0.0.1:$p/"; then echo "port $p is in use; set PORT / ENGINE_PORT" >&2; exit 1; fi
  done
}

# Waits up to $3 seconds (120) for the service (pid $1) on port $2 to be ready; its log is $out/service.log.
wait_ready() {
  for _ in $(seq 1 "${3:-120}"); do
    curl -sf "http://127.0.0.1:$2/q/health/ready" >/dev/null && return 0
    kill -0 "$1" 2>/dev/null || { cat "$out/service.log"; exit 1; }
    sleep 1
  done
  echo "service not ready" >&2
  exit 1
}

# The embedded engine's user and password, which it takes on every request: a service makes a new
# password each start and keeps it, with the port, in the owner-only DATA_DIR/clickhouse/engine.endpoint.
# Sets engine_user and engine_password; call it after wait_ready (and again after a restart).
engine_credentials() { # data-dir
  local f="$1/clickhouse/engine.endpoint"
  engine_user=$(sed -n 's/^user=//p' "$f" 2>/dev/null)
  engine_password=$(sed -n 's/^password=//p' "$f" 2>/dev/null)
  [[ -n "$engine_password" ]] || { echo "no engine password in $f" >&2; exit 1; }
}
