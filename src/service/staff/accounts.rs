//! Console accounts beyond the heads and deputies of the organisation file (`hailong user …`),
//! and passwords. Every change is recorded in the admin audit log.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::normalize_email;
use crate::domain::access::StaffRole;
use crate::domain::org::check_email;
use crate::error::{Error, Result};
use crate::service::Services;
use crate::store::{self, DbConn};
use crate::t;

/// An account to add.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub email: String,
    pub role: String,
    pub unit: Option<String>,
    pub officer: Option<String>,
}

/// An account as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRow {
    pub id: i64,
    pub email: String,
    pub role: StaffRole,
    pub unit: Option<String>,
    pub officer: Option<String>,
    pub disabled: bool,
    pub has_password: bool,
}

/// Who changes accounts from the command line.
const CLI: &str = "cli";

/// Adds an account; returns its id. The role is `admin`, `oversight` or `viewer` (heads and
/// deputies come from the organisation file); `oversight` needs a unit.
pub fn add(s: &Services, a: &NewAccount, now: DateTime<Utc>) -> Result<i64> {
    let email = normalize_email(&a.email);
    check_email(&email).map_err(Error::Invalid)?;
    let role = StaffRole::parse(a.role.trim())
        .filter(|r| matches!(r, StaffRole::Admin | StaffRole::Oversight | StaffRole::Viewer));
    let Some(role) = role else {
        let given = &a.role;
        return Err(Error::Invalid(t!(
            "Vai trò {given:?} không dùng được: chọn admin, oversight hoặc viewer (người đứng đầu và cấp phó lấy từ tệp tổ chức)",
            "Role {given:?} cannot be given: choose admin, oversight or viewer (heads and deputies come from the organisation file)"
        )));
    };
    let a = a.clone();
    s.db.write(move |c| {
        let unit = match a.unit.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            Some(code) => Some(store::org::unit_by_code(c, code)?.ok_or_else(|| {
                Error::Invalid(t!("Không có đơn vị mã {code:?}", "There is no unit with code {code:?}"))
            })?),
            None => None,
        };
        if role == StaffRole::Oversight && unit.is_none() {
            return Err(Error::Invalid(t!(
                "Tài khoản giám sát cần --unit (đơn vị giám sát)",
                "An oversight account needs --unit (the oversight unit)"
            )));
        }
        let officer = match a.officer.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
            Some(code) => Some(store::org::officer_by_code(c, code)?.ok_or_else(|| {
                Error::Invalid(t!("Không có cán bộ mã {code:?}", "There is no officer with code {code:?}"))
            })?),
            None => None,
        };
        let dup = store::staff::accounts_of(c, &email)?
            .into_iter()
            .any(|x| x.role == role && x.unit_id == unit.as_ref().map(|u| u.id));
        if dup {
            let r = role.as_str();
            return Err(Error::Conflict(t!(
                "Địa chỉ {email} đã có tài khoản vai trò {r} cho đơn vị này",
                "{email} already has a {r} account for this unit"
            )));
        }
        let at = now.naive_utc();
        let id = store::staff::add_account(
            c,
            &email,
            role,
            unit.as_ref().map(|u| u.id),
            officer.as_ref().map(|o| o.id),
            at,
        )?;
        let detail = json!({
            "account": id, "email": email, "role": role.as_str(),
            "unit": unit.map(|u| u.code), "officer": officer.map(|o| o.code),
        });
        store::staff::audit(c, at, CLI, "account_added", &detail.to_string())?;
        Ok(id)
    })
}

fn row(c: &mut DbConn, a: store::staff::Account) -> Result<AccountRow> {
    Ok(AccountRow {
        unit: a.unit_id.map(|u| store::org::unit(c, u).map(|u| u.code)).transpose()?,
        officer: a.officer_id.map(|o| store::org::officer(c, o).map(|o| o.code)).transpose()?,
        has_password: store::staff::password(c, &a.email)?.is_some(),
        id: a.id,
        email: a.email,
        role: a.role,
        disabled: a.disabled_at.is_some(),
    })
}

pub fn list(s: &Services) -> Result<Vec<AccountRow>> {
    s.db.read(|c| store::staff::accounts(c)?.into_iter().map(|a| row(c, a)).collect())
}

/// Disables an account and ends its sessions.
pub fn disable(s: &Services, id: i64, now: DateTime<Utc>) -> Result<()> {
    s.db.write(move |c| {
        let at = now.naive_utc();
        if !store::staff::disable_account(c, id, at)? {
            return Err(Error::NotFound(t!("Không có tài khoản số {id} đang hoạt động", "No active account {id}")));
        }
        let n = store::staff::revoke_sessions_of_account(c, id, at)?;
        store::staff::audit(c, at, CLI, "account_disabled", &json!({ "account": id, "sessions": n }).to_string())?;
        Ok(())
    })
}

/// Sets the password of an address that may sign in (an account's or a head's); its sessions end.
pub fn set_password(s: &Services, raw_email: &str, password: &str, now: DateTime<Utc>) -> Result<()> {
    let email = normalize_email(raw_email);
    check_email(&email).map_err(Error::Invalid)?;
    let hash = super::signin::hash_password(password)?;
    s.db.write(move |c| {
        if super::identities(c, &email)?.is_empty() {
            return Err(Error::Invalid(t!(
                "Địa chỉ {email} không đăng nhập được: không phải người đứng đầu, cấp phó hay tài khoản nào",
                "{email} cannot sign in: it is no head's, deputy's or account's address"
            )));
        }
        let at = now.naive_utc();
        store::staff::set_password(c, &email, &hash, at)?;
        let n = store::staff::revoke_sessions_of(c, &email, at)?;
        store::staff::audit(c, at, CLI, "password_set", &json!({ "email": email, "sessions": n }).to_string())?;
        Ok(())
    })
}
