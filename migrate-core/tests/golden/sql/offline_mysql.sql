-- migrate: offline upgrade script for mysql

CREATE TABLE IF NOT EXISTS `migrate_version` (
    `version_num` VARCHAR(64) NOT NULL,
    CONSTRAINT `pk_migrate_version` PRIMARY KEY (`version_num`)
);
CREATE TABLE IF NOT EXISTS `migrate_version_log` (
    `revision` VARCHAR(64) NOT NULL,
    `parents` LONGTEXT NOT NULL,
    `message` LONGTEXT NOT NULL,
    `checksum` VARCHAR(100) NULL,
    `applied_at` DATETIME(6) NOT NULL,
    `duration_ms` BIGINT NULL,
    `downgrade` LONGTEXT NOT NULL,
    `state` VARCHAR(16) NOT NULL,
    `failed_step` INT NULL,
    `error` LONGTEXT NULL,
    CONSTRAINT `pk_migrate_version_log` PRIMARY KEY (`revision`)
);

-- Running upgrade  -> aaaaaaaaaaaa: create
-- MySQL commits each DDL statement below implicitly: if one fails, the statements before it stay applied.
CREATE TABLE `user` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `Mixed Case` VARCHAR(50) NOT NULL DEFAULT 'it''s',
    `naïve` LONGTEXT NULL COMMENT 'it''s a \\ comment',
    PRIMARY KEY (`id`)
) COMMENT = 'people';
CREATE INDEX `ix_user_Mixed Case` ON `user` (`Mixed Case`);
CREATE TABLE `order` (
    `id` INT NOT NULL,
    `user_id` BIGINT NULL,
    `qty` INT NOT NULL DEFAULT 0,
    `select` BOOLEAN NOT NULL DEFAULT false,
    PRIMARY KEY (`id`),
    CONSTRAINT `fk_order_user_id_user` FOREIGN KEY (`user_id`) REFERENCES `user` (`id`) ON DELETE CASCADE,
    CONSTRAINT `ck_order_qty` CHECK (qty >= 0)
);
CREATE INDEX `ix_order_user_id` ON `order` (`user_id`);
START TRANSACTION;
INSERT INTO `migrate_version` (`version_num`) VALUES ('aaaaaaaaaaaa');
INSERT INTO `migrate_version_log` (`revision`, `parents`, `message`, `checksum`, `applied_at`, `duration_ms`, `downgrade`, `state`) VALUES ('aaaaaaaaaaaa', '', 'create', 'sha256:00', UTC_TIMESTAMP(6), NULL, CONCAT('[[downgrade]]
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
    { name = "naïve", type = "text", nullable = true, comment = "it''s a ', CHAR(92 USING utf8mb4), '', CHAR(92 USING utf8mb4), ' comment" },
]
table.primary_key = { name = "pk_user", columns = ["id"] }
table.indexes = [
    { name = "ix_user_Mixed Case", columns = [{ name = "Mixed Case" }] },
]
table.comment = "people"
'), 'applied');
COMMIT;

-- Running upgrade aaaaaaaaaaaa -> bbbbbbbbbbbb: every change
-- MySQL commits each DDL statement below implicitly: if one fails, the statements before it stay applied.
ALTER TABLE `order` ADD COLUMN `note` VARCHAR(100) NULL DEFAULT 'n/a';
ALTER TABLE `order` ADD COLUMN `created_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6);
ALTER TABLE `order` MODIFY COLUMN `qty` BIGINT NOT NULL DEFAULT 1;
ALTER TABLE `user` MODIFY COLUMN `Mixed Case` VARCHAR(80) NULL DEFAULT 'it''s';
ALTER TABLE `order` RENAME COLUMN `note` TO `remark`;
ALTER TABLE `user` ADD CONSTRAINT `uq_user_Mixed Case` UNIQUE (`Mixed Case`);
ALTER TABLE `user` DROP INDEX `uq_user_Mixed Case`;
CREATE INDEX `ix_order_qty` ON `order` (`qty` DESC);
DROP INDEX `ix_order_qty` ON `order`;
ALTER TABLE `order` ADD CONSTRAINT `ck_order_user_id` CHECK (user_id > 0);
ALTER TABLE `order` DROP CONSTRAINT `ck_order_user_id`;
ALTER TABLE `order` DROP FOREIGN KEY `fk_order_user_id_user`;
ALTER TABLE `order` ADD CONSTRAINT `fk_order_user_id_user` FOREIGN KEY (`user_id`) REFERENCES `user` (`id`) ON DELETE CASCADE;
ALTER TABLE `user` COMMENT = 'people''s \\ table';
ALTER TABLE `user` MODIFY COLUMN `naïve` LONGTEXT NULL;
CREATE TABLE `select` (
    `id` INT NOT NULL,
    `val` LONGTEXT NULL
);
ALTER TABLE `select` ADD PRIMARY KEY (`id`);
ALTER TABLE `select` ADD COLUMN `code` VARCHAR(10) NULL;
CREATE UNIQUE INDEX `ix_select_code` ON `select` (`code`);
DROP INDEX `ix_select_code` ON `select`;
ALTER TABLE `select` DROP COLUMN `code`;
ALTER TABLE `select` DROP PRIMARY KEY;
ALTER TABLE `order` DROP COLUMN `remark`;
ALTER TABLE `select` RENAME TO `sélection`;
UPDATE `order` SET qty = qty + 1;
SELECT 1;
DROP TABLE `sélection`;
START TRANSACTION;
DELETE FROM `migrate_version` WHERE `version_num` IN ('aaaaaaaaaaaa');
INSERT INTO `migrate_version` (`version_num`) VALUES ('bbbbbbbbbbbb');
INSERT INTO `migrate_version_log` (`revision`, `parents`, `message`, `checksum`, `applied_at`, `duration_ms`, `downgrade`, `state`) VALUES ('bbbbbbbbbbbb', 'aaaaaaaaaaaa', 'every change', NULL, UTC_TIMESTAMP(6), NULL, '', 'applied');
COMMIT;
