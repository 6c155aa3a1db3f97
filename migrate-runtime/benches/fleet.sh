#!/usr/bin/env bash
# Fleets: the same revisions applied to many databases, `cargo migrate upgrade head
# --fleet` side by side with a shell loop of `sqlx migrate run` over the same targets,
# at parallelism 1, 4, 16 and 32 (`--jobs N` for ours, `xargs -P N` for the loop). Four
# fleets, each timed on its own:
#   pg       PostgreSQL databases (a database per tenant);
#   schemas  schemas of one PostgreSQL database (`schemas:URL#fleet_%` for ours;
#            `?options=-c search_path=...` for sqlx, whose advisory lock is per
#            database, so its schemas queue behind one another at any parallelism);
#   mysql    MariaDB databases;
#   sqlite   SQLite files.
# Every contender starts from the same empty targets (each reset before each timing)
# and runs the same statements (rendered by migrate-core from the same TOML revisions:
# `bench_apply gen`). Prints wall time (ms, median of the runs) and sqlx / ours; and,
# to show where the server rather than the tool is the limit, the server's CPU time
# during each timing (PostgreSQL: the postmaster's ended backends; MariaDB: mariadbd;
# read from /proc, so only for a server on this machine, else "-") and ours' mean time
# per target (from its JSON report): past the point where the server is the limit,
# more jobs no longer lower the wall time and each target takes longer.
# Not run by the tests.
#
#   migrate-runtime/benches/fleet.sh [runs]          (default 1)
#
# Sizes (defaults: the issue's): N_PG=50 N_SCHEMAS=50 N_MYSQL=20 N_SQLITE=200
# targets, REVS=50 revisions each; JOBS="1 4 16 32" (each job holds up to two
# connections: mind the server's max_connections);
# FLEETS="pg schemas mysql sqlite" for some fleets only; BUILD=0 skips the release
# builds and times the binaries already in the target directory.
# Peers: psql and mariadb (Debian's postgresql-client, mariadb-client), sqlx-cli from
# crates.io when `sqlx` is not on PATH (SQLX=/path/to/sqlx to use another).
# Databases: PG_URL (default postgres://postgres@127.0.0.1:5432/postgres) and MY_URL
# (default mysql://root@127.0.0.1:3306/mysql); databases named fleet_bench_* are
# created there and dropped at the end.
set -euo pipefail
runs=${1:-1}
n_pg=${N_PG:-50}
n_schemas=${N_SCHEMAS:-50}
n_mysql=${N_MYSQL:-20}
n_sqlite=${N_SQLITE:-200}
revs=${REVS:-50}
jobs_list=${JOBS:-1 4 16 32}
fleets=${FLEETS:-pg schemas mysql sqlite}
cd "$(dirname "$0")/../.."
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}
MY_URL=${MY_URL:-mysql://root@127.0.0.1:3306/mysql}
export PGOPTIONS='-c client_min_messages=warning'
pg_base=${PG_URL%/*}
my_base=${MY_URL%/*}
my_host=$(echo "$MY_URL" | sed -E 's#mysql://([^@]*@)?([^:/]*).*#\2#')
my_port=$(echo "$MY_URL" | sed -nE 's#.*:([0-9]+)/.*#\1#p')
my_port=${my_port:-3306}
my() { mariadb -uroot -h"$my_host" -P"$my_port" "$@"; }

# --- peers ---------------------------------------------------------------------------
need_apt=()
command -v psql >/dev/null || need_apt+=(postgresql-client)
command -v mariadb >/dev/null || need_apt+=(mariadb-client)
if [ ${#need_apt[@]} -gt 0 ]; then
    apt-get update -q && apt-get install -y -q "${need_apt[@]}"
fi
SQLX=${SQLX:-$(command -v sqlx || true)}
if [ -z "$SQLX" ]; then
    cargo install sqlx-cli --no-default-features --features sqlite,postgres,mysql,rustls
    SQLX=$(command -v sqlx || echo "$HOME/.cargo/bin/sqlx")
fi
export SQLX

if [ "${BUILD:-1}" != 0 ]; then # BUILD=0: time the binaries already built
    cargo build -q --release -p migrate-runtime --example bench_apply
    cargo build -q --release -p migrate-cli --bin cargo-migrate
fi
tgt=${CARGO_TARGET_DIR:-target}
gen=$tgt/release/examples/bench_apply
cli=$tgt/release/cargo-migrate
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$gen" gen "$work" "$revs" >/dev/null

# --- targets -------------------------------------------------------------------------
# One list of URLs per fleet (sqlx's loop reads it; ours reads it as `file:`, but for
# the schemas, which ours finds by pattern).
psql -q "$PG_URL" -c 'DROP DATABASE IF EXISTS fleet_bench_schemas' -c 'CREATE DATABASE fleet_bench_schemas'
: >"$work/pg.txt" >"$work/schemas.txt" >"$work/mysql.txt" >"$work/sqlite.txt"
for i in $(seq "$n_pg"); do
    psql -q "$PG_URL" -c "DROP DATABASE IF EXISTS fleet_bench_pg_$i" -c "CREATE DATABASE fleet_bench_pg_$i"
    echo "$pg_base/fleet_bench_pg_$i?sslmode=disable" >>"$work/pg.txt"
done
for i in $(seq "$n_schemas"); do
    echo "$pg_base/fleet_bench_schemas?sslmode=disable&options=-c%20search_path%3Dfleet_$i" >>"$work/schemas.txt"
done
for i in $(seq "$n_mysql"); do
    echo "$my_base/fleet_bench_my_$i" >>"$work/mysql.txt"
done
mkdir -p "$work/sqlite"
for i in $(seq "$n_sqlite"); do
    echo "sqlite://$work/sqlite/$i.db" >>"$work/sqlite.txt"
done

reset() { # fleet: every target empty again
    case $1 in
    pg)
        for i in $(seq "$n_pg"); do
            echo "\\c fleet_bench_pg_$i"
            echo 'DROP SCHEMA public CASCADE; CREATE SCHEMA public;'
        done | psql -q "$pg_base/fleet_bench_pg_1" >/dev/null
        ;;
    schemas)
        {
            echo 'DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;'
            for i in $(seq "$n_schemas"); do
                echo "DROP SCHEMA IF EXISTS fleet_$i CASCADE; CREATE SCHEMA fleet_$i;"
            done
        } | psql -q "$pg_base/fleet_bench_schemas" >/dev/null
        ;;
    mysql)
        for i in $(seq "$n_mysql"); do
            echo "DROP DATABASE IF EXISTS fleet_bench_my_$i; CREATE DATABASE fleet_bench_my_$i;"
        done | my
        ;;
    sqlite)
        rm -f "$work"/sqlite/*.db*
        for i in $(seq "$n_sqlite"); do : >"$work/sqlite/$i.db"; done
        ;;
    esac
    psql -q "$PG_URL" -c 'CHECKPOINT' >/dev/null
    sync
}
src_of() { case $1 in pg | schemas) echo "$work/sqlx-postgres" ;; mysql) echo "$work/sqlx-mysql" ;; sqlite) echo "$work/sqlx-sqlite" ;; esac; }
spec_of() {
    case $1 in
    schemas) echo "schemas:$pg_base/fleet_bench_schemas?sslmode=disable#fleet_%" ;;
    *) echo "file:$work/$1.txt" ;;
    esac
}
run_ours() { # fleet jobs: the JSON report kept for the time per target
    "$cli" migrate -q --migrations-dir "$work/revisions" upgrade head \
        --fleet "$(spec_of "$1")" --jobs "$2" --format json >"$work/report.json"
}
per_target_ms() { # mean duration_ms of the last report
    grep -o '"duration_ms": [0-9]*' "$work/report.json" |
        awk '{s += $2; n++} END {if (n) printf "%d", s / n; else print "-"}'
}
server_cpu_ms() { # fleet: CPU time the server has used (clock ticks -> ms), or "-"
    local pid fields
    case $1 in
    mysql) pid=$(pgrep -o -x mariadbd || pgrep -o -x mysqld || true) fields='$14+$15' ;;
    sqlite) pid='' ;;
    *) pid=$(pgrep -o -x postgres || true) fields='$14+$15+$16+$17' ;;
    esac
    if [ -z "$pid" ] || [ ! -r "/proc/$pid/stat" ]; then echo -; return; fi
    # The command name (field 2) may hold spaces: count fields after its ')'.
    sed 's/^.*) //' "/proc/$pid/stat" |
        awk -v hz="$(getconf CLK_TCK)" "{ \$0 = \"x x \" \$0; printf \"%d\", ($fields) * 1000 / hz }"
}
run_sqlx() { # fleet jobs: the shell loop, N at a time
    local src
    src=$(src_of "$1")
    xargs -P "$2" -I URL "$SQLX" migrate run --source "$src" --database-url URL \
        <"$work/$1.txt" >/dev/null
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
check_done() { # fleet who jobs: every target at head, or the timing is void
    local n
    n=$("$cli" migrate -q --migrations-dir "$work/revisions" current --fleet "$(spec_of "$1")" \
        --jobs 4 --format json | grep -c '"pending": \[\]' || true)
    case $2 in
    ours)
        local want
        want=$(wc -l <"$work/$1.txt")
        [ "$n" = "$want" ] || { echo "ours left targets of $1 not at head ($n of $want)" >&2; exit 1; }
        ;;
    esac
}

# --- timings -------------------------------------------------------------------------
# Contenders take turns run by run, so a slow spell of the machine costs each alike.
for _ in $(seq "$runs"); do
    for fleet in $fleets; do
        for jobs in $jobs_list; do
            for who in ours sqlx; do
                reset "$fleet"
                c0=$(server_cpu_ms "$fleet")
                t0=$(now_ms)
                "run_$who" "$fleet" "$jobs"
                t1=$(now_ms)
                c1=$(server_cpu_ms "$fleet")
                check_done "$fleet" "$who" "$jobs"
                echo $((t1 - t0)) >>"$work/times-$fleet-$jobs-$who"
                if [ "$c0" != - ]; then echo $((c1 - c0)) >>"$work/cpu-$fleet-$jobs-$who"; fi
                if [ "$who" = ours ]; then per_target_ms >>"$work/each-$fleet-$jobs"; fi
            done
        done
    done
done

med() { median <"$work/times-$1-$2-$3"; }
med_of() { if [ -s "$1" ]; then median <"$1"; else echo -; fi; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "-"; else printf "%.2f", a / b }'; }
echo "fleets, $revs revisions per target: wall ms, median of $runs run(s); ratio = sqlx loop / ours;"
echo "server CPU ms during each (ours, loop); ours' mean ms per target"
printf '%-8s %8s %5s %9s %11s %7s %10s %10s %11s\n' fleet targets jobs ours sqlx-loop ratio \
    cpu-ours cpu-loop per-target
for fleet in $fleets; do
    n=$(wc -l <"$work/$fleet.txt")
    for jobs in $jobs_list; do
        o=$(med "$fleet" "$jobs" ours) s=$(med "$fleet" "$jobs" sqlx)
        printf '%-8s %8s %5s %9s %11s %7s %10s %10s %11s\n' "$fleet" "$n" "$jobs" "$o" "$s" \
            "$(ratio "$s" "$o")" "$(med_of "$work/cpu-$fleet-$jobs-ours")" \
            "$(med_of "$work/cpu-$fleet-$jobs-sqlx")" "$(med_of "$work/each-$fleet-$jobs")"
    done
done

# --- clean up ------------------------------------------------------------------------
for i in $(seq "$n_pg"); do psql -q "$PG_URL" -c "DROP DATABASE IF EXISTS fleet_bench_pg_$i"; done
psql -q "$PG_URL" -c 'DROP DATABASE IF EXISTS fleet_bench_schemas'
for i in $(seq "$n_mysql"); do echo "DROP DATABASE IF EXISTS fleet_bench_my_$i;"; done | my
