-- added table 'counter'
-- [implicit commit]
CREATE TABLE `counter` (
    `id` INT UNSIGNED NOT NULL AUTO_INCREMENT,
    `level` TINYINT UNSIGNED NOT NULL DEFAULT 1,
    `hits` BIGINT UNSIGNED NULL DEFAULT 0,
    PRIMARY KEY (`id`)
);

-- added column 'counter.port'
-- [implicit commit]
ALTER TABLE `counter` ADD COLUMN `port` SMALLINT UNSIGNED NULL;

-- changed column 'counter.level': type tinyint unsigned -> smallint unsigned
-- [implicit commit]
ALTER TABLE `counter` MODIFY COLUMN `level` SMALLINT UNSIGNED NOT NULL DEFAULT 1;

-- renamed column 'counter.level' to 'counter.tier'
-- [implicit commit]
ALTER TABLE `counter` RENAME COLUMN `level` TO `tier`;

-- changed column 'counter.tier': type smallint unsigned -> bigint
-- [implicit commit]
ALTER TABLE `counter` MODIFY COLUMN `tier` BIGINT NOT NULL DEFAULT 1;

-- removed column 'counter.port'
-- [implicit commit]
ALTER TABLE `counter` DROP COLUMN `port`;

