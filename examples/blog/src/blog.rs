//! The blog's queries, read into the model structs. Plain, portable SQL: the same
//! text runs on SQLite, PostgreSQL and MySQL/MariaDB (no `RETURNING`, which MySQL
//! lacks: a new row is read back by its unique key).

use crate::db::{with_pool, Db};
use crate::models::{Comment, Post, User};

/// One line of the front page: a post and how many comments it has.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PostSummary {
    /// The post's id.
    pub id: i64,
    /// Its address.
    pub slug: String,
    /// Its headline.
    pub title: String,
    /// The author's name.
    pub author: String,
    /// How many comments it has.
    pub comments: i64,
}

/// The user with `email`, created with `name` if there is none yet.
pub async fn find_or_create_user(db: &Db, email: &str, name: &str) -> sqlx::Result<User> {
    let select = db.sql("SELECT * FROM users WHERE email = ?");
    let insert = db.sql("INSERT INTO users (email, name) VALUES (?, ?)");
    with_pool!(db, pool => {
        if let Some(user) = sqlx::query_as::<_, User>(&select)
            .bind(email)
            .fetch_optional(pool)
            .await?
        {
            return Ok(user);
        }
        sqlx::query(&insert).bind(email).bind(name).execute(pool).await?;
        sqlx::query_as::<_, User>(&select).bind(email).fetch_one(pool).await
    })
}

/// How many posts there are.
pub async fn count_posts(db: &Db) -> sqlx::Result<i64> {
    with_pool!(db, pool => {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM posts")
            .fetch_one(pool)
            .await
    })
}

/// Publishes a post by `author`; its slug is made from the title.
pub async fn create_post(db: &Db, author: &User, title: &str, body: &str) -> sqlx::Result<Post> {
    let slug = slugify(title);
    let insert = db.sql("INSERT INTO posts (author_id, title, slug, body) VALUES (?, ?, ?, ?)");
    let select = db.sql("SELECT * FROM posts WHERE slug = ?");
    with_pool!(db, pool => {
        sqlx::query(&insert)
            .bind(author.id)
            .bind(title)
            .bind(&slug)
            .bind(body)
            .execute(pool)
            .await?;
        sqlx::query_as::<_, Post>(&select).bind(&slug).fetch_one(pool).await
    })
}

/// Counts one more reading of `post`; returns the post as it is now.
pub async fn record_view(db: &Db, post: &Post) -> sqlx::Result<Post> {
    let update = db.sql("UPDATE posts SET views = views + 1 WHERE id = ?");
    let select = db.sql("SELECT * FROM posts WHERE id = ?");
    with_pool!(db, pool => {
        sqlx::query(&update).bind(post.id).execute(pool).await?;
        sqlx::query_as::<_, Post>(&select).bind(post.id).fetch_one(pool).await
    })
}

/// Adds a comment by `author` to `post`.
pub async fn add_comment(db: &Db, post: &Post, author: &User, body: &str) -> sqlx::Result<()> {
    let insert = db.sql("INSERT INTO comments (post_id, author_id, body) VALUES (?, ?, ?)");
    with_pool!(db, pool => {
        sqlx::query(&insert)
            .bind(post.id)
            .bind(author.id)
            .bind(body)
            .execute(pool)
            .await
            .map(|_| ())
    })
}

/// The comments on `post`, newest first (the `ix_comments_post_id_created_at` index
/// serves this query).
pub async fn comments_on(db: &Db, post: &Post) -> sqlx::Result<Vec<Comment>> {
    let select =
        db.sql("SELECT * FROM comments WHERE post_id = ? ORDER BY created_at DESC, id DESC");
    with_pool!(db, pool => {
        sqlx::query_as::<_, Comment>(&select).bind(post.id).fetch_all(pool).await
    })
}

/// Every post, oldest first, with its author and its number of comments.
pub async fn posts_with_comment_counts(db: &Db) -> sqlx::Result<Vec<PostSummary>> {
    const QUERY: &str = "\
        SELECT p.id, p.slug, p.title, u.name AS author, COUNT(c.id) AS comments \
        FROM posts p \
        JOIN users u ON u.id = p.author_id \
        LEFT JOIN comments c ON c.post_id = p.id \
        GROUP BY p.id, p.slug, p.title, u.name \
        ORDER BY p.id";
    with_pool!(db, pool => {
        sqlx::query_as::<_, PostSummary>(QUERY).fetch_all(pool).await
    })
}

/// A URL-safe slug: lowercase ASCII letters and digits, other runs of characters as
/// one `-`. `"Hello, World!"` becomes `hello-world`.
pub fn slugify(title: &str) -> String {
    let mut slug = String::with_capacity(title.len());
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug.truncate(200);
    slug
}
