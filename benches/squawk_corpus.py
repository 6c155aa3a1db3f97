#!/usr/bin/env python3
"""Our safe forms and lints against squawk, a PostgreSQL migration linter nobody here
wrote (docs/safety.md, "Checked against squawk").

For each model change of a corpus covering every operation autogenerate writes, the
script makes a project in a temporary directory (a first revision that creates the
tables, then the change, both by `cargo migrate revision --autogenerate`) and:

  ours    the PostgreSQL SQL of the change as we write it (`upgrade REV:head --sql`):
          squawk's lock and rewrite warnings on it must be none;
  naive   the same revision with `forms = "blocking"` and no lock timeout in its
          [safety] table (the plain forms, what other tools write): squawk's
          warnings on it, each of which must have a counterpart in our lints of
          that revision (`cargo migrate check`), by the mapping below.

It prints one row per change and the totals. Exit status 1 if a lock or rewrite
warning is left on our SQL, or a squawk warning on the naive form has no
counterpart in our lint.

squawk-cli is installed from the npm registry into SQUAWK_DIR (default
$CARGO_TARGET_DIR/squawk, else target/squawk), never into the repository.

Not a test: a check run by hand or in CI.
Usage: python3 benches/squawk_corpus.py [--bin PATH/cargo-migrate] [--keep]
"""

import argparse
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

# squawk rules about locks, rewrites and waiting: none may fire on our SQL.
LOCK_RULES = {
    "require-concurrent-index-creation",
    "require-concurrent-index-deletion",
    "ban-concurrent-index-creation-in-transaction",
    "adding-foreign-key-constraint",
    "constraint-missing-not-valid",
    "adding-not-nullable-field",
    "adding-required-field",
    "adding-field-with-default",
    "changing-column-type",
    "disallowed-unique-constraint",
    "adding-serial-primary-key-field",
    "require-lock-timeout",
    "ban-alter-domain-with-add-constraint",
}

# Lock rules for changes that have no online form: autogenerate writes them as they
# are and our lint says so (with the expand/contract sequence); the table shows them
# apart from what is left unexplained.
NO_ONLINE_FORM = {
    "adding-required-field": "MG101",
    "changing-column-type": "MG102",
}

# squawk rule -> our lint codes that say the same thing (any of them).
COUNTERPART = {
    "require-concurrent-index-creation": {"MG109", "MG121"},
    "require-concurrent-index-deletion": {"MG109", "MG122"},
    "adding-foreign-key-constraint": {"MG109", "MG123"},
    "constraint-missing-not-valid": {"MG109", "MG123"},
    "adding-not-nullable-field": {"MG109", "MG124"},
    "adding-required-field": {"MG101"},
    "adding-field-with-default": {"MG112"},
    "changing-column-type": {"MG102"},
    "disallowed-unique-constraint": {"MG109", "MG121"},
    "renaming-column": {"MG103"},
    "renaming-table": {"MG104"},
    "ban-drop-column": {"MG105"},
    "ban-drop-table": {"MG106"},
    "prefer-bigint-over-int": {"MG108"},
    "prefer-bigint-over-smallint": {"MG108"},
    "adding-serial-primary-key-field": {"MG110"},
    # The plain form sets no timeout at all: the opt-out itself is the finding.
    "require-lock-timeout": {"MG114"},
}

# squawk rules that are about neither locks nor a running release, with why we
# leave them: shown in the table, not counted as gaps.
NOT_OURS = {
    "prefer-robust-stmts": "idempotent DDL (IF NOT EXISTS); we record progress in the version table instead",
    "prefer-text-field": "a VARCHAR limit is the model's max_len, asked for by the user",
    "prefer-timestamptz": "the model's Rust type decides",
    "prefer-identity": "the model decides",
    "require-statement-timeout": "we set lock_timeout, which keeps a waiting statement from "
    "queueing others; a statement_timeout would kill a long online index build, so it is "
    "opt-in (statement_timeout in [safety])",
}

TEAM = """
#[derive(Model)]
pub struct Team {
    #[model(primary_key)]
    pub id: i64,
}
"""

BASE_FIELDS = {
    "id": "#[model(primary_key)]\n    pub id: i64,",
    "email": "#[model(max_len = 100)]\n    pub email: Option<String>,",
    "team_id": "pub team_id: Option<i64>,",
    "age": "pub age: i32,",
    "nick": "pub nick: Option<String>,",
}

# name -> (fields before, fields after); each a dict of field name -> declaration.
def change(**after):
    fields = dict(BASE_FIELDS)
    for k, v in after.items():
        if v is None:
            fields.pop(k)
        else:
            fields[k] = v
    return fields


CORPUS = {
    "create index": (BASE_FIELDS, change(email="#[model(max_len = 100, index)]\n    pub email: Option<String>,")),
    "drop index": (change(email="#[model(max_len = 100, index)]\n    pub email: Option<String>,"), BASE_FIELDS),
    "add unique": (BASE_FIELDS, change(email="#[model(max_len = 100, unique)]\n    pub email: Option<String>,")),
    "add foreign key": (BASE_FIELDS, change(team_id="#[model(references = Team)]\n    pub team_id: Option<i64>,")),
    "add check": (BASE_FIELDS, change(age="#[model(check = \"age >= 0\")]\n    pub age: i32,")),
    "set not null": (BASE_FIELDS, change(email="#[model(max_len = 100)]\n    pub email: String,")),
    "add required column": (BASE_FIELDS, change(score="pub score: i64,")),
    "add column with default": (BASE_FIELDS, change(score="#[model(default = \"0\")]\n    pub score: i64,")),
    "add nullable column": (BASE_FIELDS, change(note="pub note: Option<String>,")),
    "change column type": (BASE_FIELDS, change(age="pub age: i64,")),
    "rename column": (BASE_FIELDS, change(nick=None, handle="#[model(renamed_from = \"nick\")]\n    pub handle: Option<String>,")),
    "drop column": (BASE_FIELDS, change(nick=None)),
}


def models(fields):
    body = "\n".join(f"    {decl}" for decl in fields.values())
    return f"use migrate::Model;\n{TEAM}\n#[derive(Model)]\npub struct Account {{\n{body}\n}}\n"


def run(cmd, cwd, check=True):
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if check and p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({p.returncode}):\n{p.stdout}{p.stderr}")
    return p


def squawk_bin(args):
    base = os.environ.get("SQUAWK_DIR") or os.path.join(
        os.environ.get("CARGO_TARGET_DIR", "target"), "squawk"
    )
    base = os.path.abspath(base)
    binary = os.path.join(base, "node_modules", ".bin", "squawk")
    if not os.path.exists(binary):
        os.makedirs(base, exist_ok=True)
        run(["npm", "install", "--no-audit", "--no-fund", "--prefix", base, "squawk-cli"], base)
    return binary


def squawk(binary, sql_path):
    """squawk's rules on the change's own statements (from its `-- Running upgrade`
    line on: the version table's DDL before it is not the change's)."""
    text = pathlib.Path(sql_path).read_text().splitlines()
    start = next(i for i, line in enumerate(text) if line.startswith("-- Running upgrade"))
    p = run([binary, "--reporter", "json", sql_path], ".", check=False)
    try:
        found = json.loads(p.stdout or "[]")
    except json.JSONDecodeError:
        sys.exit(f"squawk printed no JSON:\n{p.stdout}{p.stderr}")
    return sorted({f["rule_name"] for f in found if f["line"] >= start})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(os.environ.get("CARGO_TARGET_DIR", "target"), "debug", "cargo-migrate"))
    ap.add_argument("--keep", action="store_true", help="keep the projects")
    args = ap.parse_args()
    binary = os.path.abspath(args.bin)
    sq = squawk_bin(args)
    version = run([sq, "--version"], ".").stdout.strip()
    work = pathlib.Path(tempfile.mkdtemp(prefix="squawk-corpus-"))
    rows, gaps, leftovers = [], 0, 0
    for name, (before, after) in CORPUS.items():
        d = work / re.sub(r"\W+", "_", name)
        (d / "src").mkdir(parents=True)
        (d / "Cargo.toml").write_text('[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n')
        mg = lambda *a: run([binary, "migrate", *a], d)
        mg("init")
        (d / "src" / "models.rs").write_text(models(before))
        first = mg("revision", "--autogenerate", "-m", "tables").stdout.strip()
        (d / "src" / "models.rs").write_text(models(after))
        second = mg("revision", "--autogenerate", "-m", name, "--allow-destructive").stdout.strip()
        ours = mg("upgrade", f"{first}:head", "--sql", "--dialect", "postgres").stdout
        (d / "ours.sql").write_text(ours)
        path = next((d / "migrations").glob(f"{second}*.toml"))
        text = path.read_text()
        path.write_text(
            text.replace('forms = "online"', 'forms = "blocking"').replace(
                'lock_timeout = "5s"', 'lock_timeout = "off"'
            )
        )
        naive = mg("upgrade", f"{first}:head", "--sql", "--dialect", "postgres").stdout
        (d / "naive.sql").write_text(naive)
        check = run([binary, "migrate", "check", "--models-only"], d, check=False)
        lints = sorted(set(re.findall(r"\[(MG\d+) ", check.stdout + check.stderr)))
        on_ours = squawk(sq, str(d / "ours.sql"))
        on_naive = squawk(sq, str(d / "naive.sql"))
        linted = [r for r in on_ours if r in NO_ONLINE_FORM and NO_ONLINE_FORM[r] in lints]
        left = [r for r in on_ours if r in LOCK_RULES and r not in linted]
        leftovers += len(left)
        uncovered = []
        for rule in on_naive:
            if rule in NOT_OURS:
                continue
            want = COUNTERPART.get(rule)
            if want is None or not (want & set(lints)):
                uncovered.append(rule)
        gaps += len(uncovered)
        rows.append((name, left, linted, on_ours, on_naive, lints, uncovered))
    print(f"# {version}; corpus of {len(CORPUS)} model changes\n")
    print("| change | squawk lock/rewrite warnings on our SQL | no online form (our lint) | squawk on the naive SQL | our lints on the naive revision | uncovered |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, left, linted, on_ours, on_naive, lints, uncovered in rows:
        print(
            f"| {name} | {', '.join(left) or 'none'} | {', '.join(linted) or '-'} "
            f"| {', '.join(on_naive) or 'none'} "
            f"| {', '.join(lints) or 'none'} | {', '.join(uncovered) or 'none'} |"
        )
    others = sorted({r for row in rows for r in row[3] if r not in LOCK_RULES})
    print(f"\nother squawk rules on our SQL (not about locks): {', '.join(others) or 'none'}")
    print(f"lock/rewrite warnings left on our SQL: {leftovers}; squawk warnings on the naive SQL without a counterpart: {gaps}")
    if args.keep:
        print(f"projects kept in {work}")
    else:
        shutil.rmtree(work)
    return 1 if leftovers or gaps else 0


if __name__ == "__main__":
    sys.exit(main())
