//! Deployment-wide settings shared by every process through the database.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::settings;
use crate::error::Result;

/// The key of the public URL a server derived and recorded.
pub const PUBLIC_URL: &str = "public_url";

pub fn get(conn: &mut DbConn, key: &str) -> Result<Option<String>> {
    Ok(settings::table.find(key).select(settings::value).first(conn).optional()?)
}

/// Sets a value (insert or replace).
pub fn put(conn: &mut DbConn, key: &str, value: &str, now: NaiveDateTime) -> Result<()> {
    let updated = diesel::update(settings::table.find(key))
        .set((settings::value.eq(value), settings::updated_at.eq(now)))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(settings::table)
            .values((settings::key.eq(key), settings::value.eq(value), settings::updated_at.eq(now)))
            .execute(conn)?;
    }
    Ok(())
}
