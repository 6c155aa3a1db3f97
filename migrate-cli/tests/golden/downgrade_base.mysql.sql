-- migrate: offline downgrade script for mysql

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

-- Running downgrade ae1027a6acf0 -> 1975ea83b712: add last transaction date
-- MySQL commits each DDL statement below implicitly: if one fails, the statements before it stay applied.
ALTER TABLE `account` DROP COLUMN `last_transaction_date`;
START TRANSACTION;
DELETE FROM `migrate_version_log` WHERE `revision` = 'ae1027a6acf0';
DELETE FROM `migrate_version` WHERE `version_num` = 'ae1027a6acf0';
INSERT INTO `migrate_version` (`version_num`) SELECT '1975ea83b712' FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM `migrate_version` WHERE `version_num` = '1975ea83b712') AND NOT EXISTS (SELECT 1 FROM `migrate_version_log` WHERE CONCAT(' ', `parents`, ' ') LIKE '% 1975ea83b712 %');
COMMIT;

-- Running downgrade 1975ea83b712 -> : create account table
-- MySQL commits each DDL statement below implicitly: if one fails, the statements before it stay applied.
DROP TABLE `account`;
START TRANSACTION;
DELETE FROM `migrate_version_log` WHERE `revision` = '1975ea83b712';
DELETE FROM `migrate_version` WHERE `version_num` = '1975ea83b712';
COMMIT;
