-- added table 'items'
-- [implicit commit]
CREATE TABLE `items` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `price` INT NOT NULL DEFAULT 0,
    `qty` INT NOT NULL DEFAULT 1,
    `total` BIGINT GENERATED ALWAYS AS (price * qty) STORED,
    `doubled` INT GENERATED ALWAYS AS (qty * 2) VIRTUAL,
    `label` VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL,
    `shout` VARCHAR(41) GENERATED ALWAYS AS (concat(`label`, '!')) STORED,
    `tags` json NULL,
    `addr` varchar(45) NULL,
    `touched_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    PRIMARY KEY (`id`)
);

-- changed column 'items.total': generated stored (price * qty) -> generated stored (price * qty + 1)
-- [implicit commit]
ALTER TABLE `items` DROP COLUMN `total`;
-- [implicit commit]
ALTER TABLE `items` ADD COLUMN `total` BIGINT GENERATED ALWAYS AS (price * qty + 1) STORED AFTER `qty`;

-- changed column 'items.doubled': generated virtual (qty * 2) -> not generated
-- [implicit commit]
ALTER TABLE `items` ADD COLUMN `_migrate_new_doubled` INT NULL AFTER `doubled`;
UPDATE `items` SET `_migrate_new_doubled` = `doubled`;
-- [implicit commit]
ALTER TABLE `items` DROP COLUMN `doubled`;
-- [implicit commit]
ALTER TABLE `items` RENAME COLUMN `_migrate_new_doubled` TO `doubled`;

-- changed column 'items.label': collation (postgres = C; mysql = utf8mb4_unicode_ci; sqlite = NOCASE) -> (postgres = POSIX; mysql = latin1_general_cs; sqlite = RTRIM)
-- [implicit commit]
ALTER TABLE `items` MODIFY COLUMN `label` VARCHAR(40) CHARACTER SET latin1 COLLATE latin1_general_cs NOT NULL;

-- changed column 'items.tags': type per_database(postgres = text[]; mysql = json; sqlite = text) -> per_database(postgres = varchar(20)[]; mysql = longtext; sqlite = blob)
-- [implicit commit]
ALTER TABLE `items` MODIFY COLUMN `tags` longtext NULL;

-- added column 'items.fewer'
-- [implicit commit]
ALTER TABLE `items` ADD COLUMN `fewer` INT GENERATED ALWAYS AS (qty - 1) VIRTUAL;

-- added column 'items.sum'
-- [implicit commit]
ALTER TABLE `items` ADD COLUMN `sum` BIGINT GENERATED ALWAYS AS (price + qty) STORED;

-- changed column 'items.touched_at': on update CURRENT_TIMESTAMP -> none
-- [implicit commit]
ALTER TABLE `items` MODIFY COLUMN `touched_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6);

-- changed column 'items.touched_at': on update none -> CURRENT_TIMESTAMP
-- [implicit commit]
ALTER TABLE `items` MODIFY COLUMN `touched_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6);

-- removed column 'items.sum'
-- [implicit commit]
ALTER TABLE `items` DROP COLUMN `sum`;

-- removed column 'items.fewer'
-- [implicit commit]
ALTER TABLE `items` DROP COLUMN `fewer`;

-- changed column 'items.tags': type per_database(postgres = varchar(20)[]; mysql = longtext; sqlite = blob) -> per_database(postgres = text[]; mysql = json; sqlite = text)
-- [implicit commit]
ALTER TABLE `items` MODIFY COLUMN `tags` json NULL;

-- changed column 'items.label': collation (postgres = POSIX; mysql = latin1_general_cs; sqlite = RTRIM) -> (postgres = C; mysql = utf8mb4_unicode_ci; sqlite = NOCASE)
-- [implicit commit]
ALTER TABLE `items` MODIFY COLUMN `label` VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL;

-- changed column 'items.doubled': not generated -> generated virtual (qty * 2)
-- [implicit commit]
ALTER TABLE `items` DROP COLUMN `doubled`;
-- [implicit commit]
ALTER TABLE `items` ADD COLUMN `doubled` INT GENERATED ALWAYS AS (qty * 2) VIRTUAL AFTER `total`;

-- changed column 'items.total': generated stored (price * qty + 1) -> generated stored (price * qty)
-- [implicit commit]
ALTER TABLE `items` DROP COLUMN `total`;
-- [implicit commit]
ALTER TABLE `items` ADD COLUMN `total` BIGINT GENERATED ALWAYS AS (price * qty) STORED AFTER `qty`;

