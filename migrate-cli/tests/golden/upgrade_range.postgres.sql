-- migrate: offline upgrade script for postgres

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

-- Running upgrade 1975ea83b712 -> ae1027a6acf0: add last transaction date
BEGIN;
ALTER TABLE "account" ADD COLUMN "last_transaction_date" TIMESTAMP;
DELETE FROM "migrate_version" WHERE "version_num" IN ('1975ea83b712');
INSERT INTO "migrate_version" ("version_num") VALUES ('ae1027a6acf0');
INSERT INTO "migrate_version_log" ("revision", "parents", "message", "checksum", "applied_at", "duration_ms", "downgrade", "state") VALUES ('ae1027a6acf0', '1975ea83b712', 'add last transaction date', 'sha256:75d342dcf13c009887611248e58df831d846b25f0a62515b59f2630d22bfe5c6', (clock_timestamp() AT TIME ZONE 'UTC'), NULL, '[[downgrade]]
op = "drop_column"
table = "account"
column = { name = "last_transaction_date", type = "timestamp", nullable = true }
', 'applied');
COMMIT;
