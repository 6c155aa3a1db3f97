-- migrate: offline downgrade script for postgres

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

-- Running downgrade ae1027a6acf0 -> 1975ea83b712: add last transaction date
BEGIN;
ALTER TABLE "account" DROP COLUMN "last_transaction_date";
DELETE FROM "migrate_version_log" WHERE "revision" = 'ae1027a6acf0';
DELETE FROM "migrate_version" WHERE "version_num" = 'ae1027a6acf0';
INSERT INTO "migrate_version" ("version_num") SELECT '1975ea83b712' WHERE NOT EXISTS (SELECT 1 FROM "migrate_version" WHERE "version_num" = '1975ea83b712') AND NOT EXISTS (SELECT 1 FROM "migrate_version_log" WHERE ' ' || "parents" || ' ' LIKE '% 1975ea83b712 %');
COMMIT;

-- Running downgrade 1975ea83b712 -> : create account table
BEGIN;
DROP TABLE "account";
DELETE FROM "migrate_version_log" WHERE "revision" = '1975ea83b712';
DELETE FROM "migrate_version" WHERE "version_num" = '1975ea83b712';
COMMIT;
