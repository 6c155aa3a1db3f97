-- added table 'user'
-- [implicit commit]
CREATE TABLE `user` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `Mixed Case` VARCHAR(50) NOT NULL DEFAULT 'it''s',
    `naïve` LONGTEXT NULL COMMENT 'it''s a \\ comment',
    PRIMARY KEY (`id`)
) COMMENT = 'people';
-- [implicit commit]
CREATE INDEX `ix_user_Mixed Case` ON `user` (`Mixed Case`);

-- added table 'order'
-- [implicit commit]
CREATE TABLE `order` (
    `id` INT NOT NULL,
    `user_id` BIGINT NULL,
    `qty` INT NOT NULL DEFAULT 0,
    `select` BOOLEAN NOT NULL DEFAULT false,
    PRIMARY KEY (`id`),
    CONSTRAINT `fk_order_user_id_user` FOREIGN KEY (`user_id`) REFERENCES `user` (`id`) ON DELETE CASCADE,
    CONSTRAINT `ck_order_qty` CHECK (qty >= 0)
);
-- [implicit commit]
CREATE INDEX `ix_order_user_id` ON `order` (`user_id`);

-- added column 'order.note'
-- [implicit commit]
ALTER TABLE `order` ADD COLUMN `note` VARCHAR(100) NULL DEFAULT 'n/a';

-- added column 'order.created_at'
-- [implicit commit]
ALTER TABLE `order` ADD COLUMN `created_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6);

-- changed column 'order.qty': type integer -> bigint, default 0 -> 1
-- [implicit commit]
ALTER TABLE `order` MODIFY COLUMN `qty` BIGINT NOT NULL DEFAULT 1;

-- changed column 'user.Mixed Case': type varchar(50) -> varchar(80), now nullable
-- [implicit commit]
ALTER TABLE `user` MODIFY COLUMN `Mixed Case` VARCHAR(80) NULL DEFAULT 'it''s';

-- renamed column 'order.note' to 'order.remark'
-- [implicit commit]
ALTER TABLE `order` RENAME COLUMN `note` TO `remark`;

-- added unique constraint 'uq_user_Mixed Case' on 'user'(Mixed Case)
-- [implicit commit]
ALTER TABLE `user` ADD CONSTRAINT `uq_user_Mixed Case` UNIQUE (`Mixed Case`);

-- removed unique constraint 'uq_user_Mixed Case' on 'user'
-- [implicit commit]
ALTER TABLE `user` DROP INDEX `uq_user_Mixed Case`;

-- added index 'ix_order_qty' on 'order'
-- [implicit commit]
CREATE INDEX `ix_order_qty` ON `order` (`qty` DESC);

-- removed index 'ix_order_qty' on 'order'
-- [implicit commit]
DROP INDEX `ix_order_qty` ON `order`;

-- added check 'ck_order_user_id' on 'order'
-- [implicit commit]
ALTER TABLE `order` ADD CONSTRAINT `ck_order_user_id` CHECK (user_id > 0);

-- removed check 'ck_order_user_id' on 'order'
-- [implicit commit]
ALTER TABLE `order` DROP CONSTRAINT `ck_order_user_id`;

-- removed foreign key 'fk_order_user_id_user' on 'order'
-- [implicit commit]
ALTER TABLE `order` DROP FOREIGN KEY `fk_order_user_id_user`;

-- added foreign key 'fk_order_user_id_user' on 'order'(user_id) -> 'user'
-- [implicit commit]
ALTER TABLE `order` ADD CONSTRAINT `fk_order_user_id_user` FOREIGN KEY (`user_id`) REFERENCES `user` (`id`) ON DELETE CASCADE;

-- changed comment of table 'user'
-- [implicit commit]
ALTER TABLE `user` COMMENT = 'people''s \\ table';

-- changed comment of column 'user.naïve'
-- [implicit commit]
ALTER TABLE `user` MODIFY COLUMN `naïve` LONGTEXT NULL;

-- added table 'select'
-- [implicit commit]
CREATE TABLE `select` (
    `id` INT NOT NULL,
    `val` LONGTEXT NULL
);

-- added primary key 'pk_select' on 'select'(id)
-- [implicit commit]
ALTER TABLE `select` ADD PRIMARY KEY (`id`);

-- added column 'select.code'
-- [implicit commit]
ALTER TABLE `select` ADD COLUMN `code` VARCHAR(10) NULL;

-- added unique index 'ix_select_code' on 'select'
-- [implicit commit]
CREATE UNIQUE INDEX `ix_select_code` ON `select` (`code`);

-- removed index 'ix_select_code' on 'select'
-- [implicit commit]
DROP INDEX `ix_select_code` ON `select`;

-- removed column 'select.code'
-- [implicit commit]
ALTER TABLE `select` DROP COLUMN `code`;

-- removed primary key 'pk_select' on 'select'
-- [implicit commit]
ALTER TABLE `select` DROP PRIMARY KEY;

-- removed column 'order.remark'
-- [implicit commit]
ALTER TABLE `order` DROP COLUMN `remark`;

-- renamed table 'select' to 'sélection'
-- [implicit commit]
ALTER TABLE `select` RENAME TO `sélection`;

-- raw SQL: UPDATE "order" SET qty = qty + 1
UPDATE `order` SET qty = qty + 1;

-- raw SQL: SELECT 1
-- [outside transaction]
SELECT 1;

-- removed table 'sélection'
-- [implicit commit]
DROP TABLE `sélection`;

