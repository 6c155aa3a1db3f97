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

-- Running upgrade  -> 1975ea83b712: create account table
-- MySQL commits each DDL statement below implicitly: if one fails, the statements before it stay applied.
CREATE TABLE `account` (
    `id` INT NOT NULL AUTO_INCREMENT,
    `name` VARCHAR(50) NOT NULL,
    `description` VARCHAR(200) NULL,
    PRIMARY KEY (`id`)
);
START TRANSACTION;
INSERT INTO `migrate_version` (`version_num`) VALUES ('1975ea83b712');
INSERT INTO `migrate_version_log` (`revision`, `parents`, `message`, `checksum`, `applied_at`, `duration_ms`, `downgrade`, `state`) VALUES ('1975ea83b712', '', 'create account table', 'sha256:bed6ac95a5b86ef6485908ba9c8c44c1d184d5f093cde89619826bea17151de2', UTC_TIMESTAMP(6), NULL, '[[downgrade]]
op = "drop_table"
table.name = "account"
table.columns = [
    { name = "id", type = "integer", nullable = false, autoincrement = true },
    { name = "name", type = "varchar(50)", nullable = false },
    { name = "description", type = "varchar(200)", nullable = true },
]
table.primary_key = { name = "pk_account", columns = ["id"] }
', 'applied');
COMMIT;

-- Running upgrade 1975ea83b712 -> ae1027a6acf0: add last transaction date
-- MySQL commits each DDL statement below implicitly: if one fails, the statements before it stay applied.
ALTER TABLE `account` ADD COLUMN `last_transaction_date` DATETIME(6) NULL;
START TRANSACTION;
DELETE FROM `migrate_version` WHERE `version_num` IN ('1975ea83b712');
INSERT INTO `migrate_version` (`version_num`) VALUES ('ae1027a6acf0');
INSERT INTO `migrate_version_log` (`revision`, `parents`, `message`, `checksum`, `applied_at`, `duration_ms`, `downgrade`, `state`) VALUES ('ae1027a6acf0', '1975ea83b712', 'add last transaction date', 'sha256:75d342dcf13c009887611248e58df831d846b25f0a62515b59f2630d22bfe5c6', UTC_TIMESTAMP(6), NULL, '[[downgrade]]
op = "drop_column"
table = "account"
column = { name = "last_transaction_date", type = "timestamp", nullable = true }
', 'applied');
COMMIT;
