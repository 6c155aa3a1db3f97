-- A legacy SQLite schema (written for migrate's tests): a nullable primary key,
-- type spellings from other databases (VARCHAR2, NUMBER, DATETIME, NVARCHAR),
-- views, triggers, a table without a declared primary key, a WITHOUT ROWID table,
-- an expression index, a partial index and a key checked at commit.
CREATE TABLE customers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name VARCHAR2(100) NOT NULL,
    balance NUMBER(10, 2) DEFAULT 0,
    joined DATETIME DEFAULT CURRENT_TIMESTAMP,
    nick NVARCHAR(30)
);
CREATE TABLE codes (code TEXT PRIMARY KEY, label TEXT);
CREATE TABLE orders (
    order_no INTEGER,
    customer_id INTEGER REFERENCES customers (id) DEFERRABLE INITIALLY DEFERRED,
    total REAL,
    placed_at DATETIME
);
CREATE TABLE kv (k TEXT PRIMARY KEY NOT NULL, v BLOB) WITHOUT ROWID;
CREATE INDEX ix_customers_lower_name ON customers (lower(name));
CREATE INDEX ix_orders_open ON orders (placed_at) WHERE total > 0;
CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 100;
CREATE TRIGGER orders_touch AFTER INSERT ON orders BEGIN
    UPDATE customers SET balance = balance + NEW.total WHERE id = NEW.customer_id;
END;
