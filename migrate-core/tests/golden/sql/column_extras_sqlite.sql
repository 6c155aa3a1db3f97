-- added table 'items'
CREATE TABLE "items" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_items" PRIMARY KEY AUTOINCREMENT,
    "price" INTEGER NOT NULL DEFAULT 0,
    "qty" INTEGER NOT NULL DEFAULT 1,
    "total" BIGINT GENERATED ALWAYS AS (price * qty) STORED,
    "doubled" INTEGER GENERATED ALWAYS AS (qty * 2) VIRTUAL,
    "label" VARCHAR(40) COLLATE NOCASE NOT NULL,
    "shout" VARCHAR(41) GENERATED ALWAYS AS (label || '!') STORED,
    "tags" text,
    "addr" text
);

-- changed column 'items.total': generated stored (price * qty) -> generated stored (price * qty + 1)
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents" AS SELECT type, name, sql FROM main.sqlite_master WHERE type IN ('view', 'trigger') AND sql IS NOT NULL AND (tbl_name = 'items' OR instr(lower(sql), lower('items')) > 0) ORDER BY rowid;
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents_guard" ("dependents" INTEGER CONSTRAINT "table items has views or triggers, which rebuilding it drops: run the revision with cargo migrate or the runtime (they keep them), or drop them in an SQL step before this change and create them again after it" CHECK ("dependents" = 0));
INSERT INTO "_migrate_dependents_guard" SELECT count(*) FROM temp."_migrate_dependents";
DROP TABLE "_migrate_dependents_guard";
-- [foreign keys off]
CREATE TABLE "_migrate_new_items" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_items" PRIMARY KEY AUTOINCREMENT,
    "price" INTEGER NOT NULL DEFAULT 0,
    "qty" INTEGER NOT NULL DEFAULT 1,
    "total" BIGINT GENERATED ALWAYS AS (price * qty + 1) STORED,
    "doubled" INTEGER GENERATED ALWAYS AS (qty * 2) VIRTUAL,
    "label" VARCHAR(40) COLLATE NOCASE NOT NULL,
    "shout" VARCHAR(41) GENERATED ALWAYS AS (label || '!') STORED,
    "tags" text,
    "addr" text
);
-- [foreign keys off]
INSERT INTO "_migrate_new_items" ("id", "price", "qty", "label", "tags", "addr") SELECT "id", "price", "qty", "label", "tags", "addr" FROM "items";
-- [foreign keys off]
DROP TABLE "items";
-- [foreign keys off]
ALTER TABLE "_migrate_new_items" RENAME TO "items";
-- [foreign keys off]
DROP TABLE temp."_migrate_dependents";
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_fk_check" ("violations" INTEGER CONSTRAINT "no broken foreign keys after rebuilding items" CHECK ("violations" = 0));
-- [foreign keys off]
INSERT INTO "_migrate_fk_check" SELECT count(*) FROM (SELECT 1 FROM pragma_foreign_key_check('items'));
-- [foreign keys off]
DROP TABLE "_migrate_fk_check";

-- changed column 'items.doubled': generated virtual (qty * 2) -> not generated
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents" AS SELECT type, name, sql FROM main.sqlite_master WHERE type IN ('view', 'trigger') AND sql IS NOT NULL AND (tbl_name = 'items' OR instr(lower(sql), lower('items')) > 0) ORDER BY rowid;
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents_guard" ("dependents" INTEGER CONSTRAINT "table items has views or triggers, which rebuilding it drops: run the revision with cargo migrate or the runtime (they keep them), or drop them in an SQL step before this change and create them again after it" CHECK ("dependents" = 0));
INSERT INTO "_migrate_dependents_guard" SELECT count(*) FROM temp."_migrate_dependents";
DROP TABLE "_migrate_dependents_guard";
-- [foreign keys off]
CREATE TABLE "_migrate_new_items" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_items" PRIMARY KEY AUTOINCREMENT,
    "price" INTEGER NOT NULL DEFAULT 0,
    "qty" INTEGER NOT NULL DEFAULT 1,
    "total" BIGINT GENERATED ALWAYS AS (price * qty + 1) STORED,
    "doubled" INTEGER,
    "label" VARCHAR(40) COLLATE NOCASE NOT NULL,
    "shout" VARCHAR(41) GENERATED ALWAYS AS (label || '!') STORED,
    "tags" text,
    "addr" text
);
-- [foreign keys off]
INSERT INTO "_migrate_new_items" ("id", "price", "qty", "doubled", "label", "tags", "addr") SELECT "id", "price", "qty", "doubled", "label", "tags", "addr" FROM "items";
-- [foreign keys off]
DROP TABLE "items";
-- [foreign keys off]
ALTER TABLE "_migrate_new_items" RENAME TO "items";
-- [foreign keys off]
DROP TABLE temp."_migrate_dependents";
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_fk_check" ("violations" INTEGER CONSTRAINT "no broken foreign keys after rebuilding items" CHECK ("violations" = 0));
-- [foreign keys off]
INSERT INTO "_migrate_fk_check" SELECT count(*) FROM (SELECT 1 FROM pragma_foreign_key_check('items'));
-- [foreign keys off]
DROP TABLE "_migrate_fk_check";

-- changed column 'items.label': collation (postgres = C; mysql = utf8mb4_unicode_ci; sqlite = NOCASE) -> (postgres = POSIX; mysql = latin1_general_cs; sqlite = RTRIM)
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents" AS SELECT type, name, sql FROM main.sqlite_master WHERE type IN ('view', 'trigger') AND sql IS NOT NULL AND (tbl_name = 'items' OR instr(lower(sql), lower('items')) > 0) ORDER BY rowid;
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents_guard" ("dependents" INTEGER CONSTRAINT "table items has views or triggers, which rebuilding it drops: run the revision with cargo migrate or the runtime (they keep them), or drop them in an SQL step before this change and create them again after it" CHECK ("dependents" = 0));
INSERT INTO "_migrate_dependents_guard" SELECT count(*) FROM temp."_migrate_dependents";
DROP TABLE "_migrate_dependents_guard";
-- [foreign keys off]
CREATE TABLE "_migrate_new_items" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_items" PRIMARY KEY AUTOINCREMENT,
    "price" INTEGER NOT NULL DEFAULT 0,
    "qty" INTEGER NOT NULL DEFAULT 1,
    "total" BIGINT GENERATED ALWAYS AS (price * qty + 1) STORED,
    "doubled" INTEGER,
    "label" VARCHAR(40) COLLATE RTRIM NOT NULL,
    "shout" VARCHAR(41) GENERATED ALWAYS AS (label || '!') STORED,
    "tags" text,
    "addr" text
);
-- [foreign keys off]
INSERT INTO "_migrate_new_items" ("id", "price", "qty", "doubled", "label", "tags", "addr") SELECT "id", "price", "qty", "doubled", "label", "tags", "addr" FROM "items";
-- [foreign keys off]
DROP TABLE "items";
-- [foreign keys off]
ALTER TABLE "_migrate_new_items" RENAME TO "items";
-- [foreign keys off]
DROP TABLE temp."_migrate_dependents";
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_fk_check" ("violations" INTEGER CONSTRAINT "no broken foreign keys after rebuilding items" CHECK ("violations" = 0));
-- [foreign keys off]
INSERT INTO "_migrate_fk_check" SELECT count(*) FROM (SELECT 1 FROM pragma_foreign_key_check('items'));
-- [foreign keys off]
DROP TABLE "_migrate_fk_check";

-- changed column 'items.tags': type per_database(postgres = text[]; mysql = json; sqlite = text) -> per_database(postgres = varchar(20)[]; mysql = longtext; sqlite = blob)
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents" AS SELECT type, name, sql FROM main.sqlite_master WHERE type IN ('view', 'trigger') AND sql IS NOT NULL AND (tbl_name = 'items' OR instr(lower(sql), lower('items')) > 0) ORDER BY rowid;
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents_guard" ("dependents" INTEGER CONSTRAINT "table items has views or triggers, which rebuilding it drops: run the revision with cargo migrate or the runtime (they keep them), or drop them in an SQL step before this change and create them again after it" CHECK ("dependents" = 0));
INSERT INTO "_migrate_dependents_guard" SELECT count(*) FROM temp."_migrate_dependents";
DROP TABLE "_migrate_dependents_guard";
-- [foreign keys off]
CREATE TABLE "_migrate_new_items" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_items" PRIMARY KEY AUTOINCREMENT,
    "price" INTEGER NOT NULL DEFAULT 0,
    "qty" INTEGER NOT NULL DEFAULT 1,
    "total" BIGINT GENERATED ALWAYS AS (price * qty + 1) STORED,
    "doubled" INTEGER,
    "label" VARCHAR(40) COLLATE RTRIM NOT NULL,
    "shout" VARCHAR(41) GENERATED ALWAYS AS (label || '!') STORED,
    "tags" blob,
    "addr" text
);
-- [foreign keys off]
INSERT INTO "_migrate_new_items" ("id", "price", "qty", "doubled", "label", "tags", "addr") SELECT "id", "price", "qty", "doubled", "label", CAST("tags" AS blob), "addr" FROM "items";
-- [foreign keys off]
DROP TABLE "items";
-- [foreign keys off]
ALTER TABLE "_migrate_new_items" RENAME TO "items";
-- [foreign keys off]
DROP TABLE temp."_migrate_dependents";
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_fk_check" ("violations" INTEGER CONSTRAINT "no broken foreign keys after rebuilding items" CHECK ("violations" = 0));
-- [foreign keys off]
INSERT INTO "_migrate_fk_check" SELECT count(*) FROM (SELECT 1 FROM pragma_foreign_key_check('items'));
-- [foreign keys off]
DROP TABLE "_migrate_fk_check";

-- added column 'items.fewer'
ALTER TABLE "items" ADD COLUMN "fewer" INTEGER GENERATED ALWAYS AS (qty - 1) VIRTUAL;

-- added column 'items.sum'
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents" AS SELECT type, name, sql FROM main.sqlite_master WHERE type IN ('view', 'trigger') AND sql IS NOT NULL AND (tbl_name = 'items' OR instr(lower(sql), lower('items')) > 0) ORDER BY rowid;
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents_guard" ("dependents" INTEGER CONSTRAINT "table items has views or triggers, which rebuilding it drops: run the revision with cargo migrate or the runtime (they keep them), or drop them in an SQL step before this change and create them again after it" CHECK ("dependents" = 0));
INSERT INTO "_migrate_dependents_guard" SELECT count(*) FROM temp."_migrate_dependents";
DROP TABLE "_migrate_dependents_guard";
-- [foreign keys off]
CREATE TABLE "_migrate_new_items" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_items" PRIMARY KEY AUTOINCREMENT,
    "price" INTEGER NOT NULL DEFAULT 0,
    "qty" INTEGER NOT NULL DEFAULT 1,
    "total" BIGINT GENERATED ALWAYS AS (price * qty + 1) STORED,
    "doubled" INTEGER,
    "label" VARCHAR(40) COLLATE RTRIM NOT NULL,
    "shout" VARCHAR(41) GENERATED ALWAYS AS (label || '!') STORED,
    "tags" blob,
    "addr" text,
    "fewer" INTEGER GENERATED ALWAYS AS (qty - 1) VIRTUAL,
    "sum" BIGINT GENERATED ALWAYS AS (price + qty) STORED
);
-- [foreign keys off]
INSERT INTO "_migrate_new_items" ("id", "price", "qty", "doubled", "label", "tags", "addr") SELECT "id", "price", "qty", "doubled", "label", "tags", "addr" FROM "items";
-- [foreign keys off]
DROP TABLE "items";
-- [foreign keys off]
ALTER TABLE "_migrate_new_items" RENAME TO "items";
-- [foreign keys off]
DROP TABLE temp."_migrate_dependents";
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_fk_check" ("violations" INTEGER CONSTRAINT "no broken foreign keys after rebuilding items" CHECK ("violations" = 0));
-- [foreign keys off]
INSERT INTO "_migrate_fk_check" SELECT count(*) FROM (SELECT 1 FROM pragma_foreign_key_check('items'));
-- [foreign keys off]
DROP TABLE "_migrate_fk_check";

-- removed column 'items.sum'
ALTER TABLE "items" DROP COLUMN "sum";

-- removed column 'items.fewer'
ALTER TABLE "items" DROP COLUMN "fewer";

-- changed column 'items.tags': type per_database(postgres = varchar(20)[]; mysql = longtext; sqlite = blob) -> per_database(postgres = text[]; mysql = json; sqlite = text)
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents" AS SELECT type, name, sql FROM main.sqlite_master WHERE type IN ('view', 'trigger') AND sql IS NOT NULL AND (tbl_name = 'items' OR instr(lower(sql), lower('items')) > 0) ORDER BY rowid;
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents_guard" ("dependents" INTEGER CONSTRAINT "table items has views or triggers, which rebuilding it drops: run the revision with cargo migrate or the runtime (they keep them), or drop them in an SQL step before this change and create them again after it" CHECK ("dependents" = 0));
INSERT INTO "_migrate_dependents_guard" SELECT count(*) FROM temp."_migrate_dependents";
DROP TABLE "_migrate_dependents_guard";
-- [foreign keys off]
CREATE TABLE "_migrate_new_items" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_items" PRIMARY KEY AUTOINCREMENT,
    "price" INTEGER NOT NULL DEFAULT 0,
    "qty" INTEGER NOT NULL DEFAULT 1,
    "total" BIGINT GENERATED ALWAYS AS (price * qty + 1) STORED,
    "doubled" INTEGER,
    "label" VARCHAR(40) COLLATE RTRIM NOT NULL,
    "shout" VARCHAR(41) GENERATED ALWAYS AS (label || '!') STORED,
    "tags" text,
    "addr" text
);
-- [foreign keys off]
INSERT INTO "_migrate_new_items" ("id", "price", "qty", "doubled", "label", "tags", "addr") SELECT "id", "price", "qty", "doubled", "label", CAST("tags" AS text), "addr" FROM "items";
-- [foreign keys off]
DROP TABLE "items";
-- [foreign keys off]
ALTER TABLE "_migrate_new_items" RENAME TO "items";
-- [foreign keys off]
DROP TABLE temp."_migrate_dependents";
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_fk_check" ("violations" INTEGER CONSTRAINT "no broken foreign keys after rebuilding items" CHECK ("violations" = 0));
-- [foreign keys off]
INSERT INTO "_migrate_fk_check" SELECT count(*) FROM (SELECT 1 FROM pragma_foreign_key_check('items'));
-- [foreign keys off]
DROP TABLE "_migrate_fk_check";

-- changed column 'items.label': collation (postgres = POSIX; mysql = latin1_general_cs; sqlite = RTRIM) -> (postgres = C; mysql = utf8mb4_unicode_ci; sqlite = NOCASE)
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents" AS SELECT type, name, sql FROM main.sqlite_master WHERE type IN ('view', 'trigger') AND sql IS NOT NULL AND (tbl_name = 'items' OR instr(lower(sql), lower('items')) > 0) ORDER BY rowid;
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents_guard" ("dependents" INTEGER CONSTRAINT "table items has views or triggers, which rebuilding it drops: run the revision with cargo migrate or the runtime (they keep them), or drop them in an SQL step before this change and create them again after it" CHECK ("dependents" = 0));
INSERT INTO "_migrate_dependents_guard" SELECT count(*) FROM temp."_migrate_dependents";
DROP TABLE "_migrate_dependents_guard";
-- [foreign keys off]
CREATE TABLE "_migrate_new_items" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_items" PRIMARY KEY AUTOINCREMENT,
    "price" INTEGER NOT NULL DEFAULT 0,
    "qty" INTEGER NOT NULL DEFAULT 1,
    "total" BIGINT GENERATED ALWAYS AS (price * qty + 1) STORED,
    "doubled" INTEGER,
    "label" VARCHAR(40) COLLATE NOCASE NOT NULL,
    "shout" VARCHAR(41) GENERATED ALWAYS AS (label || '!') STORED,
    "tags" text,
    "addr" text
);
-- [foreign keys off]
INSERT INTO "_migrate_new_items" ("id", "price", "qty", "doubled", "label", "tags", "addr") SELECT "id", "price", "qty", "doubled", "label", "tags", "addr" FROM "items";
-- [foreign keys off]
DROP TABLE "items";
-- [foreign keys off]
ALTER TABLE "_migrate_new_items" RENAME TO "items";
-- [foreign keys off]
DROP TABLE temp."_migrate_dependents";
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_fk_check" ("violations" INTEGER CONSTRAINT "no broken foreign keys after rebuilding items" CHECK ("violations" = 0));
-- [foreign keys off]
INSERT INTO "_migrate_fk_check" SELECT count(*) FROM (SELECT 1 FROM pragma_foreign_key_check('items'));
-- [foreign keys off]
DROP TABLE "_migrate_fk_check";

-- changed column 'items.doubled': not generated -> generated virtual (qty * 2)
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents" AS SELECT type, name, sql FROM main.sqlite_master WHERE type IN ('view', 'trigger') AND sql IS NOT NULL AND (tbl_name = 'items' OR instr(lower(sql), lower('items')) > 0) ORDER BY rowid;
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents_guard" ("dependents" INTEGER CONSTRAINT "table items has views or triggers, which rebuilding it drops: run the revision with cargo migrate or the runtime (they keep them), or drop them in an SQL step before this change and create them again after it" CHECK ("dependents" = 0));
INSERT INTO "_migrate_dependents_guard" SELECT count(*) FROM temp."_migrate_dependents";
DROP TABLE "_migrate_dependents_guard";
-- [foreign keys off]
CREATE TABLE "_migrate_new_items" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_items" PRIMARY KEY AUTOINCREMENT,
    "price" INTEGER NOT NULL DEFAULT 0,
    "qty" INTEGER NOT NULL DEFAULT 1,
    "total" BIGINT GENERATED ALWAYS AS (price * qty + 1) STORED,
    "doubled" INTEGER GENERATED ALWAYS AS (qty * 2) VIRTUAL,
    "label" VARCHAR(40) COLLATE NOCASE NOT NULL,
    "shout" VARCHAR(41) GENERATED ALWAYS AS (label || '!') STORED,
    "tags" text,
    "addr" text
);
-- [foreign keys off]
INSERT INTO "_migrate_new_items" ("id", "price", "qty", "label", "tags", "addr") SELECT "id", "price", "qty", "label", "tags", "addr" FROM "items";
-- [foreign keys off]
DROP TABLE "items";
-- [foreign keys off]
ALTER TABLE "_migrate_new_items" RENAME TO "items";
-- [foreign keys off]
DROP TABLE temp."_migrate_dependents";
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_fk_check" ("violations" INTEGER CONSTRAINT "no broken foreign keys after rebuilding items" CHECK ("violations" = 0));
-- [foreign keys off]
INSERT INTO "_migrate_fk_check" SELECT count(*) FROM (SELECT 1 FROM pragma_foreign_key_check('items'));
-- [foreign keys off]
DROP TABLE "_migrate_fk_check";

-- changed column 'items.total': generated stored (price * qty + 1) -> generated stored (price * qty)
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents" AS SELECT type, name, sql FROM main.sqlite_master WHERE type IN ('view', 'trigger') AND sql IS NOT NULL AND (tbl_name = 'items' OR instr(lower(sql), lower('items')) > 0) ORDER BY rowid;
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents_guard" ("dependents" INTEGER CONSTRAINT "table items has views or triggers, which rebuilding it drops: run the revision with cargo migrate or the runtime (they keep them), or drop them in an SQL step before this change and create them again after it" CHECK ("dependents" = 0));
INSERT INTO "_migrate_dependents_guard" SELECT count(*) FROM temp."_migrate_dependents";
DROP TABLE "_migrate_dependents_guard";
-- [foreign keys off]
CREATE TABLE "_migrate_new_items" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_items" PRIMARY KEY AUTOINCREMENT,
    "price" INTEGER NOT NULL DEFAULT 0,
    "qty" INTEGER NOT NULL DEFAULT 1,
    "total" BIGINT GENERATED ALWAYS AS (price * qty) STORED,
    "doubled" INTEGER GENERATED ALWAYS AS (qty * 2) VIRTUAL,
    "label" VARCHAR(40) COLLATE NOCASE NOT NULL,
    "shout" VARCHAR(41) GENERATED ALWAYS AS (label || '!') STORED,
    "tags" text,
    "addr" text
);
-- [foreign keys off]
INSERT INTO "_migrate_new_items" ("id", "price", "qty", "label", "tags", "addr") SELECT "id", "price", "qty", "label", "tags", "addr" FROM "items";
-- [foreign keys off]
DROP TABLE "items";
-- [foreign keys off]
ALTER TABLE "_migrate_new_items" RENAME TO "items";
-- [foreign keys off]
DROP TABLE temp."_migrate_dependents";
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_fk_check" ("violations" INTEGER CONSTRAINT "no broken foreign keys after rebuilding items" CHECK ("violations" = 0));
-- [foreign keys off]
INSERT INTO "_migrate_fk_check" SELECT count(*) FROM (SELECT 1 FROM pragma_foreign_key_check('items'));
-- [foreign keys off]
DROP TABLE "_migrate_fk_check";

