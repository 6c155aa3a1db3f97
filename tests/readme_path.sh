#!/usr/bin/env bash
# The README followed from an empty directory, as a newcomer follows it: a new crate,
# `cargo migrate init`, the README's model, `cargo build` failing with the drift
# report, autogenerate, upgrade on SQLite, the README's second field and its drift
# report, downgrade, erd. The console transcripts of the README are also run by
# trycmd (migrate-cli/tests/cli/transcripts.rs) in a prepared crate; this script
# covers what they cannot: a real `cargo build` of a new crate against the checkout,
# and the `text` blocks the README shows for it, compared with what cargo prints.
#
# Run from anywhere: `bash tests/readme_path.sh`. It reuses CARGO_TARGET_DIR (else
# the workspace's target/) and the workspace's Cargo.lock, so only the new crate and
# the features it picks are compiled.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
export CARGO_TERM_COLOR=never NO_COLOR=1
unset DATABASE_URL MIGRATE_AUTOGENERATE MIGRATE_ALLOW_DESTRUCTIVE

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "readme_path: $*" >&2; exit 1; }
step() { echo "readme_path: $*"; }

# The README's fenced block of kind $2 that follows the line matching $1.
readme_block() {
  awk -v start="$1" -v kind="$2" '
    index($0, start) { found = 1 }
    found && !inside && $0 == "```" kind { inside = 1; next }
    inside && $0 == "```" { exit }
    inside { print }
  ' "$root/README.md"
}

# --- install: the CLI as `cargo migrate` (the workspace's build of migrate-cli) ----
step "install the CLI"
cargo build -q -p migrate-cli --manifest-path "$root/Cargo.toml"
mkdir "$tmp/bin"
ln -s "$CARGO_TARGET_DIR/debug/cargo-migrate" "$tmp/bin/cargo-migrate"
export PATH="$tmp/bin:$PATH"
cargo migrate --version >/dev/null || fail "cargo migrate is not on PATH"

# --- a new crate, with sqlx as the README's Install section adds it ----------------
cd "$tmp"
cargo new -q --vcs none app
cd app
cp "$root/Cargo.lock" .   # the versions the workspace is built and tested with
cat >>Cargo.toml <<'TOML'
sqlx = { version = "0.8", features = ["runtime-tokio", "sqlite"] }
TOML

# --- 1. set up ----------------------------------------------------------------------
step "1. init"
cargo migrate init --database-url 'sqlite:app.db?mode=rwc' >init.out 2>&1 || { cat init.out; fail "init failed"; }
for f in migrations migrate.toml build.rs; do [ -e "$f" ] || fail "init did not create $f"; done
grep -q 'migrate_build::run();' build.rs || fail "build.rs lacks migrate_build::run();"
grep -q "^migrate = { path = \"$root\" }" Cargo.toml || { cat Cargo.toml; fail "init did not add migrate by path"; }

# --- 2. the README's model ----------------------------------------------------------
step "2. the README's model"
readme_block "### 2. Write a model" rust >src/models.rs
grep -q 'derive(Model' src/models.rs || fail "no model found in README step 2"
sed -i '1i mod models;' src/main.rs

# --- 3. the first build fails with the drift report ---------------------------------
step "3. cargo build fails on drift"
if cargo build -q >build.out 2>&1; then cat build.out; fail "the first build succeeded without a revision"; fi
for want in \
  "the models differ from an empty schema (migrations has no revision yet): 1 difference(s)" \
  "- added table 'users' (struct User at src/models.rs:4)" \
  'cargo migrate revision --autogenerate -m "describe the change"'; do
  grep -qF -- "$want" build.out || { cat build.out; fail "the drift report lacks: $want"; }
done

# --- 4. autogenerate ----------------------------------------------------------------
step "4. autogenerate"
id=$(cargo migrate revision --autogenerate -m "create users" 2>autogen.err) || { cat autogen.err; fail "autogenerate failed"; }
[[ "$id" =~ ^[0-9a-f]{12}$ ]] || fail "autogenerate printed '$id', not one id"
grep -qF "detected added table 'users'" autogen.err || { cat autogen.err; fail "autogenerate did not name the table"; }
ls migrations/"${id}"_create_users.toml >/dev/null
cargo build -q 2>build2.out || { cat build2.out; fail "the build still fails after autogenerate"; }

# --- 5. upgrade on SQLite -----------------------------------------------------------
step "5. upgrade"
cargo migrate upgrade head >upgrade.out 2>&1 || { cat upgrade.out; fail "upgrade failed"; }
grep -qF "upgrading sqlite:app.db?mode=rwc (1 revision)" upgrade.out || { cat upgrade.out; fail "upgrade output"; }
grep -qF "done: upgraded to $id" upgrade.out || { cat upgrade.out; fail "upgrade output"; }
[ "$(sqlite3 app.db 'select count(*) from users')" = 0 ] || fail "no users table in app.db"
cargo migrate check >check.out 2>&1 || { cat check.out; fail "check after upgrade"; }

# --- step 3's second half: a new field, and the README's report of it ------------
step "3b. a new field: the build's report is the README's"
sed -i 's/^    pub username: String,$/&\n    pub email: String,/' src/models.rs
grep -q 'pub email: String' src/models.rs || fail "could not add the email field"
if cargo build -q >build3.out 2>&1; then fail "adding email did not fail the build"; fi
# The README's block after `$ cargo build`, and what cargo printed, with the revision
# id and line numbers made neutral: the same lines in the same order.
normal() { sed -E -e 's/[0-9a-f]{12}/ID/g' -e 's/models\.rs:[0-9]+/models.rs:N/g' -e 's/[[:space:]]+$//'; }
readme_block "add a field, say" text | sed '1d' | normal >expected.txt
normal <build3.out >actual.txt
diff -u expected.txt actual.txt || fail "the build's drift report differs from README.md step 3 (above: - README, + cargo build)"
sed -i '/pub email: String,/d' src/models.rs

# --- 6. downgrade -------------------------------------------------------------------
step "6. downgrade"
cargo migrate downgrade -1 >down.out 2>&1 || { cat down.out; fail "downgrade failed"; }
grep -qF "done: undid 1 revision ($id)" down.out || { cat down.out; fail "downgrade output"; }
[ -z "$(sqlite3 app.db "select name from sqlite_master where name = 'users'")" ] || fail "users still there"

# --- 7. pictures --------------------------------------------------------------------
step "7. erd"
cargo migrate erd >erd.out
grep -qF "%% schema at revision $id: 1 table(s)" erd.out || { cat erd.out; fail "erd title"; }
grep -qF "varchar(50) username" erd.out || { cat erd.out; fail "erd columns"; }
cargo migrate erd -o schema.svg 2>/dev/null
grep -qF 'data-table="users"' schema.svg || fail "the SVG has no users table"
cargo migrate history --graph >graph.out
grep -qF "*  $id (head)  create users" graph.out || { cat graph.out; fail "history --graph"; }

echo "readme_path: the README's path works from an empty directory"
