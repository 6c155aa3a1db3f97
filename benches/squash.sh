#!/bin/sh
# Whole-command benchmark of `cargo migrate squash`: a project of N revisions (each
# creates a table, then later ones add a column to it) against the same project with
# its first N-1 revisions squashed into one and their files deleted, turn by turn:
#   - `upgrade head` on a fresh SQLite database (read the files, plan, apply, log);
#   - `upgrade head` on an up-to-date database (the start-up of every deploy);
#   - `check` without a database (replays the history, as the build script does).
# Prints the median of each and the ratio full/squashed.
#
#   benches/squash.sh [runs]        # default 5
#   N=500 BIN=/path/to/cargo-migrate
set -eu
RUNS=${1:-5}
N=${N:-500}
BIN=${BIN:-${CARGO_TARGET_DIR:-target}/release/cargo-migrate}
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT

id() { printf 'b%011d' "$1"; }

mkdir -p "$DIR/full"
(cd "$DIR/full" && "$BIN" migrate -q init >/dev/null 2>&1 || true)
mkdir -p "$DIR/full/migrations"
i=1
while [ "$i" -le "$N" ]; do
    f="$DIR/full/migrations/$(id "$i")_r$i.toml"
    {
        printf 'id = "%s"\n' "$(id "$i")"
        if [ "$i" -gt 1 ]; then printf 'parents = ["%s"]\n' "$(id $((i - 1)))"; fi
        printf 'message = "r%s"\ncreated = "2026-01-01T00:00:00Z"\n' "$i"
        if [ $((i % 2)) -eq 1 ]; then
            printf '\n[[upgrade]]\nop = "create_table"\n\n[upgrade.table]\nname = "t%s"\n' "$i"
            printf 'columns = [{ name = "id", type = "bigint" }, { name = "name", type = "text" }]\n'
            printf 'primary_key = { name = "pk_t%s", columns = ["id"] }\n' "$i"
            printf '\n[[downgrade]]\nop = "drop_table"\n\n[downgrade.table]\nname = "t%s"\n' "$i"
            printf 'columns = [{ name = "id", type = "bigint" }, { name = "name", type = "text" }]\n'
            printf 'primary_key = { name = "pk_t%s", columns = ["id"] }\n' "$i"
        else
            t=$((i - 1))
            printf '\n[[upgrade]]\nop = "add_column"\ntable = "t%s"\n' "$t"
            printf 'column = { name = "extra", type = "integer", nullable = true }\n'
            printf '\n[[downgrade]]\nop = "drop_column"\ntable = "t%s"\n' "$t"
            printf 'column = { name = "extra", type = "integer", nullable = true }\n'
        fi
    } > "$f"
    i=$((i + 1))
done
cp -r "$DIR/full" "$DIR/squashed"
(cd "$DIR/squashed" && "$BIN" migrate -q squash "$(id 1)" "$(id $((N - 1)))" -m "first $((N - 1))" >/dev/null)
i=1
while [ "$i" -lt "$N" ]; do
    rm "$DIR/squashed/migrations/$(id "$i")_r$i.toml"
    i=$((i + 1))
done
echo "revision files: full $(ls "$DIR/full/migrations" | wc -l), squashed $(ls "$DIR/squashed/migrations" | wc -l)"

now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for case in fresh uptodate check; do
    for mode in full squashed; do : > "$DIR/$case.$mode"; done
    r=1
    while [ "$r" -le "$RUNS" ]; do
        for mode in full squashed; do
            db="$DIR/$mode/db$r.$case.sqlite"
            url="sqlite://$db?mode=rwc"
            if [ "$case" = uptodate ]; then
                (cd "$DIR/$mode" && "$BIN" migrate -q upgrade head --database-url "$url" >/dev/null)
            fi
            t0=$(now)
            if [ "$case" = check ]; then
                (cd "$DIR/$mode" && "$BIN" migrate -q check --models-only >/dev/null 2>&1 || true)
            else
                (cd "$DIR/$mode" && "$BIN" migrate -q upgrade head --database-url "$url" >/dev/null)
            fi
            t1=$(now)
            echo $(((t1 - t0) / 1000000)) >> "$DIR/$case.$mode"
        done
        r=$((r + 1))
    done
    full=$(median < "$DIR/$case.full")
    squashed=$(median < "$DIR/$case.squashed")
    ratio=$(awk -v a="$full" -v b="$squashed" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "inf" }')
    printf '%-9s N=%s  full %6s ms  squashed %6s ms  full/squashed %s\n' "$case" "$N" "$full" "$squashed" "$ratio"
done
