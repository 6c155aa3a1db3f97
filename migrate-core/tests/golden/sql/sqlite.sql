-- added table 'user'
CREATE TABLE "user" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_user" PRIMARY KEY AUTOINCREMENT,
    "Mixed Case" VARCHAR(50) NOT NULL DEFAULT 'it''s',
    "naïve" TEXT
);
CREATE INDEX "ix_user_Mixed Case" ON "user" ("Mixed Case");

-- added table 'order'
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

-- added column 'order.note'
ALTER TABLE "order" ADD COLUMN "note" VARCHAR(100) DEFAULT 'n/a';

-- added column 'order.created_at'
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents" AS SELECT type, name, sql FROM main.sqlite_master WHERE type IN ('view', 'trigger') AND sql IS NOT NULL AND (tbl_name = 'order' OR instr(lower(sql), lower('order')) > 0) ORDER BY rowid;
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents_guard" ("dependents" INTEGER CONSTRAINT "table order has views or triggers, which rebuilding it drops: run the revision with cargo migrate or the runtime (they keep them), or drop them in an SQL step before this change and create them again after it" CHECK ("dependents" = 0));
INSERT INTO "_migrate_dependents_guard" SELECT count(*) FROM temp."_migrate_dependents";
DROP TABLE "_migrate_dependents_guard";
-- [foreign keys off]
CREATE TABLE "_migrate_new_order" (
    "id" INTEGER NOT NULL,
    "user_id" BIGINT,
    "qty" INTEGER NOT NULL DEFAULT 0,
    "select" BOOLEAN NOT NULL DEFAULT false,
    "note" VARCHAR(100) DEFAULT 'n/a',
    "created_at" TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "pk_order" PRIMARY KEY ("id"),
    CONSTRAINT "fk_order_user_id_user" FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE CASCADE,
    CONSTRAINT "ck_order_qty" CHECK (qty >= 0)
);
-- [foreign keys off]
INSERT INTO "_migrate_new_order" ("id", "user_id", "qty", "select", "note") SELECT "id", "user_id", "qty", "select", "note" FROM "order";
-- [foreign keys off]
DROP TABLE "order";
-- [foreign keys off]
ALTER TABLE "_migrate_new_order" RENAME TO "order";
-- [foreign keys off]
CREATE INDEX "ix_order_user_id" ON "order" ("user_id");
-- [foreign keys off]
DROP TABLE temp."_migrate_dependents";
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_fk_check" ("violations" INTEGER CONSTRAINT "no broken foreign keys after rebuilding order" CHECK ("violations" = 0));
-- [foreign keys off]
INSERT INTO "_migrate_fk_check" SELECT count(*) FROM (SELECT 1 FROM pragma_foreign_key_check('order'));
-- [foreign keys off]
DROP TABLE "_migrate_fk_check";

-- changed column 'order.qty': type integer -> bigint, default 0 -> 1
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents" AS SELECT type, name, sql FROM main.sqlite_master WHERE type IN ('view', 'trigger') AND sql IS NOT NULL AND (tbl_name = 'order' OR instr(lower(sql), lower('order')) > 0) ORDER BY rowid;
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents_guard" ("dependents" INTEGER CONSTRAINT "table order has views or triggers, which rebuilding it drops: run the revision with cargo migrate or the runtime (they keep them), or drop them in an SQL step before this change and create them again after it" CHECK ("dependents" = 0));
INSERT INTO "_migrate_dependents_guard" SELECT count(*) FROM temp."_migrate_dependents";
DROP TABLE "_migrate_dependents_guard";
-- [foreign keys off]
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
-- [foreign keys off]
INSERT INTO "_migrate_new_order" ("id", "user_id", "qty", "select", "note", "created_at") SELECT "id", "user_id", CAST("qty" AS BIGINT), "select", "note", "created_at" FROM "order";
-- [foreign keys off]
DROP TABLE "order";
-- [foreign keys off]
ALTER TABLE "_migrate_new_order" RENAME TO "order";
-- [foreign keys off]
CREATE INDEX "ix_order_user_id" ON "order" ("user_id");
-- [foreign keys off]
DROP TABLE temp."_migrate_dependents";
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_fk_check" ("violations" INTEGER CONSTRAINT "no broken foreign keys after rebuilding order" CHECK ("violations" = 0));
-- [foreign keys off]
INSERT INTO "_migrate_fk_check" SELECT count(*) FROM (SELECT 1 FROM pragma_foreign_key_check('order'));
-- [foreign keys off]
DROP TABLE "_migrate_fk_check";

-- changed column 'user.Mixed Case': type varchar(50) -> varchar(80), now nullable
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents" AS SELECT type, name, sql FROM main.sqlite_master WHERE type IN ('view', 'trigger') AND sql IS NOT NULL AND (tbl_name = 'user' OR instr(lower(sql), lower('user')) > 0) ORDER BY rowid;
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents_guard" ("dependents" INTEGER CONSTRAINT "table user has views or triggers, which rebuilding it drops: run the revision with cargo migrate or the runtime (they keep them), or drop them in an SQL step before this change and create them again after it" CHECK ("dependents" = 0));
INSERT INTO "_migrate_dependents_guard" SELECT count(*) FROM temp."_migrate_dependents";
DROP TABLE "_migrate_dependents_guard";
-- [foreign keys off]
CREATE TABLE "_migrate_new_user" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_user" PRIMARY KEY AUTOINCREMENT,
    "Mixed Case" VARCHAR(80) DEFAULT 'it''s',
    "naïve" TEXT
);
-- [foreign keys off]
INSERT INTO "_migrate_new_user" ("id", "Mixed Case", "naïve") SELECT "id", CAST("Mixed Case" AS VARCHAR(80)), "naïve" FROM "user";
-- [foreign keys off]
DROP TABLE "user";
-- [foreign keys off]
ALTER TABLE "_migrate_new_user" RENAME TO "user";
-- [foreign keys off]
CREATE INDEX "ix_user_Mixed Case" ON "user" ("Mixed Case");
-- [foreign keys off]
DROP TABLE temp."_migrate_dependents";
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_fk_check" ("violations" INTEGER CONSTRAINT "no broken foreign keys after rebuilding user" CHECK ("violations" = 0));
-- [foreign keys off]
INSERT INTO "_migrate_fk_check" SELECT count(*) FROM (SELECT 1 FROM pragma_foreign_key_check('user') UNION ALL SELECT 1 FROM pragma_foreign_key_check('order'));
-- [foreign keys off]
DROP TABLE "_migrate_fk_check";

-- renamed column 'order.note' to 'order.remark'
ALTER TABLE "order" RENAME COLUMN "note" TO "remark";

-- added unique constraint 'uq_user_Mixed Case' on 'user'(Mixed Case)
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents" AS SELECT type, name, sql FROM main.sqlite_master WHERE type IN ('view', 'trigger') AND sql IS NOT NULL AND (tbl_name = 'user' OR instr(lower(sql), lower('user')) > 0) ORDER BY rowid;
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents_guard" ("dependents" INTEGER CONSTRAINT "table user has views or triggers, which rebuilding it drops: run the revision with cargo migrate or the runtime (they keep them), or drop them in an SQL step before this change and create them again after it" CHECK ("dependents" = 0));
INSERT INTO "_migrate_dependents_guard" SELECT count(*) FROM temp."_migrate_dependents";
DROP TABLE "_migrate_dependents_guard";
-- [foreign keys off]
CREATE TABLE "_migrate_new_user" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_user" PRIMARY KEY AUTOINCREMENT,
    "Mixed Case" VARCHAR(80) DEFAULT 'it''s',
    "naïve" TEXT,
    CONSTRAINT "uq_user_Mixed Case" UNIQUE ("Mixed Case")
);
-- [foreign keys off]
INSERT INTO "_migrate_new_user" ("id", "Mixed Case", "naïve") SELECT "id", "Mixed Case", "naïve" FROM "user";
-- [foreign keys off]
DROP TABLE "user";
-- [foreign keys off]
ALTER TABLE "_migrate_new_user" RENAME TO "user";
-- [foreign keys off]
CREATE INDEX "ix_user_Mixed Case" ON "user" ("Mixed Case");
-- [foreign keys off]
DROP TABLE temp."_migrate_dependents";
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_fk_check" ("violations" INTEGER CONSTRAINT "no broken foreign keys after rebuilding user" CHECK ("violations" = 0));
-- [foreign keys off]
INSERT INTO "_migrate_fk_check" SELECT count(*) FROM (SELECT 1 FROM pragma_foreign_key_check('user') UNION ALL SELECT 1 FROM pragma_foreign_key_check('order'));
-- [foreign keys off]
DROP TABLE "_migrate_fk_check";

-- removed unique constraint 'uq_user_Mixed Case' on 'user'
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents" AS SELECT type, name, sql FROM main.sqlite_master WHERE type IN ('view', 'trigger') AND sql IS NOT NULL AND (tbl_name = 'user' OR instr(lower(sql), lower('user')) > 0) ORDER BY rowid;
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents_guard" ("dependents" INTEGER CONSTRAINT "table user has views or triggers, which rebuilding it drops: run the revision with cargo migrate or the runtime (they keep them), or drop them in an SQL step before this change and create them again after it" CHECK ("dependents" = 0));
INSERT INTO "_migrate_dependents_guard" SELECT count(*) FROM temp."_migrate_dependents";
DROP TABLE "_migrate_dependents_guard";
-- [foreign keys off]
CREATE TABLE "_migrate_new_user" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_user" PRIMARY KEY AUTOINCREMENT,
    "Mixed Case" VARCHAR(80) DEFAULT 'it''s',
    "naïve" TEXT
);
-- [foreign keys off]
INSERT INTO "_migrate_new_user" ("id", "Mixed Case", "naïve") SELECT "id", "Mixed Case", "naïve" FROM "user";
-- [foreign keys off]
DROP TABLE "user";
-- [foreign keys off]
ALTER TABLE "_migrate_new_user" RENAME TO "user";
-- [foreign keys off]
CREATE INDEX "ix_user_Mixed Case" ON "user" ("Mixed Case");
-- [foreign keys off]
DROP TABLE temp."_migrate_dependents";
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_fk_check" ("violations" INTEGER CONSTRAINT "no broken foreign keys after rebuilding user" CHECK ("violations" = 0));
-- [foreign keys off]
INSERT INTO "_migrate_fk_check" SELECT count(*) FROM (SELECT 1 FROM pragma_foreign_key_check('user') UNION ALL SELECT 1 FROM pragma_foreign_key_check('order'));
-- [foreign keys off]
DROP TABLE "_migrate_fk_check";

-- added index 'ix_order_qty' on 'order'
CREATE INDEX "ix_order_qty" ON "order" ("qty" DESC);

-- removed index 'ix_order_qty' on 'order'
DROP INDEX "ix_order_qty";

-- added check 'ck_order_user_id' on 'order'
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents" AS SELECT type, name, sql FROM main.sqlite_master WHERE type IN ('view', 'trigger') AND sql IS NOT NULL AND (tbl_name = 'order' OR instr(lower(sql), lower('order')) > 0) ORDER BY rowid;
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents_guard" ("dependents" INTEGER CONSTRAINT "table order has views or triggers, which rebuilding it drops: run the revision with cargo migrate or the runtime (they keep them), or drop them in an SQL step before this change and create them again after it" CHECK ("dependents" = 0));
INSERT INTO "_migrate_dependents_guard" SELECT count(*) FROM temp."_migrate_dependents";
DROP TABLE "_migrate_dependents_guard";
-- [foreign keys off]
CREATE TABLE "_migrate_new_order" (
    "id" INTEGER NOT NULL,
    "user_id" BIGINT,
    "qty" BIGINT NOT NULL DEFAULT 1,
    "select" BOOLEAN NOT NULL DEFAULT false,
    "remark" VARCHAR(100) DEFAULT 'n/a',
    "created_at" TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "pk_order" PRIMARY KEY ("id"),
    CONSTRAINT "fk_order_user_id_user" FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE CASCADE,
    CONSTRAINT "ck_order_qty" CHECK (qty >= 0),
    CONSTRAINT "ck_order_user_id" CHECK (user_id > 0)
);
-- [foreign keys off]
INSERT INTO "_migrate_new_order" ("id", "user_id", "qty", "select", "remark", "created_at") SELECT "id", "user_id", "qty", "select", "remark", "created_at" FROM "order";
-- [foreign keys off]
DROP TABLE "order";
-- [foreign keys off]
ALTER TABLE "_migrate_new_order" RENAME TO "order";
-- [foreign keys off]
CREATE INDEX "ix_order_user_id" ON "order" ("user_id");
-- [foreign keys off]
DROP TABLE temp."_migrate_dependents";
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_fk_check" ("violations" INTEGER CONSTRAINT "no broken foreign keys after rebuilding order" CHECK ("violations" = 0));
-- [foreign keys off]
INSERT INTO "_migrate_fk_check" SELECT count(*) FROM (SELECT 1 FROM pragma_foreign_key_check('order'));
-- [foreign keys off]
DROP TABLE "_migrate_fk_check";

-- removed check 'ck_order_user_id' on 'order'
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents" AS SELECT type, name, sql FROM main.sqlite_master WHERE type IN ('view', 'trigger') AND sql IS NOT NULL AND (tbl_name = 'order' OR instr(lower(sql), lower('order')) > 0) ORDER BY rowid;
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents_guard" ("dependents" INTEGER CONSTRAINT "table order has views or triggers, which rebuilding it drops: run the revision with cargo migrate or the runtime (they keep them), or drop them in an SQL step before this change and create them again after it" CHECK ("dependents" = 0));
INSERT INTO "_migrate_dependents_guard" SELECT count(*) FROM temp."_migrate_dependents";
DROP TABLE "_migrate_dependents_guard";
-- [foreign keys off]
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
-- [foreign keys off]
INSERT INTO "_migrate_new_order" ("id", "user_id", "qty", "select", "remark", "created_at") SELECT "id", "user_id", "qty", "select", "remark", "created_at" FROM "order";
-- [foreign keys off]
DROP TABLE "order";
-- [foreign keys off]
ALTER TABLE "_migrate_new_order" RENAME TO "order";
-- [foreign keys off]
CREATE INDEX "ix_order_user_id" ON "order" ("user_id");
-- [foreign keys off]
DROP TABLE temp."_migrate_dependents";
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_fk_check" ("violations" INTEGER CONSTRAINT "no broken foreign keys after rebuilding order" CHECK ("violations" = 0));
-- [foreign keys off]
INSERT INTO "_migrate_fk_check" SELECT count(*) FROM (SELECT 1 FROM pragma_foreign_key_check('order'));
-- [foreign keys off]
DROP TABLE "_migrate_fk_check";

-- removed foreign key 'fk_order_user_id_user' on 'order'
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents" AS SELECT type, name, sql FROM main.sqlite_master WHERE type IN ('view', 'trigger') AND sql IS NOT NULL AND (tbl_name = 'order' OR instr(lower(sql), lower('order')) > 0) ORDER BY rowid;
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents_guard" ("dependents" INTEGER CONSTRAINT "table order has views or triggers, which rebuilding it drops: run the revision with cargo migrate or the runtime (they keep them), or drop them in an SQL step before this change and create them again after it" CHECK ("dependents" = 0));
INSERT INTO "_migrate_dependents_guard" SELECT count(*) FROM temp."_migrate_dependents";
DROP TABLE "_migrate_dependents_guard";
-- [foreign keys off]
CREATE TABLE "_migrate_new_order" (
    "id" INTEGER NOT NULL,
    "user_id" BIGINT,
    "qty" BIGINT NOT NULL DEFAULT 1,
    "select" BOOLEAN NOT NULL DEFAULT false,
    "remark" VARCHAR(100) DEFAULT 'n/a',
    "created_at" TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "pk_order" PRIMARY KEY ("id"),
    CONSTRAINT "ck_order_qty" CHECK (qty >= 0)
);
-- [foreign keys off]
INSERT INTO "_migrate_new_order" ("id", "user_id", "qty", "select", "remark", "created_at") SELECT "id", "user_id", "qty", "select", "remark", "created_at" FROM "order";
-- [foreign keys off]
DROP TABLE "order";
-- [foreign keys off]
ALTER TABLE "_migrate_new_order" RENAME TO "order";
-- [foreign keys off]
CREATE INDEX "ix_order_user_id" ON "order" ("user_id");
-- [foreign keys off]
DROP TABLE temp."_migrate_dependents";
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_fk_check" ("violations" INTEGER CONSTRAINT "no broken foreign keys after rebuilding order" CHECK ("violations" = 0));
-- [foreign keys off]
INSERT INTO "_migrate_fk_check" SELECT count(*) FROM (SELECT 1 FROM pragma_foreign_key_check('order'));
-- [foreign keys off]
DROP TABLE "_migrate_fk_check";

-- added foreign key 'fk_order_user_id_user' on 'order'(user_id) -> 'user'
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents" AS SELECT type, name, sql FROM main.sqlite_master WHERE type IN ('view', 'trigger') AND sql IS NOT NULL AND (tbl_name = 'order' OR instr(lower(sql), lower('order')) > 0) ORDER BY rowid;
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents_guard" ("dependents" INTEGER CONSTRAINT "table order has views or triggers, which rebuilding it drops: run the revision with cargo migrate or the runtime (they keep them), or drop them in an SQL step before this change and create them again after it" CHECK ("dependents" = 0));
INSERT INTO "_migrate_dependents_guard" SELECT count(*) FROM temp."_migrate_dependents";
DROP TABLE "_migrate_dependents_guard";
-- [foreign keys off]
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
-- [foreign keys off]
INSERT INTO "_migrate_new_order" ("id", "user_id", "qty", "select", "remark", "created_at") SELECT "id", "user_id", "qty", "select", "remark", "created_at" FROM "order";
-- [foreign keys off]
DROP TABLE "order";
-- [foreign keys off]
ALTER TABLE "_migrate_new_order" RENAME TO "order";
-- [foreign keys off]
CREATE INDEX "ix_order_user_id" ON "order" ("user_id");
-- [foreign keys off]
DROP TABLE temp."_migrate_dependents";
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_fk_check" ("violations" INTEGER CONSTRAINT "no broken foreign keys after rebuilding order" CHECK ("violations" = 0));
-- [foreign keys off]
INSERT INTO "_migrate_fk_check" SELECT count(*) FROM (SELECT 1 FROM pragma_foreign_key_check('order'));
-- [foreign keys off]
DROP TABLE "_migrate_fk_check";

-- changed comment of table 'user'
-- (nothing to do on this database)

-- changed comment of column 'user.naïve'
-- (nothing to do on this database)

-- added table 'select'
CREATE TABLE "select" (
    "id" INTEGER NOT NULL,
    "val" TEXT
);

-- added primary key 'pk_select' on 'select'(id)
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents" AS SELECT type, name, sql FROM main.sqlite_master WHERE type IN ('view', 'trigger') AND sql IS NOT NULL AND (tbl_name = 'select' OR instr(lower(sql), lower('select')) > 0) ORDER BY rowid;
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents_guard" ("dependents" INTEGER CONSTRAINT "table select has views or triggers, which rebuilding it drops: run the revision with cargo migrate or the runtime (they keep them), or drop them in an SQL step before this change and create them again after it" CHECK ("dependents" = 0));
INSERT INTO "_migrate_dependents_guard" SELECT count(*) FROM temp."_migrate_dependents";
DROP TABLE "_migrate_dependents_guard";
-- [foreign keys off]
CREATE TABLE "_migrate_new_select" (
    "id" INTEGER NOT NULL,
    "val" TEXT,
    CONSTRAINT "pk_select" PRIMARY KEY ("id")
);
-- [foreign keys off]
INSERT INTO "_migrate_new_select" ("id", "val") SELECT "id", "val" FROM "select";
-- [foreign keys off]
DROP TABLE "select";
-- [foreign keys off]
ALTER TABLE "_migrate_new_select" RENAME TO "select";
-- [foreign keys off]
DROP TABLE temp."_migrate_dependents";
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_fk_check" ("violations" INTEGER CONSTRAINT "no broken foreign keys after rebuilding select" CHECK ("violations" = 0));
-- [foreign keys off]
INSERT INTO "_migrate_fk_check" SELECT count(*) FROM (SELECT 1 FROM pragma_foreign_key_check('select'));
-- [foreign keys off]
DROP TABLE "_migrate_fk_check";

-- added column 'select.code'
ALTER TABLE "select" ADD COLUMN "code" VARCHAR(10);

-- added unique index 'ix_select_code' on 'select'
CREATE UNIQUE INDEX "ix_select_code" ON "select" ("code");

-- removed index 'ix_select_code' on 'select'
DROP INDEX "ix_select_code";

-- removed column 'select.code'
ALTER TABLE "select" DROP COLUMN "code";

-- removed primary key 'pk_select' on 'select'
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents" AS SELECT type, name, sql FROM main.sqlite_master WHERE type IN ('view', 'trigger') AND sql IS NOT NULL AND (tbl_name = 'select' OR instr(lower(sql), lower('select')) > 0) ORDER BY rowid;
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents_guard" ("dependents" INTEGER CONSTRAINT "table select has views or triggers, which rebuilding it drops: run the revision with cargo migrate or the runtime (they keep them), or drop them in an SQL step before this change and create them again after it" CHECK ("dependents" = 0));
INSERT INTO "_migrate_dependents_guard" SELECT count(*) FROM temp."_migrate_dependents";
DROP TABLE "_migrate_dependents_guard";
-- [foreign keys off]
CREATE TABLE "_migrate_new_select" (
    "id" INTEGER NOT NULL,
    "val" TEXT
);
-- [foreign keys off]
INSERT INTO "_migrate_new_select" ("id", "val") SELECT "id", "val" FROM "select";
-- [foreign keys off]
DROP TABLE "select";
-- [foreign keys off]
ALTER TABLE "_migrate_new_select" RENAME TO "select";
-- [foreign keys off]
DROP TABLE temp."_migrate_dependents";
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_fk_check" ("violations" INTEGER CONSTRAINT "no broken foreign keys after rebuilding select" CHECK ("violations" = 0));
-- [foreign keys off]
INSERT INTO "_migrate_fk_check" SELECT count(*) FROM (SELECT 1 FROM pragma_foreign_key_check('select'));
-- [foreign keys off]
DROP TABLE "_migrate_fk_check";

-- removed column 'order.remark'
ALTER TABLE "order" DROP COLUMN "remark";

-- renamed table 'select' to 'sélection'
ALTER TABLE "select" RENAME TO "sélection";

-- raw SQL: UPDATE "order" SET qty = qty + 1
UPDATE "order" SET qty = qty + 1;

-- raw SQL: SELECT 1
-- [outside transaction]
SELECT 1;

-- removed table 'sélection'
DROP TABLE "sélection";

