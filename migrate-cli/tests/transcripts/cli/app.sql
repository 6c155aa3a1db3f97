-- The database docs/cli.md's `adopt` transcript takes over: two tables made by hand.
-- The test builds app.db from this file (a .db file is not kept in git).
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email VARCHAR(255) NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE posts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id),
    title VARCHAR(200) NOT NULL,
    body TEXT
);
