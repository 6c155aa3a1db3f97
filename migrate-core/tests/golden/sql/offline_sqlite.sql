-- migrate: offline upgrade script for sqlite

BEGIN;
CREATE TABLE IF NOT EXISTS "migrate_version" (
    "version_num" VARCHAR(64) NOT NULL,
    CONSTRAINT "pk_migrate_version" PRIMARY KEY ("version_num")
);
CREATE TABLE IF NOT EXISTS "migrate_version_log" (
    "revision" VARCHAR(64) NOT NULL,
    "parents" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "checksum" VARCHAR(100) NULL,
    "applied_at" TIMESTAMP NOT NULL,
    "duration_ms" BIGINT NULL,
    "downgrade" TEXT NOT NULL,
    "state" VARCHAR(16) NOT NULL,
    "failed_step" INTEGER NULL,
    "error" TEXT NULL,
    CONSTRAINT "pk_migrate_version_log" PRIMARY KEY ("revision")
);
COMMIT;

-- Running upgrade  -> aaaaaaaaaaaa: create
BEGIN;
CREATE TABLE "user" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_user" PRIMARY KEY AUTOINCREMENT,
    "Mixed Case" VARCHAR(50) NOT NULL DEFAULT 'it''s',
    "naïve" TEXT
);
CREATE INDEX "ix_user_Mixed Case" ON "user" ("Mixed Case");
CREATE TABLE "order" (
    "id" INTEGER NOT NULL,
    "user_id" BIGINT,
    "qty" INTEGER NOT NULL DEFAULT 0,
    "select" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "pk_order" PRIMARY KEY ("id"),
    CONSTRAINT "fk_order_user_id_user" FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE CASCADE,
    CONSTRAINT "ck_order_qty" CHECK (qty >= 0)
);
CREATE INDEX "ix_order_user_id" ON "order" ("user_id");
INSERT INTO "migrate_version" ("version_num") VALUES ('aaaaaaaaaaaa');
INSERT INTO "migrate_version_log" ("revision", "parents", "message", "checksum", "applied_at", "duration_ms", "downgrade", "state") VALUES ('aaaaaaaaaaaa', '', 'create', 'sha256:00', strftime('%Y-%m-%d %H:%M:%f', 'now'), NULL, '[[downgrade]]
op = "drop_table"
table.name = "order"
table.columns = [
    { name = "id", type = "integer", nullable = false },
    { name = "user_id", type = "bigint", nullable = true },
    { name = "qty", type = "integer", nullable = false, default = "0" },
    { name = "select", type = "boolean", nullable = false, default = "false" },
]
table.primary_key = { name = "pk_order", columns = ["id"] }
table.indexes = [
    { name = "ix_order_user_id", columns = [{ name = "user_id" }] },
]
table.foreign_keys = [
    { name = "fk_order_user_id_user", columns = ["user_id"], ref_table = "user", ref_columns = ["id"], on_delete = "cascade" },
]
table.checks = [
    { name = "ck_order_qty", expr = "qty >= 0" },
]

[[downgrade]]
op = "drop_table"
table.name = "user"
table.columns = [
    { name = "id", type = "bigint", nullable = false, autoincrement = true },
    { name = "Mixed Case", type = "varchar(50)", nullable = false, default = "''it''''s''" },
    { name = "naïve", type = "text", nullable = true, comment = "it''s a \\ comment" },
]
table.primary_key = { name = "pk_user", columns = ["id"] }
table.indexes = [
    { name = "ix_user_Mixed Case", columns = [{ name = "Mixed Case" }] },
]
table.comment = "people"
', 'applied');
COMMIT;

-- Running upgrade aaaaaaaaaaaa -> bbbbbbbbbbbb: every change
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TEMP TABLE "_migrate_dependents" AS SELECT type, name, sql FROM main.sqlite_master WHERE type IN ('view', 'trigger') AND sql IS NOT NULL AND (tbl_name = 'order' OR instr(lower(sql), lower('order')) > 0) ORDER BY rowid;
CREATE TEMP TABLE "_migrate_dependents_guard" ("dependents" INTEGER CONSTRAINT "table order has views or triggers, which rebuilding it drops: run the revision with cargo migrate or the runtime (they keep them), or drop them in an SQL step before this change and create them again after it" CHECK ("dependents" = 0));
INSERT INTO "_migrate_dependents_guard" SELECT count(*) FROM temp."_migrate_dependents";
DROP TABLE "_migrate_dependents_guard";
CREATE TABLE "_migrate_new_order" (
    "id" INTEGER NOT NULL,
    "user_id" BIGINT,
    "qty" BIGINT NOT NULL DEFAULT 1,
    "select" BOOLEAN NOT NULL DEFAULT false,
    "note" VARCHAR(100) DEFAULT 'n/a',
    "created_at" TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "pk_order" PRIMARY KEY ("id"),
    CONSTRAINT "fk_order_user_id_user" FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE CASCADE,
    CONSTRAINT "ck_order_qty" CHECK (qty >= 0)
);
INSERT INTO "_migrate_new_order" ("id", "user_id", "qty", "select") SELECT "id", "user_id", CAST("qty" AS BIGINT), "select" FROM "order";
DROP TABLE "order";
ALTER TABLE "_migrate_new_order" RENAME TO "order";
CREATE INDEX "ix_order_user_id" ON "order" ("user_id");
DROP TABLE temp."_migrate_dependents";
CREATE TEMP TABLE "_migrate_fk_check" ("violations" INTEGER CONSTRAINT "no broken foreign keys after rebuilding order" CHECK ("violations" = 0));
INSERT INTO "_migrate_fk_check" SELECT count(*) FROM (SELECT 1 FROM pragma_foreign_key_check('order'));
DROP TABLE "_migrate_fk_check";
CREATE TEMP TABLE "_migrate_dependents" AS SELECT type, name, sql FROM main.sqlite_master WHERE type IN ('view', 'trigger') AND sql IS NOT NULL AND (tbl_name = 'user' OR instr(lower(sql), lower('user')) > 0) ORDER BY rowid;
CREATE TEMP TABLE "_migrate_dependents_guard" ("dependents" INTEGER CONSTRAINT "table user has views or triggers, which rebuilding it drops: run the revision with cargo migrate or the runtime (they keep them), or drop them in an SQL step before this change and create them again after it" CHECK ("dependents" = 0));
INSERT INTO "_migrate_dependents_guard" SELECT count(*) FROM temp."_migrate_dependents";
DROP TABLE "_migrate_dependents_guard";
CREATE TABLE "_migrate_new_user" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_user" PRIMARY KEY AUTOINCREMENT,
    "Mixed Case" VARCHAR(80) DEFAULT 'it''s',
    "naïve" TEXT
);
INSERT INTO "_migrate_new_user" ("id", "Mixed Case", "naïve") SELECT "id", CAST("Mixed Case" AS VARCHAR(80)), "naïve" FROM "user";
DROP TABLE "user";
ALTER TABLE "_migrate_new_user" RENAME TO "user";
CREATE INDEX "ix_user_Mixed Case" ON "user" ("Mixed Case");
DROP TABLE temp."_migrate_dependents";
CREATE TEMP TABLE "_migrate_fk_check" ("violations" INTEGER CONSTRAINT "no broken foreign keys after rebuilding user" CHECK ("violations" = 0));
INSERT INTO "_migrate_fk_check" SELECT count(*) FROM (SELECT 1 FROM pragma_foreign_key_check('user') UNION ALL SELECT 1 FROM pragma_foreign_key_check('order'));
DROP TABLE "_migrate_fk_check";
ALTER TABLE "order" RENAME COLUMN "note" TO "remark";
CREATE TEMP TABLE "_migrate_dependents" AS SELECT type, name, sql FROM main.sqlite_master WHERE type IN ('view', 'trigger') AND sql IS NOT NULL AND (tbl_name = 'user' OR instr(lower(sql), lower('user')) > 0) ORDER BY rowid;
CREATE TEMP TABLE "_migrate_dependents_guard" ("dependents" INTEGER CONSTRAINT "table user has views or triggers, which rebuilding it drops: run the revision with cargo migrate or the runtime (they keep them), or drop them in an SQL step before this change and create them again after it" CHECK ("dependents" = 0));
INSERT INTO "_migrate_dependents_guard" SELECT count(*) FROM temp."_migrate_dependents";
DROP TABLE "_migrate_dependents_guard";
CREATE TABLE "_migrate_new_user" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_user" PRIMARY KEY AUTOINCREMENT,
    "Mixed Case" VARCHAR(80) DEFAULT 'it''s',
    "naïve" TEXT
);
INSERT INTO "_migrate_new_user" ("id", "Mixed Case", "naïve") SELECT "id", "Mixed Case", "naïve" FROM "user";
DROP TABLE "user";
ALTER TABLE "_migrate_new_user" RENAME TO "user";
CREATE INDEX "ix_user_Mixed Case" ON "user" ("Mixed Case");
DROP TABLE temp."_migrate_dependents";
CREATE TEMP TABLE "_migrate_fk_check" ("violations" INTEGER CONSTRAINT "no broken foreign keys after rebuilding user" CHECK ("violations" = 0));
INSERT INTO "_migrate_fk_check" SELECT count(*) FROM (SELECT 1 FROM pragma_foreign_key_check('user') UNION ALL SELECT 1 FROM pragma_foreign_key_check('order'));
DROP TABLE "_migrate_fk_check";
CREATE TEMP TABLE "_migrate_dependents" AS SELECT type, name, sql FROM main.sqlite_master WHERE type IN ('view', 'trigger') AND sql IS NOT NULL AND (tbl_name = 'order' OR instr(lower(sql), lower('order')) > 0) ORDER BY rowid;
CREATE TEMP TABLE "_migrate_dependents_guard" ("dependents" INTEGER CONSTRAINT "table order has views or triggers, which rebuilding it drops: run the revision with cargo migrate or the runtime (they keep them), or drop them in an SQL step before this change and create them again after it" CHECK ("dependents" = 0));
INSERT INTO "_migrate_dependents_guard" SELECT count(*) FROM temp."_migrate_dependents";
DROP TABLE "_migrate_dependents_guard";
CREATE TABLE "_migrate_new_order" (
    "id" INTEGER NOT NULL,
    "user_id" BIGINT,
    "qty" BIGINT NOT NULL DEFAULT 1,
    "select" BOOLEAN NOT NULL DEFAULT false,
    "remark" VARCHAR(100) DEFAULT 'n/a',
    "created_at" TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "pk_order" PRIMARY KEY ("id"),
    CONSTRAINT "fk_order_user_id_user" FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE CASCADE,
    CONSTRAINT "ck_order_qty" CHECK (qty >= 0)
);
INSERT INTO "_migrate_new_order" ("id", "user_id", "qty", "select", "remark", "created_at") SELECT "id", "user_id", "qty", "select", "remark", "created_at" FROM "order";
DROP TABLE "order";
ALTER TABLE "_migrate_new_order" RENAME TO "order";
CREATE INDEX "ix_order_user_id" ON "order" ("user_id");
DROP TABLE temp."_migrate_dependents";
CREATE TEMP TABLE "_migrate_fk_check" ("violations" INTEGER CONSTRAINT "no broken foreign keys after rebuilding order" CHECK ("violations" = 0));
INSERT INTO "_migrate_fk_check" SELECT count(*) FROM (SELECT 1 FROM pragma_foreign_key_check('order'));
DROP TABLE "_migrate_fk_check";
CREATE TABLE "select" (
    "id" INTEGER NOT NULL,
    "val" TEXT
);
CREATE TEMP TABLE "_migrate_dependents" AS SELECT type, name, sql FROM main.sqlite_master WHERE type IN ('view', 'trigger') AND sql IS NOT NULL AND (tbl_name = 'select' OR instr(lower(sql), lower('select')) > 0) ORDER BY rowid;
CREATE TEMP TABLE "_migrate_dependents_guard" ("dependents" INTEGER CONSTRAINT "table select has views or triggers, which rebuilding it drops: run the revision with cargo migrate or the runtime (they keep them), or drop them in an SQL step before this change and create them again after it" CHECK ("dependents" = 0));
INSERT INTO "_migrate_dependents_guard" SELECT count(*) FROM temp."_migrate_dependents";
DROP TABLE "_migrate_dependents_guard";
CREATE TABLE "_migrate_new_select" (
    "id" INTEGER NOT NULL,
    "val" TEXT
);
INSERT INTO "_migrate_new_select" ("id", "val") SELECT "id", "val" FROM "select";
DROP TABLE "select";
ALTER TABLE "_migrate_new_select" RENAME TO "select";
DROP TABLE temp."_migrate_dependents";
CREATE TEMP TABLE "_migrate_fk_check" ("violations" INTEGER CONSTRAINT "no broken foreign keys after rebuilding select" CHECK ("violations" = 0));
INSERT INTO "_migrate_fk_check" SELECT count(*) FROM (SELECT 1 FROM pragma_foreign_key_check('select'));
DROP TABLE "_migrate_fk_check";
ALTER TABLE "order" DROP COLUMN "remark";
ALTER TABLE "select" RENAME TO "sélection";
UPDATE "order" SET qty = qty + 1;
COMMIT;
SELECT 1;
BEGIN;
DROP TABLE "sélection";
DELETE FROM "migrate_version" WHERE "version_num" IN ('aaaaaaaaaaaa');
INSERT INTO "migrate_version" ("version_num") VALUES ('bbbbbbbbbbbb');
INSERT INTO "migrate_version_log" ("revision", "parents", "message", "checksum", "applied_at", "duration_ms", "downgrade", "state") VALUES ('bbbbbbbbbbbb', 'aaaaaaaaaaaa', 'every change', NULL, strftime('%Y-%m-%d %H:%M:%f', 'now'), NULL, '', 'applied');
COMMIT;
PRAGMA foreign_keys = ON;
