#!/usr/bin/env bash
# Stops the cluster of tests/galera/start.sh (its datadirs stay, for the next start).
set -uo pipefail
DIR="${GALERA_DIR:-/tmp/migrate-galera}"
for n in 3 2 1; do
  pidfile="$DIR/node$n.pid"
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null || continue
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
done
