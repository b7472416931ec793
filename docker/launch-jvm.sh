#!/bin/sh
# The JVM image's entry point: the service without arguments, else the command given
# (`backfill ...`, `healthcheck`), with JAVA_OPTS. The backfill also gets BACKFILL_JAVA_OPTS
# (default -XX:TieredStopAtLevel=1: the JIT stays at its quick C1 compiler, which on two cores
# loads an hour faster than with C2; docs/benchmarks/natives-and-jit.md). The service runs long
# and keeps the JVM's default JIT.
if [ "${1:-}" = backfill ]; then
  # shellcheck disable=SC2086 # the options are words
  exec java $JAVA_OPTS $BACKFILL_JAVA_OPTS --enable-native-access=ALL-UNNAMED -jar /app/quarkus-run.jar "$@"
fi
# shellcheck disable=SC2086
exec java $JAVA_OPTS --enable-native-access=ALL-UNNAMED -jar /app/quarkus-run.jar "$@"
