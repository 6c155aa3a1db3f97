-- added table 'counter'
CREATE TABLE "counter" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_counter" PRIMARY KEY AUTOINCREMENT CONSTRAINT "id_unsigned" CHECK ("id" >= 0 AND "id" <= 4294967295),
    "level" SMALLINT NOT NULL DEFAULT 1 CONSTRAINT "level_unsigned" CHECK ("level" >= 0 AND "level" <= 255),
    "hits" BIGINT DEFAULT 0 CONSTRAINT "hits_unsigned" CHECK ("hits" >= 0 AND "hits" <= 9223372036854775807)
);

-- added column 'counter.port'
ALTER TABLE "counter" ADD COLUMN "port" INTEGER CONSTRAINT "port_unsigned" CHECK ("port" >= 0 AND "port" <= 65535);

-- changed column 'counter.level': type tinyint unsigned -> smallint unsigned
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents" AS SELECT type, name, sql FROM main.sqlite_master WHERE type IN ('view', 'trigger') AND sql IS NOT NULL AND (tbl_name = 'counter' OR instr(lower(sql), lower('counter')) > 0) ORDER BY rowid;
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents_guard" ("dependents" INTEGER CONSTRAINT "table counter has views or triggers, which rebuilding it drops: run the revision with cargo migrate or the runtime (they keep them), or drop them in an SQL step before this change and create them again after it" CHECK ("dependents" = 0));
INSERT INTO "_migrate_dependents_guard" SELECT count(*) FROM temp."_migrate_dependents";
DROP TABLE "_migrate_dependents_guard";
-- [foreign keys off]
CREATE TABLE "_migrate_new_counter" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_counter" PRIMARY KEY AUTOINCREMENT CONSTRAINT "id_unsigned" CHECK ("id" >= 0 AND "id" <= 4294967295),
    "level" INTEGER NOT NULL DEFAULT 1 CONSTRAINT "level_unsigned" CHECK ("level" >= 0 AND "level" <= 65535),
    "hits" BIGINT DEFAULT 0 CONSTRAINT "hits_unsigned" CHECK ("hits" >= 0 AND "hits" <= 9223372036854775807),
    "port" INTEGER CONSTRAINT "port_unsigned" CHECK ("port" >= 0 AND "port" <= 65535)
);
-- [foreign keys off]
INSERT INTO "_migrate_new_counter" ("id", "level", "hits", "port") SELECT "id", CAST("level" AS INTEGER), "hits", "port" FROM "counter";
-- [foreign keys off]
DROP TABLE "counter";
-- [foreign keys off]
ALTER TABLE "_migrate_new_counter" RENAME TO "counter";
-- [foreign keys off]
DROP TABLE temp."_migrate_dependents";
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_fk_check" ("violations" INTEGER CONSTRAINT "no broken foreign keys after rebuilding counter" CHECK ("violations" = 0));
-- [foreign keys off]
INSERT INTO "_migrate_fk_check" SELECT count(*) FROM (SELECT 1 FROM pragma_foreign_key_check('counter'));
-- [foreign keys off]
DROP TABLE "_migrate_fk_check";

-- renamed column 'counter.level' to 'counter.tier'
ALTER TABLE "counter" RENAME COLUMN "level" TO "tier";

-- changed column 'counter.tier': type smallint unsigned -> bigint
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents" AS SELECT type, name, sql FROM main.sqlite_master WHERE type IN ('view', 'trigger') AND sql IS NOT NULL AND (tbl_name = 'counter' OR instr(lower(sql), lower('counter')) > 0) ORDER BY rowid;
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents_guard" ("dependents" INTEGER CONSTRAINT "table counter has views or triggers, which rebuilding it drops: run the revision with cargo migrate or the runtime (they keep them), or drop them in an SQL step before this change and create them again after it" CHECK ("dependents" = 0));
INSERT INTO "_migrate_dependents_guard" SELECT count(*) FROM temp."_migrate_dependents";
DROP TABLE "_migrate_dependents_guard";
-- [foreign keys off]
CREATE TABLE "_migrate_new_counter" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_counter" PRIMARY KEY AUTOINCREMENT CONSTRAINT "id_unsigned" CHECK ("id" >= 0 AND "id" <= 4294967295),
    "tier" BIGINT NOT NULL DEFAULT 1,
    "hits" BIGINT DEFAULT 0 CONSTRAINT "hits_unsigned" CHECK ("hits" >= 0 AND "hits" <= 9223372036854775807),
    "port" INTEGER CONSTRAINT "port_unsigned" CHECK ("port" >= 0 AND "port" <= 65535)
);
-- [foreign keys off]
INSERT INTO "_migrate_new_counter" ("id", "tier", "hits", "port") SELECT "id", CAST("tier" AS BIGINT), "hits", "port" FROM "counter";
-- [foreign keys off]
DROP TABLE "counter";
-- [foreign keys off]
ALTER TABLE "_migrate_new_counter" RENAME TO "counter";
-- [foreign keys off]
DROP TABLE temp."_migrate_dependents";
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_fk_check" ("violations" INTEGER CONSTRAINT "no broken foreign keys after rebuilding counter" CHECK ("violations" = 0));
-- [foreign keys off]
INSERT INTO "_migrate_fk_check" SELECT count(*) FROM (SELECT 1 FROM pragma_foreign_key_check('counter'));
-- [foreign keys off]
DROP TABLE "_migrate_fk_check";

-- removed column 'counter.port'
ALTER TABLE "counter" DROP COLUMN "port";

