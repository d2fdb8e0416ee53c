//! Administration: logging in, users, settings (with the item 118 rule), and the
//! accumulator's maintenance commands: verify, export (R-30, 5-year retention, 4.Q)
//! and rebuilding projections.
//!
//! Settings and user changes are journaled; export and verify only read.

use std::time::Instant;

use super::dto::*;
use super::{header, local_time};
use crate::core::{Core, millis, offset_of, shift_state};
use crate::domain::shift::ShiftState;
use crate::error::{ApiError, ErrorCode};
use crate::journal::Placement;
use crate::journal::chain::GENESIS;
use crate::journal::projection;
use crate::journal::record::{RecordKind, SettingsPayload, UserPayload, UserRef};
use crate::registration;
use crate::users::{self, Caller, Role, UserRow};

pub fn login(core: &Core, _caller: &Caller, input: LoginIn) -> Result<Caller, ApiError> {
    core.login(&input.pin)
}

fn by(caller: &Caller) -> UserRef {
    UserRef {
        id: caller.user_id,
        name: caller.name.clone(),
    }
}

pub fn user_add(core: &Core, caller: &Caller, input: UserAddIn) -> Result<UserRow, ApiError> {
    let role = Role::parse(&input.role)?;
    let now = millis(core.now());
    let mut st = core.lock();
    let id = st.store.write(|w| -> Result<i64, ApiError> {
        users::add(w, &input.name, role, &input.pin, Some(by(caller)), now)
    })?;
    users::get(st.store.conn(), id)?
        .ok_or_else(|| ApiError::new(ErrorCode::Internal, "the new user was not stored"))
}

pub fn user_list(core: &Core, _caller: &Caller, _input: Empty) -> Result<Vec<UserRow>, ApiError> {
    users::list(core.lock().store.conn())
}

pub fn user_disable(core: &Core, caller: &Caller, input: UserIdIn) -> Result<UserRow, ApiError> {
    if input.id == caller.user_id {
        return Err(ApiError::validation("you cannot disable yourself"));
    }
    let now = millis(core.now());
    let mut st = core.lock();
    st.store.write(|w| -> Result<(), ApiError> {
        let user = users::get(w.conn(), input.id)?.ok_or_else(|| {
            ApiError::new(ErrorCode::NotFound, format!("no user with id {}", input.id))
        })?;
        users::set_active(w.conn(), input.id, false)?;
        w.append(
            RecordKind::User,
            now,
            Placement::default(),
            &UserPayload {
                action: "disabled".into(),
                user_id: input.id,
                name: user.name,
                role: user.role.as_str().into(),
                by: Some(by(caller)),
            },
        )?;
        Ok(())
    })?;
    users::get(st.store.conn(), input.id)?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "user vanished"))
}

/// Which register this is, before anyone logs in: the login screen names the shop and
/// shows the DEMO badge (R-10: a demo register must never pass for a fiscal one). Only
/// what every printed receipt shows anyway.
pub fn register_header(
    core: &Core,
    _caller: &Caller,
    _input: Empty,
) -> Result<HeaderOut, ApiError> {
    Ok(header(&core.settings()))
}

pub fn settings_show(core: &Core, caller: &Caller, _input: Empty) -> Result<SettingsOut, ApiError> {
    let mut settings = core.settings();
    // The operator token lets whoever holds it speak for the register: only the
    // administrator, who may change it, sees it.
    if caller.role != Role::Admin {
        settings.token = 0;
    }
    Ok(SettingsOut {
        settings,
        changed: Vec::new(),
    })
}

/// Item 118: operator connection, registration data and time zone change only
/// with the shift closed; the token at any time.
pub fn settings_update(
    core: &Core,
    caller: &Caller,
    input: SettingsUpdateIn,
) -> Result<SettingsOut, ApiError> {
    let now = millis(core.now());
    let mut st = core.lock();
    let open = match shift_state(st.store.conn())? {
        ShiftState::Open { number, .. } => Some(number),
        ShiftState::Closed { .. } => None,
    };
    let (updated, changed) = registration::apply_changes(&st.settings, &input.changes, open)?;
    if !changed.is_empty() {
        let payload = SettingsPayload {
            by: by(caller),
            changed: changed.clone(),
            settings: updated.clone(),
        };
        st.store.write(|w| {
            w.append(RecordKind::Settings, now, Placement::default(), &payload)
                .map_err(ApiError::from)
        })?;
        st.settings = updated.clone();
        drop(st);
        let linked = ["token", "ofd_channels", "kkm_id", "protocol_version"];
        if changed.iter().any(|c| linked.contains(&c.as_str())) {
            core.link_settings_changed(changed.iter().any(|c| c == "token"))?;
        }
    }
    Ok(SettingsOut {
        settings: updated,
        changed,
    })
}

pub fn verify(core: &Core, _caller: &Caller, _input: Empty) -> Result<VerifyOut, ApiError> {
    let started = Instant::now();
    let outcome = core.verify()?;
    Ok(VerifyOut {
        ok: outcome.is_ok(),
        records: outcome.records,
        shifts_checked: outcome.shifts_checked,
        last_seq: outcome.last_seq,
        failure: outcome.failure,
        seconds: started.elapsed().as_secs_f64(),
    })
}

pub fn export(core: &Core, _caller: &Caller, input: ExportIn) -> Result<ExportPage, ApiError> {
    let st = core.lock();
    let offset = offset_of(&st.settings);
    let (start, end) = super::period::period_bounds(&input.from, &input.to, offset)?;
    let limit = input.limit.unwrap_or(1000).clamp(1, 10_000);
    let after = input.after_seq.unwrap_or(0);
    let records = st.store.page(after, start, end, limit)?;
    let previous_checksum = match records.first() {
        Some(first) if first.seq == 1 => Some(hex::encode(GENESIS)),
        Some(first) => st
            .store
            .get(first.seq - 1)?
            .map(|r| hex::encode(r.checksum)),
        None => None,
    };
    let next_after_seq = if records.len() as i64 == limit {
        records.last().map(|r| r.seq)
    } else {
        None
    };
    let records = records
        .into_iter()
        .map(|r| ExportRecord {
            seq: r.seq,
            kind: r.kind.clone(),
            created_at_ms: r.created_at,
            created_at: local_time(r.created_at, offset),
            shift_no: r.shift_no,
            doc_no: r.doc_no,
            payload: serde_json::from_slice(&r.payload).unwrap_or(serde_json::Value::Null),
            payload_hex: hex::encode(&r.payload),
            checksum: hex::encode(&r.checksum),
        })
        .collect();
    Ok(ExportPage {
        header: header(&st.settings),
        previous_checksum,
        records,
        next_after_seq,
    })
}

pub fn rebuild(core: &Core, _caller: &Caller, _input: Empty) -> Result<RebuildOut, ApiError> {
    let st = core.lock();
    let tx = st.store.conn().unchecked_transaction()?;
    let records = projection::rebuild(&tx)?;
    tx.commit()?;
    Ok(RebuildOut { records })
}
