//! Where stock is kept (warehouses and shops) and how many units of each
//! SKU are on hand there. Enough of an inventory model for fulfilling
//! orders; products and publishing come later. A SKU with no row has none.

use serde::{Deserialize, Serialize};
use sqlx::{Row, SqliteConnection};
use ts_rs::TS;

use crate::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum LocationKind {
    Warehouse,
    Store,
}

impl LocationKind {
    fn as_str(self) -> &'static str {
        match self {
            LocationKind::Warehouse => "warehouse",
            LocationKind::Store => "store",
        }
    }

    fn parse(text: &str) -> Result<LocationKind> {
        match text {
            "warehouse" => Ok(LocationKind::Warehouse),
            "store" => Ok(LocationKind::Store),
            other => Err(Error::Corrupt(format!("location kind {other:?}"))),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Location {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub kind: LocationKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StockLevel {
    #[ts(type = "number")]
    pub location_id: i64,
    pub sku: String,
    #[ts(type = "number")]
    pub on_hand: i64,
}

pub async fn list(conn: &mut SqliteConnection) -> Result<Vec<Location>> {
    let rows = sqlx::query("SELECT id, name, kind FROM locations ORDER BY name COLLATE NOCASE, id").fetch_all(&mut *conn).await?;
    rows.iter().map(|r| Ok(Location { id: r.get(0), name: r.get(1), kind: LocationKind::parse(r.get(2))? })).collect()
}

pub async fn get(conn: &mut SqliteConnection, id: i64) -> Result<Location> {
    let row = sqlx::query("SELECT id, name, kind FROM locations WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| Error::Refused("That location no longer exists.".into()))?;
    Ok(Location { id: row.get(0), name: row.get(1), kind: LocationKind::parse(row.get(2))? })
}

/// Adds a location (`id` None) or renames / retypes one.
pub async fn save(conn: &mut SqliteConnection, id: Option<i64>, name: &str, kind: LocationKind) -> Result<Location> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(Error::Refused("Give the location a name (up to 100 characters).".into()));
    }
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM locations WHERE name = ? COLLATE NOCASE")
        .bind(name)
        .fetch_optional(&mut *conn)
        .await?;
    if taken.is_some_and(|t| Some(t) != id) {
        return Err(Error::Refused(format!("There is already a location called {name}.")));
    }
    let id = match id {
        Some(id) => {
            get(conn, id).await?;
            sqlx::query("UPDATE locations SET name = ?, kind = ? WHERE id = ?").bind(name).bind(kind.as_str()).bind(id).execute(&mut *conn).await?;
            id
        }
        None => {
            sqlx::query_scalar("INSERT INTO locations (name, kind) VALUES (?, ?) RETURNING id")
                .bind(name)
                .bind(kind.as_str())
                .fetch_one(&mut *conn)
                .await?
        }
    };
    get(conn, id).await
}

/// Units on hand at the location for each SKU asked about (0 when unknown).
pub async fn stock_levels(conn: &mut SqliteConnection, location_id: i64, skus: &[String]) -> Result<Vec<StockLevel>> {
    get(conn, location_id).await?;
    let mut out = Vec::with_capacity(skus.len());
    for sku in skus {
        let on_hand: Option<i64> = sqlx::query_scalar("SELECT on_hand FROM stock_levels WHERE location_id = ? AND sku = ?")
            .bind(location_id)
            .bind(sku)
            .fetch_optional(&mut *conn)
            .await?;
        out.push(StockLevel { location_id, sku: sku.clone(), on_hand: on_hand.unwrap_or(0) });
    }
    Ok(out)
}

/// Sets the units on hand (a count, not a change).
pub async fn set_stock(conn: &mut SqliteConnection, location_id: i64, sku: &str, on_hand: i64) -> Result<()> {
    get(conn, location_id).await?;
    let sku = sku.trim();
    if sku.is_empty() {
        return Err(Error::Refused("Enter the SKU.".into()));
    }
    if on_hand < 0 {
        return Err(Error::Refused("Stock on hand can't be below zero.".into()));
    }
    sqlx::query(
        "INSERT INTO stock_levels (location_id, sku, on_hand) VALUES (?, ?, ?)
         ON CONFLICT (location_id, sku) DO UPDATE SET on_hand = excluded.on_hand",
    )
    .bind(location_id)
    .bind(sku)
    .bind(on_hand)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
