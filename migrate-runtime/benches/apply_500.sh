#!/usr/bin/env bash
# Applying 500 pending revisions (create table / add column / create index, in turn)
# on SQLite, PostgreSQL and MariaDB, side by side in one run:
#   raw    the database's own client with the whole script in one transaction
#          (`psql -1 -f`, `sqlite3` with BEGIN/COMMIT, `mariadb` < script);
#   sqlx   `sqlx migrate run` over the same SQL, one file per revision;
#   sqlx-emb  sqlx's `Migrator` with the same files embedded as `sqlx::migrate!()`
#          embeds them (`examples/deploy-bench`);
#   ours   migrate-runtime as deployed: `examples/deploy-bench`, a binary with the same
#          revisions embedded by migrate-build, with the default
#          TransactionMode::PerRevision and with TransactionMode::All ("ours-all";
#          MySQL DDL commits on its own, so the two differ little there);
#   ours-dir  migrate-runtime reading the TOML files at run time
#          (`examples/bench_apply.rs`);
#   cli    the `cargo-migrate` binary itself, as a user runs it:
#          `cargo migrate upgrade head` on the same TOML files (one runtime call);
#   cli-table  the same with `[runtime] lock = "table"` in migrate.toml: the lock table
#          with a lease instead of the advisory lock.
# Then the no-op start-up on the up-to-date database, as a deployed binary does it:
# `examples/deploy-bench` built with the revisions embedded, once with migrate-runtime
# and once with sqlx's `Migrator` embedded as `sqlx::migrate!()` embeds it; and, reading
# the revisions from a directory at run time, ours (`bench_apply`, parsing every TOML
# file) and the `cargo-migrate` binary against sqlx's `Migrator::new(dir)`
# (`examples/bench_sqlx_noop.rs`) and `sqlx migrate run`.
# The SQL for raw and sqlx is rendered from the TOML revisions by migrate-core, so all
# three run the same statements. Each apply gets a fresh database. Prints median wall
# times (ms) and the ratios to the raw client. Not run by the tests.
#
#   migrate-runtime/benches/apply_500.sh [runs] [noop-runs]   (defaults 5 and 30;
#   the CLI against `sqlx migrate run` takes turns over noop-runs rounds: give 300)
#
# Installs its peers when missing: the clients come from
# Debian (postgresql-client, sqlite3, mariadb-client), sqlx-cli from crates.io
# (SQLX=/path/to/sqlx to use another; SKIP_SQLX=1 to leave sqlx out).
# SAMPLES=1 also prints every timing, sorted, per database and contender; DBS="postgres"
# (any of sqlite postgres mysql) times only those databases; CONTENDERS="raw cli" (of
# raw sqlx sqlx_emb ours ours_all ours_dir cli cli_table) applies with only those;
# BUILD=0 times the binaries already built, without deploy-bench (CONTENDERS without
# sqlx_emb, ours, ours_all) unless DEPLOYED=<path> names a deploy-bench built with
# MIGRATE_BENCH_DATA from `bench_apply gen` of the same COUNT (its output is the same
# on every run). BEFORE=<dir> holds a `cargo-migrate` and a `deploy-bench` built
# before a change: contenders `cli_before` and `ours_before` run them, taking turns
# with the others, and are printed after the table.
# Databases: PG_URL (default postgres://postgres@127.0.0.1:5432/postgres, trust) and
# MY_URL (default mysql://root@127.0.0.1:3306/mysql); a database `migrate_bench` (or
# BENCH_DB) is created and dropped on each. SQLite uses temp files.
set -euo pipefail
runs=${1:-5}
noop_runs=${2:-30}
count=${COUNT:-500}
dbs=${DBS:-sqlite postgres mysql}
cd "$(dirname "$0")/../.."
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}
MY_URL=${MY_URL:-mysql://root@127.0.0.1:3306/mysql}
export PGOPTIONS='-c client_min_messages=warning'
bench_db=${BENCH_DB:-migrate_bench}
pg_db=${PG_URL%/*}/$bench_db
my_db=${MY_URL%/*}/$bench_db
my_host=$(echo "$MY_URL" | sed -E 's#mysql://([^@]*@)?([^:/]*).*#\2#')
my_port=$(echo "$MY_URL" | sed -nE 's#.*:([0-9]+)/.*#\1#p')
my_port=${my_port:-3306}

# --- peers ---------------------------------------------------------------------------
need_apt=()
command -v psql >/dev/null || need_apt+=(postgresql-client)
command -v sqlite3 >/dev/null || need_apt+=(sqlite3)
command -v mariadb >/dev/null || need_apt+=(mariadb-client)
if [ ${#need_apt[@]} -gt 0 ]; then
    apt-get update -q && apt-get install -y -q "${need_apt[@]}"
fi
SQLX=${SQLX:-$(command -v sqlx || true)}
if [ -z "${SKIP_SQLX:-}" ] && [ -z "$SQLX" ]; then
    cargo install sqlx-cli --no-default-features --features sqlite,postgres,mysql,rustls
    SQLX=$(command -v sqlx || echo "$HOME/.cargo/bin/sqlx")
fi
[ -n "${SKIP_SQLX:-}" ] && SQLX=

build=${BUILD:-1} # BUILD=0: time the binaries already built (deploy-bench's contenders
                  # and no-op starts are left out unless it was built for this COUNT)
if [ "$build" != 0 ]; then
    cargo build -q --release -p migrate-runtime --example bench_apply --example bench_sqlx_noop
    cargo build -q --release -p migrate-cli --bin cargo-migrate
fi
tgt=${CARGO_TARGET_DIR:-target}
ours=$tgt/release/examples/bench_apply
cli=$tgt/release/cargo-migrate
sqlx_noop=$tgt/release/examples/bench_sqlx_noop
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$ours" gen "$work" "$count" >/dev/null
deployed=$tgt/release/deploy-bench
if [ "$build" != 0 ]; then
    MIGRATE_BENCH_DATA="$work" cargo build -q --release -p deploy-bench
else
    deployed=${DEPLOYED:-/nonexistent}
fi
has_deployed() { [ -x "$deployed" ]; }

# --- helpers -------------------------------------------------------------------------
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
fresh() { # db
    case $1 in
    sqlite) rm -f "$work/bench.db" ;;
    postgres)
        # Emptied rather than created anew (CREATE DATABASE writes megabytes of WAL),
        # then a checkpoint, so every contender starts from the same state.
        # VACUUM clears the catalog rows of the dropped tables, which otherwise pile up
        # run after run and slow every later contender's DDL.
        psql -q "$pg_db" -c 'DROP SCHEMA public CASCADE' -c 'CREATE SCHEMA public' -c 'VACUUM' -c 'CHECKPOINT' ;;
    mysql)
        mariadb -uroot -h"$my_host" -P"$my_port" \
            -e "DROP DATABASE IF EXISTS $bench_db; CREATE DATABASE $bench_db" ;;
    esac
    # Let the disk absorb what the cleanup wrote before the clock starts.
    sync
}
# Plain TCP for every contender (psql, sqlx-cli and ours would each negotiate TLS with
# a server that has ssl on); TLS is timed on its own at the end.
url_of() { case $1 in sqlite) echo "sqlite://$work/bench.db?mode=rwc" ;; postgres) echo "$pg_db?sslmode=disable" ;; mysql) echo "$my_db" ;; esac; }
run_raw() { # db
    case $1 in
    sqlite) { echo 'BEGIN;'; cat "$work/sqlite.sql"; echo 'COMMIT;'; } | sqlite3 -bail "$work/bench.db" ;;
    postgres) psql -q -X -1 -v ON_ERROR_STOP=1 -f "$work/postgres.sql" "$(url_of postgres)" >/dev/null ;;
    mysql) mariadb -uroot -h"$my_host" -P"$my_port" "$bench_db" <"$work/mysql.sql" ;;
    esac
}
run_sqlx() { "$SQLX" migrate run --source "$work/sqlx-$1" --database-url "$(url_of "$1")" >/dev/null; }
run_sqlx_emb() { "$deployed" sqlx "$(url_of "$1")" >/dev/null; }
run_ours() { "$deployed" ours "$(url_of "$1")" >/dev/null; }
run_ours_all() { "$deployed" ours-all "$(url_of "$1")" >/dev/null; }
run_ours_dir() { "$ours" apply "$work" "$(url_of "$1")" >/dev/null; }
run_cli() { "$cli" migrate -q --migrations-dir "$work/revisions" --database-url "$(url_of "$1")" upgrade head; }
run_cli_before() { "$BEFORE/cargo-migrate" migrate -q --migrations-dir "$work/revisions" --database-url "$(url_of "$1")" upgrade head; }
run_ours_before() { "$BEFORE/deploy-bench" ours "$(url_of "$1")" >/dev/null; }
run_cli_table() { "$cli" migrate -q --config "$work/table.toml" --database-url "$(url_of "$1")" upgrade head; }
time_one() { # db contender -> ms for one apply on a fresh database
    local db=$1 who=$2 t0 t1
    fresh "$db"
    t0=$(now_ms); "run_$who" "$db"; t1=$(now_ms)
    echo $((t1 - t0))
}
time_noop() { # db command... -> median ms per start over $noop_runs starts
    local db=$1 t0 t1
    shift
    "$@" >/dev/null # up to date before timing
    for _ in $(seq "$noop_runs"); do
        t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N)
        echo $(((t1 - t0) / 1000))
    done | median | awk '{printf "%.1f", $1 / 1000}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }'; }

psql -q "$PG_URL" -c "DROP DATABASE IF EXISTS $bench_db" -c "CREATE DATABASE $bench_db"

# --- apply 500 -----------------------------------------------------------------------
# The contenders take turns run by run, so a slow spell of the machine (a checkpoint,
# another job) costs each of them alike.
printf 'migrations_dir = "revisions"\n\n[runtime]\nlock = "table"\n' >"$work/table.toml"
contenders="raw sqlx_emb ours ours_all ours_dir cli cli_table"
[ -n "$SQLX" ] && contenders="raw sqlx sqlx_emb ours ours_all ours_dir cli cli_table"
contenders=${CONTENDERS:-$contenders}
for _ in $(seq "$runs"); do
    for db in $dbs; do
        for who in $contenders; do
            time_one "$db" "$who" >>"$work/times-$db-$who"
        done
    done
done
med() { if [ -f "$work/times-$1-$2" ]; then median <"$work/times-$1-$2"; else echo -; fi; }
if [ -n "${SAMPLES:-}" ]; then
    for f in "$work"/times-*; do echo "${f##*/times-}: $(sort -n "$f" | tr '\n' ' ')"; done
fi
echo "apply $count revisions: median ms over $runs runs (each on a fresh database); ratios to raw"
printf '%-9s %6s %6s %8s %6s %8s %8s %6s %9s | %8s %8s %6s %8s %8s %6s %9s\n' db raw sqlx sqlx-emb ours ours-all ours-dir cli cli-table \
    sqlx sqlx-emb ours ours-all ours-dir cli cli-table
for db in $dbs; do
    raw=$(med "$db" raw) sq=$(med "$db" sqlx) se=$(med "$db" sqlx_emb)
    us=$(med "$db" ours) ua=$(med "$db" ours_all) ud=$(med "$db" ours_dir) uc=$(med "$db" cli)
    ut=$(med "$db" cli_table)
    printf '%-9s %6s %6s %8s %6s %8s %8s %6s %9s | %8s %8s %6s %8s %8s %6s %9s\n' "$db" "$raw" "$sq" "$se" "$us" "$ua" "$ud" "$uc" "$ut" \
        "$(ratio "$sq" "$raw")" "$(ratio "$se" "$raw")" "$(ratio "$us" "$raw")" \
        "$(ratio "$ua" "$raw")" "$(ratio "$ud" "$raw")" "$(ratio "$uc" "$raw")" "$(ratio "$ut" "$raw")"
done
for who in $contenders; do
    case $who in cli_before | ours_before) ;; *) continue ;; esac
    for db in $dbs; do
        raw=$(med "$db" raw) t=$(med "$db" "$who")
        echo "$db $who: $t ms, $(ratio "$t" "$raw") x raw"
    done
done

# --- no-op start-up ------------------------------------------------------------------
echo
echo "no-op start-up on an up-to-date database ($count revisions applied): median ms per process over $noop_runs starts"
printf '%-9s %9s %6s %6s %9s   %9s %6s %6s %6s %8s %12s\n' db embedded: ours sqlx ours/sqlx 'from dir:' ours cli sqlx sqlx-cli cli/sqlx-cli
for db in $dbs; do
    url=$(url_of "$db")
    fresh "$db"
    ue=- se=-
    if has_deployed; then
        ue=$(time_noop "$db" "$deployed" ours "$url")
        fresh "$db"
        se=$(time_noop "$db" "$deployed" sqlx "$url")
        fresh "$db"
    fi
    ud=$(time_noop "$db" "$ours" apply "$work" "$url")
    fresh "$db"
    uc=$(time_noop "$db" "$cli" migrate -q --migrations-dir "$work/revisions" --database-url "$url" upgrade head)
    fresh "$db"
    sd=$(time_noop "$db" "$sqlx_noop" "$work/sqlx-$db" "$url")
    sc=-
    [ -n "$SQLX" ] && sc=$(time_noop "$db" "$SQLX" migrate run --source "$work/sqlx-$db" --database-url "$url")
    printf '%-9s %9s %6s %6s %9s   %9s %6s %6s %6s %8s %12s\n' "$db" "" "$ue" "$se" "$(ratio "$ue" "$se")" "" "$ud" "$uc" "$sd" "$sc" "$(ratio "$uc" "$sc")"
done

# --- the CLI against `sqlx migrate run`, taking turns --------------------------------
# The table above times each contender's starts in a block; a start of 10-20 ms moves
# by a millisecond or two with the machine, so here the two take turns start by start
# (noop_cpu.py, in shuffled order, with 95 % intervals), each on its own up-to-date
# database.
if [ -n "$SQLX" ]; then
    echo
    echo "no-op start-up, the CLI and sqlx migrate run taking turns ($noop_runs rounds)"
    for db in $dbs; do
        case $db in
        sqlite)
            cli_url="sqlite://$work/noop-cli.db?mode=rwc" sqlx_url="sqlite://$work/noop-sqlx.db?mode=rwc" ;;
        postgres)
            for d in cli sqlx; do
                psql -q "$PG_URL" -c "DROP DATABASE IF EXISTS ${bench_db}_$d" -c "CREATE DATABASE ${bench_db}_$d"
            done
            cli_url="${pg_db}_cli?sslmode=disable" sqlx_url="${pg_db}_sqlx?sslmode=disable" ;;
        mysql)
            mariadb -uroot -h"$my_host" -P"$my_port" -e "DROP DATABASE IF EXISTS ${bench_db}_cli; \
                CREATE DATABASE ${bench_db}_cli; DROP DATABASE IF EXISTS ${bench_db}_sqlx; CREATE DATABASE ${bench_db}_sqlx"
            cli_url="${my_db}_cli" sqlx_url="${my_db}_sqlx" ;;
        esac
        "$cli" migrate -q --migrations-dir "$work/revisions" --database-url "$cli_url" upgrade head
        "$SQLX" migrate run --source "$work/sqlx-$db" --database-url "$sqlx_url" >/dev/null
        echo "$db:"
        python3 migrate-runtime/benches/noop_cpu.py "$noop_runs" "$(printf '{"cli": ["%s", "migrate", "-q", "--migrations-dir", "%s", "--database-url", "%s", "upgrade", "head"], "sqlx-cli": ["%s", "migrate", "run", "--source", "%s", "--database-url", "%s"]}' \
            "$cli" "$work/revisions" "$cli_url" "$SQLX" "$work/sqlx-$db" "$sqlx_url")"
    done
    psql -q "$PG_URL" -c "DROP DATABASE IF EXISTS ${bench_db}_cli" -c "DROP DATABASE IF EXISTS ${bench_db}_sqlx" || true
    mariadb -uroot -h"$my_host" -P"$my_port" -e "DROP DATABASE IF EXISTS ${bench_db}_cli; DROP DATABASE IF EXISTS ${bench_db}_sqlx" || true
fi

# --- the same over TLS ----------------------------------------------------------------
# PostgreSQL with sslmode=require (skipped when the server has ssl off): ours and sqlx
# 0.8 embedded (both rustls), and the installed sqlx-cli (its own sqlx and rustls).
if has_deployed && [ "$(psql -Atq "$pg_db" -c 'SHOW ssl')" = on ]; then
    url="$pg_db?sslmode=require"
    echo
    echo "no-op start-up over TLS (PostgreSQL, sslmode=require): median ms per process over $noop_runs starts"
    printf '%-9s %9s %9s %11s %9s %22s\n' db ours sqlx ours/sqlx sqlx-cli 'sqlx-cli sslmode=disable'
    fresh postgres
    ue=$(time_noop postgres "$deployed" ours "$url")
    fresh postgres
    se=$(time_noop postgres "$deployed" sqlx "$url")
    sc=- sp=-
    if [ -n "$SQLX" ]; then
        sc=$(time_noop postgres "$SQLX" migrate run --source "$work/sqlx-postgres" --database-url "$url")
        sp=$(time_noop postgres "$SQLX" migrate run --source "$work/sqlx-postgres" --database-url "$pg_db?sslmode=disable")
    fi
    printf '%-9s %9s %9s %11s %9s %22s\n' postgres "$ue" "$se" "$(ratio "$ue" "$se")" "$sc" "$sp"
fi
psql -q "$PG_URL" -c "DROP DATABASE IF EXISTS $bench_db" || true
mariadb -uroot -h"$my_host" -P"$my_port" -e "DROP DATABASE IF EXISTS $bench_db" || true
