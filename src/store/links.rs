//! Signed action links: only the token's hash is stored; every use is logged.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::{action_links, link_uses};
use crate::domain::case::LinkRole;
use crate::error::Result;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = action_links)]
pub struct Link {
    pub id: i64,
    pub token_hash: String,
    pub case_id: i64,
    pub officer_id: Option<i64>,
    pub email: String,
    pub role: LinkRole,
    pub expires_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

#[allow(clippy::too_many_arguments)]
pub fn insert(
    conn: &mut DbConn,
    token_hash: &str,
    case_id: i64,
    officer_id: Option<i64>,
    email: &str,
    role: LinkRole,
    expires_at: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<i64> {
    Ok(diesel::insert_into(action_links::table)
        .values((
            action_links::token_hash.eq(token_hash),
            action_links::case_id.eq(case_id),
            action_links::officer_id.eq(officer_id),
            action_links::email.eq(email),
            action_links::role.eq(role),
            action_links::expires_at.eq(expires_at),
            action_links::created_at.eq(now),
        ))
        .returning(action_links::id)
        .get_result(conn)?)
}

pub fn by_hash(conn: &mut DbConn, token_hash: &str) -> Result<Option<Link>> {
    Ok(action_links::table
        .filter(action_links::token_hash.eq(token_hash))
        .select(Link::as_select())
        .first(conn)
        .optional()?)
}

pub fn get(conn: &mut DbConn, id: i64) -> Result<Link> {
    Ok(action_links::table.find(id).select(Link::as_select()).first(conn)?)
}

/// Revokes the handler links of a case (it moved to another handler).
pub fn revoke_for_case(conn: &mut DbConn, case_id: i64, role: LinkRole, now: NaiveDateTime) -> Result<usize> {
    Ok(diesel::update(
        action_links::table
            .filter(action_links::case_id.eq(case_id))
            .filter(action_links::role.eq(role))
            .filter(action_links::revoked_at.is_null()),
    )
    .set(action_links::revoked_at.eq(now))
    .execute(conn)?)
}

pub fn revoke(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> Result<()> {
    diesel::update(action_links::table.find(id)).set(action_links::revoked_at.eq(now)).execute(conn)?;
    Ok(())
}

pub fn log_use(
    conn: &mut DbConn,
    link_id: i64,
    at: NaiveDateTime,
    method: &str,
    action: Option<&str>,
    result: &str,
) -> Result<()> {
    diesel::insert_into(link_uses::table)
        .values((
            link_uses::link_id.eq(link_id),
            link_uses::at.eq(at),
            link_uses::method.eq(method),
            link_uses::action.eq(action),
            link_uses::result.eq(result),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn uses(conn: &mut DbConn, link_id: i64) -> Result<Vec<(String, Option<String>, String)>> {
    Ok(link_uses::table
        .filter(link_uses::link_id.eq(link_id))
        .order(link_uses::id)
        .select((link_uses::method, link_uses::action, link_uses::result))
        .load(conn)?)
}
