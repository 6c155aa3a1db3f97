-- A PostgreSQL schema in the style of pagila (written for migrate's tests; no
-- pagila text is copied): views, a materialized view, triggers, functions, a
-- procedure, a domain, an enum type, sequences, partitions, an inherited table,
-- arrays, tsvector, generated columns, GiST/GIN and expression/partial indexes,
-- an extension and a second schema.
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE DOMAIN year_t AS integer CHECK (VALUE >= 1901 AND VALUE <= 2155);
CREATE TYPE mpaa_rating AS ENUM ('G', 'PG', 'PG-13', 'R', 'NC-17');
CREATE SEQUENCE actor_actor_id_seq;
CREATE TABLE actor (
    actor_id integer NOT NULL DEFAULT nextval('actor_actor_id_seq') PRIMARY KEY,
    first_name varchar(45) NOT NULL,
    last_name varchar(45) NOT NULL,
    last_update timestamp NOT NULL DEFAULT now()
);
CREATE INDEX idx_actor_last_name ON actor (last_name);
CREATE TABLE language (
    language_id serial PRIMARY KEY,
    name char(20) NOT NULL,
    last_update timestamp NOT NULL DEFAULT now()
);
CREATE TABLE film (
    film_id serial PRIMARY KEY,
    title varchar(255) NOT NULL,
    description text,
    release_year year_t,
    language_id integer NOT NULL REFERENCES language (language_id) ON UPDATE CASCADE ON DELETE RESTRICT,
    rental_rate numeric(4, 2) NOT NULL DEFAULT 4.99,
    rating mpaa_rating DEFAULT 'G',
    special_features text[],
    fulltext tsvector NOT NULL,
    title_length integer GENERATED ALWAYS AS (length(title)) STORED,
    last_update timestamp NOT NULL DEFAULT now()
);
CREATE INDEX film_fulltext_idx ON film USING gist (fulltext);
CREATE INDEX idx_title_lower ON film (lower(title));
CREATE INDEX idx_features ON film USING gin (special_features);
CREATE TABLE film_actor (
    actor_id integer NOT NULL REFERENCES actor (actor_id),
    film_id integer NOT NULL REFERENCES film (film_id),
    last_update timestamp NOT NULL DEFAULT now(),
    PRIMARY KEY (actor_id, film_id)
);
CREATE TABLE payment (
    payment_id integer NOT NULL,
    amount numeric(5, 2) NOT NULL,
    payment_date timestamptz NOT NULL,
    PRIMARY KEY (payment_date, payment_id)
) PARTITION BY RANGE (payment_date);
CREATE TABLE payment_p2022_01 PARTITION OF payment
    FOR VALUES FROM ('2022-01-01') TO ('2022-02-01');
CREATE TABLE staff (
    staff_id serial PRIMARY KEY,
    username varchar(16) NOT NULL,
    active boolean NOT NULL DEFAULT true
);
CREATE INDEX idx_active_staff ON staff (username) WHERE active;
CREATE TABLE manager (bonus integer) INHERITS (staff);
CREATE TABLE event_log (message text, at timestamp);
CREATE FUNCTION last_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.last_update = now(); RETURN NEW; END $$;
CREATE TRIGGER last_updated BEFORE UPDATE ON actor
    FOR EACH ROW EXECUTE FUNCTION last_updated();
CREATE PROCEDURE touch_actors() LANGUAGE sql AS $$ UPDATE actor SET last_update = now() $$;
CREATE VIEW actor_info AS SELECT actor_id, first_name || ' ' || last_name AS name FROM actor;
CREATE MATERIALIZED VIEW rental_by_category AS SELECT rating, count(*) AS n FROM film GROUP BY rating;
CREATE SCHEMA reporting;
CREATE TABLE reporting.daily (day date PRIMARY KEY, total numeric(10, 2));
CREATE VIEW reporting.large_days AS SELECT day, total FROM reporting.daily WHERE total > 1000;
