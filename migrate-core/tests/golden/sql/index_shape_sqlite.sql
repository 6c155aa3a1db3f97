-- added table 'account'
CREATE TABLE "account" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_account" PRIMARY KEY AUTOINCREMENT,
    "email" VARCHAR(200) NOT NULL,
    "tenant_id" INTEGER NOT NULL,
    "deleted_at" TIMESTAMP,
    "bio" TEXT,
    "tags" TEXT
);
CREATE UNIQUE INDEX "ix_account_live_email" ON "account" ("email") WHERE deleted_at IS NULL;

-- added table 'member'
CREATE TABLE "member" (
    "id" INTEGER NOT NULL,
    "account_id" BIGINT NOT NULL,
    CONSTRAINT "pk_member" PRIMARY KEY ("id"),
    CONSTRAINT "fk_member_account_id_account" FOREIGN KEY ("account_id") REFERENCES "account" ("id") ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED
);

-- removed index 'ix_account_live_email' on 'account'
DROP INDEX "ix_account_live_email";

-- added unique index 'ix_account_live_email' on 'account'
CREATE UNIQUE INDEX "ix_account_live_email" ON "account" ("email") WHERE deleted_at IS NULL AND tenant_id > 0;

-- added index 'ix_account_email_lower' on 'account'
CREATE INDEX "ix_account_email_lower" ON "account" ("tenant_id", (lower(email)));

-- removed foreign key 'fk_member_account_id_account' on 'member'
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents" AS SELECT type, name, sql FROM main.sqlite_master WHERE type IN ('view', 'trigger') AND sql IS NOT NULL AND (tbl_name = 'member' OR instr(lower(sql), lower('member')) > 0) ORDER BY rowid;
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents_guard" ("dependents" INTEGER CONSTRAINT "table member has views or triggers, which rebuilding it drops: run the revision with cargo migrate or the runtime (they keep them), or drop them in an SQL step before this change and create them again after it" CHECK ("dependents" = 0));
INSERT INTO "_migrate_dependents_guard" SELECT count(*) FROM temp."_migrate_dependents";
DROP TABLE "_migrate_dependents_guard";
-- [foreign keys off]
CREATE TABLE "_migrate_new_member" (
    "id" INTEGER NOT NULL,
    "account_id" BIGINT NOT NULL,
    CONSTRAINT "pk_member" PRIMARY KEY ("id")
);
-- [foreign keys off]
INSERT INTO "_migrate_new_member" ("id", "account_id") SELECT "id", "account_id" FROM "member";
-- [foreign keys off]
DROP TABLE "member";
-- [foreign keys off]
ALTER TABLE "_migrate_new_member" RENAME TO "member";
-- [foreign keys off]
DROP TABLE temp."_migrate_dependents";
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_fk_check" ("violations" INTEGER CONSTRAINT "no broken foreign keys after rebuilding member" CHECK ("violations" = 0));
-- [foreign keys off]
INSERT INTO "_migrate_fk_check" SELECT count(*) FROM (SELECT 1 FROM pragma_foreign_key_check('member'));
-- [foreign keys off]
DROP TABLE "_migrate_fk_check";

-- added foreign key 'fk_member_account_id_account' on 'member'(account_id) -> 'account'
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents" AS SELECT type, name, sql FROM main.sqlite_master WHERE type IN ('view', 'trigger') AND sql IS NOT NULL AND (tbl_name = 'member' OR instr(lower(sql), lower('member')) > 0) ORDER BY rowid;
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents_guard" ("dependents" INTEGER CONSTRAINT "table member has views or triggers, which rebuilding it drops: run the revision with cargo migrate or the runtime (they keep them), or drop them in an SQL step before this change and create them again after it" CHECK ("dependents" = 0));
INSERT INTO "_migrate_dependents_guard" SELECT count(*) FROM temp."_migrate_dependents";
DROP TABLE "_migrate_dependents_guard";
-- [foreign keys off]
CREATE TABLE "_migrate_new_member" (
    "id" INTEGER NOT NULL,
    "account_id" BIGINT NOT NULL,
    CONSTRAINT "pk_member" PRIMARY KEY ("id"),
    CONSTRAINT "fk_member_account_id_account" FOREIGN KEY ("account_id") REFERENCES "account" ("id") ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE
);
-- [foreign keys off]
INSERT INTO "_migrate_new_member" ("id", "account_id") SELECT "id", "account_id" FROM "member";
-- [foreign keys off]
DROP TABLE "member";
-- [foreign keys off]
ALTER TABLE "_migrate_new_member" RENAME TO "member";
-- [foreign keys off]
DROP TABLE temp."_migrate_dependents";
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_fk_check" ("violations" INTEGER CONSTRAINT "no broken foreign keys after rebuilding member" CHECK ("violations" = 0));
-- [foreign keys off]
INSERT INTO "_migrate_fk_check" SELECT count(*) FROM (SELECT 1 FROM pragma_foreign_key_check('member'));
-- [foreign keys off]
DROP TABLE "_migrate_fk_check";

-- changed column 'account.tenant_id': type integer -> bigint
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents" AS SELECT type, name, sql FROM main.sqlite_master WHERE type IN ('view', 'trigger') AND sql IS NOT NULL AND (tbl_name = 'account' OR instr(lower(sql), lower('account')) > 0) ORDER BY rowid;
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents_guard" ("dependents" INTEGER CONSTRAINT "table account has views or triggers, which rebuilding it drops: run the revision with cargo migrate or the runtime (they keep them), or drop them in an SQL step before this change and create them again after it" CHECK ("dependents" = 0));
INSERT INTO "_migrate_dependents_guard" SELECT count(*) FROM temp."_migrate_dependents";
DROP TABLE "_migrate_dependents_guard";
-- [foreign keys off]
CREATE TABLE "_migrate_new_account" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_account" PRIMARY KEY AUTOINCREMENT,
    "email" VARCHAR(200) NOT NULL,
    "tenant_id" BIGINT NOT NULL,
    "deleted_at" TIMESTAMP,
    "bio" TEXT,
    "tags" TEXT
);
-- [foreign keys off]
INSERT INTO "_migrate_new_account" ("id", "email", "tenant_id", "deleted_at", "bio", "tags") SELECT "id", "email", CAST("tenant_id" AS BIGINT), "deleted_at", "bio", "tags" FROM "account";
-- [foreign keys off]
DROP TABLE "account";
-- [foreign keys off]
ALTER TABLE "_migrate_new_account" RENAME TO "account";
-- [foreign keys off]
CREATE UNIQUE INDEX "ix_account_live_email" ON "account" ("email") WHERE deleted_at IS NULL AND tenant_id > 0;
-- [foreign keys off]
CREATE INDEX "ix_account_email_lower" ON "account" ("tenant_id", (lower(email)));
-- [foreign keys off]
DROP TABLE temp."_migrate_dependents";
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_fk_check" ("violations" INTEGER CONSTRAINT "no broken foreign keys after rebuilding account" CHECK ("violations" = 0));
-- [foreign keys off]
INSERT INTO "_migrate_fk_check" SELECT count(*) FROM (SELECT 1 FROM pragma_foreign_key_check('account') UNION ALL SELECT 1 FROM pragma_foreign_key_check('member'));
-- [foreign keys off]
DROP TABLE "_migrate_fk_check";

