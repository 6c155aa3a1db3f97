#!/usr/bin/env bash
# Start-up cost of `upgrade_to_head` on an up-to-date database: runs the replica helper
# binary (which migrates three revisions, then exits) N times against one database per
# backend and prints the mean wall time per start. Not run by the tests.
#
#   migrate-runtime/benches/runtime.sh [runs]     (default 50)
#
# Uses MIGRATE_TEST_POSTGRES_URL / MIGRATE_TEST_MYSQL_URL when set (a database
# `migrate_bench` is created and dropped there); SQLite always runs. Set PROFILE=debug
# to skip the release build.
set -euo pipefail
runs=${1:-50}
profile=${PROFILE:-release}
cd "$(dirname "$0")/../.."
flag=$([ "$profile" = release ] && echo --release || true)
cargo build -q -p migrate-runtime --features sqlite,postgres,mysql --bin migrate-runtime-replica $flag
bin=target/$profile/migrate-runtime-replica
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

bench() { # name url
    local name=$1 url=$2
    "$bin" "$url" >/dev/null # first run migrates
    local start end
    start=$(date +%s%N)
    for _ in $(seq "$runs"); do "$bin" "$url" >/dev/null; done
    end=$(date +%s%N)
    printf '%-10s %6.2f ms per up-to-date start-up (process start included, %d runs)\n' \
        "$name" "$(echo "($end - $start) / 1000000 / $runs" | bc -l)" "$runs"
}

bench sqlite "sqlite://$tmp/bench.db?mode=rwc"
if [ -n "${MIGRATE_TEST_POSTGRES_URL:-}" ]; then
    psql -q "$MIGRATE_TEST_POSTGRES_URL" -c "DROP DATABASE IF EXISTS migrate_bench" -c "CREATE DATABASE migrate_bench" 2>/dev/null
    bench postgres "${MIGRATE_TEST_POSTGRES_URL%/*}/migrate_bench"
    psql -q "$MIGRATE_TEST_POSTGRES_URL" -c 'DROP DATABASE migrate_bench'
fi
if [ -n "${MIGRATE_TEST_MYSQL_URL:-}" ]; then
    admin=${MIGRATE_TEST_MYSQL_URL%/*}
    host=$(echo "$admin" | sed -E 's#mysql://([^@]*@)?([^:/]*).*#\2#')
    mysql -uroot -h"$host" -e 'DROP DATABASE IF EXISTS migrate_bench; CREATE DATABASE migrate_bench'
    bench mysql "$admin/migrate_bench"
    mysql -uroot -h"$host" -e 'DROP DATABASE migrate_bench'
fi
