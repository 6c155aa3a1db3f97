#!/usr/bin/env bash
# Starts a three-node MariaDB Galera cluster on loopback ports, for the tests that need
# a multi-primary cluster (migrate-runtime/tests/galera.rs and the CLI's). Idempotent:
# nodes already answering are left running.
#
#   tests/galera/start.sh          # prints MIGRATE_TEST_GALERA_URLS=... on its last line
#   tests/galera/stop.sh
#
# Each node is a `mariadbd` with its own datadir under $GALERA_DIR (default
# /tmp/migrate-galera), owned by the mysql user: client ports 4306-4308, group
# communication 4567/4577/4587, IST 4568/4578/4588, SST (rsync) 4444/4454/4464.
# Needs the packages mariadb-server, galera-4 and rsync; run as root (or as mysql).
set -euo pipefail

DIR="${GALERA_DIR:-/tmp/migrate-galera}"
PROVIDER="${GALERA_PROVIDER:-/usr/lib/galera/libgalera_smm.so}"
CLIENT_PORTS=(4306 4307 4308)
GCOMM_PORTS=(4567 4577 4587)
IST_PORTS=(4568 4578 4588)
SST_PORTS=(4444 4454 4464)
USER_NAME=mysql

for tool in mariadbd mariadb-install-db mariadb-admin mariadb rsync; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || {
    echo "galera: $tool is missing; install mariadb-server, galera-4 and rsync" >&2
    exit 1
  }
done
[ -f "$PROVIDER" ] || { echo "galera: $PROVIDER is missing; install galera-4" >&2; exit 1; }
MARIADBD=$(command -v mariadbd || echo /usr/sbin/mariadbd)

cluster_address="gcomm://"
for p in "${GCOMM_PORTS[@]}"; do cluster_address="${cluster_address}127.0.0.1:$p,"; done
cluster_address="${cluster_address%,}"

ping_node() { mariadb-admin -h 127.0.0.1 -P "$1" -u root --connect-timeout=2 ping >/dev/null 2>&1; }

cluster_size() {
  mariadb -h 127.0.0.1 -P "$1" -u root -N -B -e "SHOW STATUS LIKE 'wsrep_cluster_size'" 2>/dev/null | awk '{print $2}'
}

start_node() { # index (0-based), extra options...
  local i=$1; shift
  local n=$((i + 1))
  local data="$DIR/node$n"
  if ping_node "${CLIENT_PORTS[$i]}"; then
    echo "galera: node $n already answers on port ${CLIENT_PORTS[$i]}" >&2
    return
  fi
  if [ ! -d "$data/mysql" ]; then
    mkdir -p "$data"
    chown "$USER_NAME:$USER_NAME" "$DIR" "$data"
    mariadb-install-db --user="$USER_NAME" --datadir="$data" \
      --auth-root-authentication-method=normal --skip-test-db >"$DIR/install$n.log" 2>&1 || {
        cat "$DIR/install$n.log" >&2; exit 1; }
  fi
  # A node stopped with kill leaves this saying it may not bootstrap.
  [ -f "$data/grastate.dat" ] && sed -i 's/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/' "$data/grastate.dat"
  "$MARIADBD" --no-defaults --user="$USER_NAME" --datadir="$data" \
    --socket="$DIR/node$n.sock" --pid-file="$DIR/node$n.pid" --log-error="$DIR/node$n.err" \
    --bind-address=127.0.0.1 --port="${CLIENT_PORTS[$i]}" \
    --skip-name-resolve --max-connections=400 \
    --innodb-buffer-pool-size=32M --innodb-log-file-size=16M --performance-schema=OFF \
    --binlog-format=ROW --default-storage-engine=InnoDB --innodb-autoinc-lock-mode=2 \
    --wsrep-on=ON --wsrep-provider="$PROVIDER" \
    --wsrep-cluster-name=migrate-test --wsrep-cluster-address="$cluster_address" \
    --wsrep-node-name="node$n" --wsrep-node-address="127.0.0.1:${GCOMM_PORTS[$i]}" \
    --wsrep-provider-options="gmcast.listen_addr=tcp://127.0.0.1:${GCOMM_PORTS[$i]};ist.recv_addr=127.0.0.1:${IST_PORTS[$i]};gcache.size=64M" \
    --wsrep-sst-method=rsync --wsrep-sst-receive-address="127.0.0.1:${SST_PORTS[$i]}" \
    "$@" >>"$DIR/node$n.out" 2>&1 &
  for _ in $(seq 1 120); do
    ping_node "${CLIENT_PORTS[$i]}" && return
    sleep 1
  done
  echo "galera: node $n did not start; its log:" >&2
  tail -n 40 "$DIR/node$n.err" >&2
  exit 1
}

mkdir -p "$DIR"
if ping_node "${CLIENT_PORTS[1]}" || ping_node "${CLIENT_PORTS[2]}"; then
  start_node 0             # the others are up: join them
else
  start_node 0 --wsrep-new-cluster
fi
start_node 1
start_node 2

for _ in $(seq 1 60); do
  [ "$(cluster_size "${CLIENT_PORTS[0]}")" = 3 ] && break
  sleep 1
done
size=$(cluster_size "${CLIENT_PORTS[0]}")
[ "$size" = 3 ] || { echo "galera: the cluster has $size node(s), not 3" >&2; exit 1; }
mariadb -h 127.0.0.1 -P "${CLIENT_PORTS[0]}" -u root -e "CREATE DATABASE IF NOT EXISTS test"

urls=""
for p in "${CLIENT_PORTS[@]}"; do urls="${urls}mysql://root@127.0.0.1:$p/test,"; done
echo "galera: three nodes up" >&2
echo "MIGRATE_TEST_GALERA_URLS=${urls%,}"
