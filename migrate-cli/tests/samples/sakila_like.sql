-- A MySQL/MariaDB schema in the style of sakila (written for migrate's tests; no
-- sakila text is copied): unsigned auto-increment keys, ENUM and SET, FULLTEXT,
-- ON UPDATE CURRENT_TIMESTAMP, a generated column, triggers, views, a routine, a
-- non-default charset/collation and a table without a primary key.
CREATE TABLE actor (
    actor_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT,
    first_name VARCHAR(45) NOT NULL,
    last_name VARCHAR(45) NOT NULL,
    last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    PRIMARY KEY (actor_id),
    KEY idx_actor_last_name (last_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TABLE language (
    language_id TINYINT UNSIGNED NOT NULL AUTO_INCREMENT,
    name CHAR(20) NOT NULL,
    PRIMARY KEY (language_id)
) ENGINE=InnoDB;
CREATE TABLE film (
    film_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT,
    title VARCHAR(128) NOT NULL,
    description TEXT,
    language_id TINYINT UNSIGNED NOT NULL,
    rating ENUM('G','PG','PG-13','R','NC-17') DEFAULT 'G',
    special_features SET('Trailers','Commentaries','Deleted Scenes'),
    title_length INT AS (CHAR_LENGTH(title)) STORED,
    PRIMARY KEY (film_id),
    CONSTRAINT fk_film_language FOREIGN KEY (language_id) REFERENCES language (language_id) ON UPDATE CASCADE
) ENGINE=InnoDB;
CREATE TABLE film_text (
    film_id SMALLINT NOT NULL,
    title VARCHAR(255) NOT NULL,
    description TEXT,
    PRIMARY KEY (film_id),
    FULLTEXT KEY idx_title_description (title, description)
) ENGINE=InnoDB;
CREATE TABLE customer_note (
    note VARCHAR(200) CHARACTER SET latin1 COLLATE latin1_swedish_ci,
    created DATETIME NOT NULL
) ENGINE=InnoDB;
CREATE TABLE store (
    store_id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(50) NOT NULL,
    kind ENUM('shop', 'web') NOT NULL DEFAULT 'shop',
    services SET('rent', 'sell')
) ENGINE=InnoDB;
CREATE TRIGGER ins_film AFTER INSERT ON film FOR EACH ROW
    INSERT INTO film_text (film_id, title, description) VALUES (NEW.film_id, NEW.title, NEW.description);
CREATE VIEW actor_info AS SELECT actor_id, CONCAT(first_name, ' ', last_name) AS name FROM actor;
CREATE FUNCTION film_count() RETURNS INT DETERMINISTIC READS SQL DATA RETURN (SELECT COUNT(*) FROM film);
