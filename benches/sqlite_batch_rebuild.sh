#!/bin/sh
# Whole-command benchmark of the SQLite table rebuild's batch mode: one revision that
# widens three columns of a table of ROWS rows (one rebuild, one copy of the table)
# against the same three changes split by no-op SQL steps (three rebuilds), applied
# by `cargo-migrate upgrade head` on a copy of the same database, turn by turn.
#
#   benches/sqlite_batch_rebuild.sh [runs]     # default 5
#   BIN=/path/to/cargo-migrate ROWS=300000
set -eu
RUNS=${1:-5}
ROWS=${ROWS:-300000}
BIN=${BIN:-${CARGO_TARGET_DIR:-target}/release/cargo-migrate}
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT

for mode in one split; do
    mkdir -p "$DIR/$mode/migrations"
    cat > "$DIR/$mode/migrations/aaaaaaaaaaa1_create.toml" <<'TOML'
id = "aaaaaaaaaaa1"
message = "create"
created = "2026-01-01T00:00:00Z"

[[upgrade]]
op = "create_table"

[upgrade.table]
name = "items"
columns = [
    { name = "id", type = "bigint" },
    { name = "a", type = "integer" },
    { name = "b", type = "integer" },
    { name = "c", type = "integer" },
    { name = "note", type = "text", nullable = true },
]
primary_key = { name = "pk_items", columns = ["id"] }
TOML
    {
        printf 'id = "aaaaaaaaaaa2"\nparents = ["aaaaaaaaaaa1"]\nmessage = "widen"\n'
        printf 'created = "2026-01-01T00:00:01Z"\n'
        for c in a b c; do
            if [ "$mode" = split ] && [ "$c" != a ]; then
                printf '\n[[upgrade]]\nop = "sql"\nsql = "SELECT 1"\n'
            fi
            printf '\n[[upgrade]]\nop = "alter_column"\ntable = "items"\ncolumn = "%s"\n' "$c"
            printf 'from = { type = "integer" }\nto = { type = "bigint" }\n'
        done
    } > "$DIR/$mode/migrations/aaaaaaaaaaa2_widen.toml"
    (cd "$DIR/$mode" && "$BIN" migrate -q upgrade aaaaaaaaaaa1 \
        --database-url "sqlite://$DIR/$mode/template.db?mode=rwc")
    sqlite3 "$DIR/$mode/template.db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL \
        SELECT i + 1 FROM n WHERE i < $ROWS) INSERT INTO items SELECT i, i, i, i, 'note ' || i FROM n"
done

for run in $(seq "$RUNS"); do
    for mode in one split; do
        cp "$DIR/$mode/template.db" "$DIR/$mode/t.db"
        sync
        start=$(date +%s%N)
        (cd "$DIR/$mode" && "$BIN" migrate -q upgrade head --database-url "sqlite://$DIR/$mode/t.db")
        end=$(date +%s%N)
        echo "$mode $(((end - start) / 1000000))" >> "$DIR/times"
    done
done
for mode in one split; do
    printf '%s: median %s ms of %s runs\n' "$mode" \
        "$(grep "^$mode " "$DIR/times" | cut -d' ' -f2 | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')" "$RUNS"
done
