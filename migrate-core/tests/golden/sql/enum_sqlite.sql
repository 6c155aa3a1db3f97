-- added enum 'mood' ('happy', 'sad', 'it''s ok')
-- (nothing to do on this database)

-- added table 'diary'
CREATE TABLE "diary" (
    "id" BIGINT NOT NULL,
    "today" TEXT NOT NULL DEFAULT 'happy' CONSTRAINT "today_enum" CHECK ("today" IN ('happy', 'sad', 'it''s ok')),
    "yesterday" TEXT CONSTRAINT "yesterday_enum" CHECK ("yesterday" IN ('happy', 'sad', 'it''s ok')),
    CONSTRAINT "pk_diary" PRIMARY KEY ("id")
);

-- changed enum 'mood': added 'calm', 'bored', 'angry'
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents" AS SELECT type, name, sql FROM main.sqlite_master WHERE type IN ('view', 'trigger') AND sql IS NOT NULL AND (tbl_name = 'diary' OR instr(lower(sql), lower('diary')) > 0) ORDER BY rowid;
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents_guard" ("dependents" INTEGER CONSTRAINT "table diary has views or triggers, which rebuilding it drops: run the revision with cargo migrate or the runtime (they keep them), or drop them in an SQL step before this change and create them again after it" CHECK ("dependents" = 0));
INSERT INTO "_migrate_dependents_guard" SELECT count(*) FROM temp."_migrate_dependents";
DROP TABLE "_migrate_dependents_guard";
-- [foreign keys off]
CREATE TABLE "_migrate_new_diary" (
    "id" BIGINT NOT NULL,
    "today" TEXT NOT NULL DEFAULT 'happy' CONSTRAINT "today_enum" CHECK ("today" IN ('calm', 'happy', 'bored', 'sad', 'it''s ok', 'angry')),
    "yesterday" TEXT CONSTRAINT "yesterday_enum" CHECK ("yesterday" IN ('calm', 'happy', 'bored', 'sad', 'it''s ok', 'angry')),
    CONSTRAINT "pk_diary" PRIMARY KEY ("id")
);
-- [foreign keys off]
INSERT INTO "_migrate_new_diary" ("id", "today", "yesterday") SELECT "id", CAST("today" AS TEXT), CAST("yesterday" AS TEXT) FROM "diary";
-- [foreign keys off]
DROP TABLE "diary";
-- [foreign keys off]
ALTER TABLE "_migrate_new_diary" RENAME TO "diary";
-- [foreign keys off]
DROP TABLE temp."_migrate_dependents";
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_fk_check" ("violations" INTEGER CONSTRAINT "no broken foreign keys after rebuilding diary" CHECK ("violations" = 0));
-- [foreign keys off]
INSERT INTO "_migrate_fk_check" SELECT count(*) FROM (SELECT 1 FROM pragma_foreign_key_check('diary'));
-- [foreign keys off]
DROP TABLE "_migrate_fk_check";

-- renamed value 'happy' of enum 'mood' to 'joyful'
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents" AS SELECT type, name, sql FROM main.sqlite_master WHERE type IN ('view', 'trigger') AND sql IS NOT NULL AND (tbl_name = 'diary' OR instr(lower(sql), lower('diary')) > 0) ORDER BY rowid;
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents_guard" ("dependents" INTEGER CONSTRAINT "table diary has views or triggers, which rebuilding it drops: run the revision with cargo migrate or the runtime (they keep them), or drop them in an SQL step before this change and create them again after it" CHECK ("dependents" = 0));
INSERT INTO "_migrate_dependents_guard" SELECT count(*) FROM temp."_migrate_dependents";
DROP TABLE "_migrate_dependents_guard";
-- [foreign keys off]
CREATE TABLE "_migrate_new_diary" (
    "id" BIGINT NOT NULL,
    "today" TEXT NOT NULL DEFAULT 'happy' CONSTRAINT "today_enum" CHECK ("today" IN ('calm', 'happy', 'bored', 'sad', 'it''s ok', 'angry', 'joyful')),
    "yesterday" TEXT CONSTRAINT "yesterday_enum" CHECK ("yesterday" IN ('calm', 'happy', 'bored', 'sad', 'it''s ok', 'angry', 'joyful')),
    CONSTRAINT "pk_diary" PRIMARY KEY ("id")
);
-- [foreign keys off]
INSERT INTO "_migrate_new_diary" ("id", "today", "yesterday") SELECT "id", CAST("today" AS TEXT), CAST("yesterday" AS TEXT) FROM "diary";
-- [foreign keys off]
DROP TABLE "diary";
-- [foreign keys off]
ALTER TABLE "_migrate_new_diary" RENAME TO "diary";
-- [foreign keys off]
DROP TABLE temp."_migrate_dependents";
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_fk_check" ("violations" INTEGER CONSTRAINT "no broken foreign keys after rebuilding diary" CHECK ("violations" = 0));
-- [foreign keys off]
INSERT INTO "_migrate_fk_check" SELECT count(*) FROM (SELECT 1 FROM pragma_foreign_key_check('diary'));
-- [foreign keys off]
DROP TABLE "_migrate_fk_check";
UPDATE "diary" SET "today" = 'joyful' WHERE "today" = 'happy';
UPDATE "diary" SET "yesterday" = 'joyful' WHERE "yesterday" = 'happy';
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents" AS SELECT type, name, sql FROM main.sqlite_master WHERE type IN ('view', 'trigger') AND sql IS NOT NULL AND (tbl_name = 'diary' OR instr(lower(sql), lower('diary')) > 0) ORDER BY rowid;
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents_guard" ("dependents" INTEGER CONSTRAINT "table diary has views or triggers, which rebuilding it drops: run the revision with cargo migrate or the runtime (they keep them), or drop them in an SQL step before this change and create them again after it" CHECK ("dependents" = 0));
INSERT INTO "_migrate_dependents_guard" SELECT count(*) FROM temp."_migrate_dependents";
DROP TABLE "_migrate_dependents_guard";
-- [foreign keys off]
CREATE TABLE "_migrate_new_diary" (
    "id" BIGINT NOT NULL,
    "today" TEXT NOT NULL DEFAULT 'joyful' CONSTRAINT "today_enum" CHECK ("today" IN ('calm', 'joyful', 'bored', 'sad', 'it''s ok', 'angry')),
    "yesterday" TEXT CONSTRAINT "yesterday_enum" CHECK ("yesterday" IN ('calm', 'joyful', 'bored', 'sad', 'it''s ok', 'angry')),
    CONSTRAINT "pk_diary" PRIMARY KEY ("id")
);
-- [foreign keys off]
INSERT INTO "_migrate_new_diary" ("id", "today", "yesterday") SELECT "id", CAST("today" AS TEXT), CAST("yesterday" AS TEXT) FROM "diary";
-- [foreign keys off]
DROP TABLE "diary";
-- [foreign keys off]
ALTER TABLE "_migrate_new_diary" RENAME TO "diary";
-- [foreign keys off]
DROP TABLE temp."_migrate_dependents";
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_fk_check" ("violations" INTEGER CONSTRAINT "no broken foreign keys after rebuilding diary" CHECK ("violations" = 0));
-- [foreign keys off]
INSERT INTO "_migrate_fk_check" SELECT count(*) FROM (SELECT 1 FROM pragma_foreign_key_check('diary'));
-- [foreign keys off]
DROP TABLE "_migrate_fk_check";

-- changed enum 'mood': reordered to ('angry', 'sad', 'it''s ok', 'bored', 'calm', 'joyful')
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents" AS SELECT type, name, sql FROM main.sqlite_master WHERE type IN ('view', 'trigger') AND sql IS NOT NULL AND (tbl_name = 'diary' OR instr(lower(sql), lower('diary')) > 0) ORDER BY rowid;
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents_guard" ("dependents" INTEGER CONSTRAINT "table diary has views or triggers, which rebuilding it drops: run the revision with cargo migrate or the runtime (they keep them), or drop them in an SQL step before this change and create them again after it" CHECK ("dependents" = 0));
INSERT INTO "_migrate_dependents_guard" SELECT count(*) FROM temp."_migrate_dependents";
DROP TABLE "_migrate_dependents_guard";
-- [foreign keys off]
CREATE TABLE "_migrate_new_diary" (
    "id" BIGINT NOT NULL,
    "today" TEXT NOT NULL DEFAULT 'joyful' CONSTRAINT "today_enum" CHECK ("today" IN ('angry', 'sad', 'it''s ok', 'bored', 'calm', 'joyful')),
    "yesterday" TEXT CONSTRAINT "yesterday_enum" CHECK ("yesterday" IN ('angry', 'sad', 'it''s ok', 'bored', 'calm', 'joyful')),
    CONSTRAINT "pk_diary" PRIMARY KEY ("id")
);
-- [foreign keys off]
INSERT INTO "_migrate_new_diary" ("id", "today", "yesterday") SELECT "id", CAST("today" AS TEXT), CAST("yesterday" AS TEXT) FROM "diary";
-- [foreign keys off]
DROP TABLE "diary";
-- [foreign keys off]
ALTER TABLE "_migrate_new_diary" RENAME TO "diary";
-- [foreign keys off]
DROP TABLE temp."_migrate_dependents";
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_fk_check" ("violations" INTEGER CONSTRAINT "no broken foreign keys after rebuilding diary" CHECK ("violations" = 0));
-- [foreign keys off]
INSERT INTO "_migrate_fk_check" SELECT count(*) FROM (SELECT 1 FROM pragma_foreign_key_check('diary'));
-- [foreign keys off]
DROP TABLE "_migrate_fk_check";

-- changed enum 'mood': removed 'bored'
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents" AS SELECT type, name, sql FROM main.sqlite_master WHERE type IN ('view', 'trigger') AND sql IS NOT NULL AND (tbl_name = 'diary' OR instr(lower(sql), lower('diary')) > 0) ORDER BY rowid;
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_dependents_guard" ("dependents" INTEGER CONSTRAINT "table diary has views or triggers, which rebuilding it drops: run the revision with cargo migrate or the runtime (they keep them), or drop them in an SQL step before this change and create them again after it" CHECK ("dependents" = 0));
INSERT INTO "_migrate_dependents_guard" SELECT count(*) FROM temp."_migrate_dependents";
DROP TABLE "_migrate_dependents_guard";
-- [foreign keys off]
CREATE TABLE "_migrate_new_diary" (
    "id" BIGINT NOT NULL,
    "today" TEXT NOT NULL DEFAULT 'joyful' CONSTRAINT "today_enum" CHECK ("today" IN ('angry', 'sad', 'it''s ok', 'calm', 'joyful')),
    "yesterday" TEXT CONSTRAINT "yesterday_enum" CHECK ("yesterday" IN ('angry', 'sad', 'it''s ok', 'calm', 'joyful')),
    CONSTRAINT "pk_diary" PRIMARY KEY ("id")
);
-- [foreign keys off]
INSERT INTO "_migrate_new_diary" ("id", "today", "yesterday") SELECT "id", CAST("today" AS TEXT), CAST("yesterday" AS TEXT) FROM "diary";
-- [foreign keys off]
DROP TABLE "diary";
-- [foreign keys off]
ALTER TABLE "_migrate_new_diary" RENAME TO "diary";
-- [foreign keys off]
DROP TABLE temp."_migrate_dependents";
-- [foreign keys off]
CREATE TEMP TABLE "_migrate_fk_check" ("violations" INTEGER CONSTRAINT "no broken foreign keys after rebuilding diary" CHECK ("violations" = 0));
-- [foreign keys off]
INSERT INTO "_migrate_fk_check" SELECT count(*) FROM (SELECT 1 FROM pragma_foreign_key_check('diary'));
-- [foreign keys off]
DROP TABLE "_migrate_fk_check";

-- renamed column 'diary.yesterday' to 'diary.last_night'
ALTER TABLE "diary" RENAME COLUMN "yesterday" TO "last_night";

-- removed table 'diary'
DROP TABLE "diary";

-- removed enum 'mood'
-- (nothing to do on this database)

