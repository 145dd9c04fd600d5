//! The customer search index: FTS5 trigram over `customers` (see the
//! order_search migration). Orders add their customer as they are written;
//! indexing one for search costs about 40 µs, ten times the order's own row,
//! so it happens in bulk behind the writes: after each sync run, and before
//! any search, whatever was added since the last catch-up is indexed in one
//! statement. A search therefore never misses a customer.

use sqlx::SqliteConnection;

use crate::Result;

/// Indexes the customers added since the last catch-up; returns how many.
/// Costs one indexed read when there are none.
pub async fn catch_up(conn: &mut SqliteConnection) -> Result<u64> {
    let behind: bool = sqlx::query_scalar("SELECT (SELECT ifnull(max(id), 0) FROM customers) > indexed_through FROM customer_search_state")
        .fetch_one(&mut *conn)
        .await?;
    if !behind {
        return Ok(0);
    }
    let mut tx = crate::begin(conn).await?;
    // The first statement writes, so the transaction holds the write lock
    // before reading where to start: two catch-ups can't index a customer twice.
    let through: i64 = sqlx::query_scalar("UPDATE customer_search_state SET indexed_through = indexed_through RETURNING indexed_through")
        .fetch_one(&mut *tx)
        .await?;
    let added = sqlx::query("INSERT INTO customer_search (rowid, name, email) SELECT id, name, email FROM customers WHERE id > ?")
        .bind(through)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    sqlx::query("UPDATE customer_search_state SET indexed_through = (SELECT ifnull(max(id), 0) FROM customers)").execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(added)
}
