-- added table 'account'
-- [implicit commit]
CREATE TABLE `account` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `email` VARCHAR(200) NOT NULL,
    `tenant_id` INT NOT NULL,
    `deleted_at` DATETIME(6) NULL,
    `bio` LONGTEXT NULL,
    `tags` JSON NULL,
    PRIMARY KEY (`id`)
);
-- [implicit commit]
CREATE FULLTEXT INDEX `ix_account_bio` ON `account` (`bio`);

-- added table 'member'
-- [implicit commit]
CREATE TABLE `member` (
    `id` INT NOT NULL,
    `account_id` BIGINT NOT NULL,
    PRIMARY KEY (`id`),
    CONSTRAINT `fk_member_account_id_account` FOREIGN KEY (`account_id`) REFERENCES `account` (`id`) ON DELETE CASCADE
);

-- added index 'ix_account_bio_email' on 'account'
-- [implicit commit]
CREATE FULLTEXT INDEX `ix_account_bio_email` ON `account` (`bio`, `email`);

-- added index 'ix_account_tenant_email' on 'account'
-- [implicit commit]
CREATE INDEX `ix_account_tenant_email` ON `account` (`tenant_id`, `email` DESC);

-- changed column 'account.tenant_id': type integer -> bigint
-- [implicit commit]
ALTER TABLE `account` MODIFY COLUMN `tenant_id` BIGINT NOT NULL;

