-- added enum 'mood' ('happy', 'sad', 'it''s ok')
-- (nothing to do on this database)

-- added table 'diary'
-- [implicit commit]
CREATE TABLE `diary` (
    `id` BIGINT NOT NULL,
    `today` ENUM('happy', 'sad', 'it''s ok') NOT NULL DEFAULT 'happy',
    `yesterday` ENUM('happy', 'sad', 'it''s ok') NULL,
    PRIMARY KEY (`id`)
);

-- changed enum 'mood': added 'calm', 'bored', 'angry'
-- [implicit commit]
ALTER TABLE `diary` MODIFY COLUMN `today` ENUM('calm', 'happy', 'bored', 'sad', 'it''s ok', 'angry') NOT NULL DEFAULT 'happy';
-- [implicit commit]
ALTER TABLE `diary` MODIFY COLUMN `yesterday` ENUM('calm', 'happy', 'bored', 'sad', 'it''s ok', 'angry') NULL;

-- renamed value 'happy' of enum 'mood' to 'joyful'
-- [implicit commit]
ALTER TABLE `diary` MODIFY COLUMN `today` ENUM('calm', 'happy', 'bored', 'sad', 'it''s ok', 'angry', 'joyful') NOT NULL DEFAULT 'happy';
-- [implicit commit]
ALTER TABLE `diary` MODIFY COLUMN `yesterday` ENUM('calm', 'happy', 'bored', 'sad', 'it''s ok', 'angry', 'joyful') NULL;
UPDATE `diary` SET `today` = 'joyful' WHERE `today` = 'happy';
UPDATE `diary` SET `yesterday` = 'joyful' WHERE `yesterday` = 'happy';
SET @migrate_sql_mode = @@SESSION.sql_mode;
SET SESSION sql_mode = CONCAT_WS(',', @@SESSION.sql_mode, 'STRICT_ALL_TABLES');
-- [implicit commit]
ALTER TABLE `diary` MODIFY COLUMN `today` ENUM('calm', 'joyful', 'bored', 'sad', 'it''s ok', 'angry') NOT NULL DEFAULT 'joyful';
-- [implicit commit]
ALTER TABLE `diary` MODIFY COLUMN `yesterday` ENUM('calm', 'joyful', 'bored', 'sad', 'it''s ok', 'angry') NULL;
SET SESSION sql_mode = @migrate_sql_mode;

-- changed enum 'mood': reordered to ('angry', 'sad', 'it''s ok', 'bored', 'calm', 'joyful')
-- [implicit commit]
ALTER TABLE `diary` MODIFY COLUMN `today` ENUM('angry', 'sad', 'it''s ok', 'bored', 'calm', 'joyful') NOT NULL DEFAULT 'joyful';
-- [implicit commit]
ALTER TABLE `diary` MODIFY COLUMN `yesterday` ENUM('angry', 'sad', 'it''s ok', 'bored', 'calm', 'joyful') NULL;

-- changed enum 'mood': removed 'bored'
SET @migrate_sql_mode = @@SESSION.sql_mode;
SET SESSION sql_mode = CONCAT_WS(',', @@SESSION.sql_mode, 'STRICT_ALL_TABLES');
-- [implicit commit]
ALTER TABLE `diary` MODIFY COLUMN `today` ENUM('angry', 'sad', 'it''s ok', 'calm', 'joyful') NOT NULL DEFAULT 'joyful';
-- [implicit commit]
ALTER TABLE `diary` MODIFY COLUMN `yesterday` ENUM('angry', 'sad', 'it''s ok', 'calm', 'joyful') NULL;
SET SESSION sql_mode = @migrate_sql_mode;

-- renamed column 'diary.yesterday' to 'diary.last_night'
-- [implicit commit]
ALTER TABLE `diary` RENAME COLUMN `yesterday` TO `last_night`;

-- removed table 'diary'
-- [implicit commit]
DROP TABLE `diary`;

-- removed enum 'mood'
-- (nothing to do on this database)

