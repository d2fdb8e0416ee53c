//! What the link shows people: its mode, the queue, the 72-hour countdown (R-57,
//! R-61), the last error and the operator's messages; and a document's signs
//! for receipts and reprints. Reads only.

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::{Link, Mode, autonomous, state};
use crate::commands::local_time;
use crate::core::{Core, from_millis, millis, offset_of};
use crate::error::ApiError;
use crate::journal::record::Settings;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct LinkStatus {
    /// False when this process runs without an operator link.
    pub attached: bool,
    /// online, autonomous or blocked.
    pub mode: String,
    pub since: Option<String>,
    pub reason: Option<String>,
    pub protocol: String,
    pub channels: Vec<String>,
    /// Channel (from 1) that answered last.
    pub channel: u32,
    /// Documents the operator has not acknowledged yet, and the oldest one's time.
    pub queued: i64,
    pub oldest_queued: Option<String>,
    /// When fiscal operations stop if the queue is not delivered, and the
    /// minutes left.
    pub block_at: Option<String>,
    pub minutes_left: Option<i64>,
    pub waiting_for_answer: bool,
    pub last_error: Option<String>,
    pub messages: Vec<String>,
}

impl LinkStatus {
    pub fn detached() -> LinkStatus {
        LinkStatus {
            attached: false,
            mode: "detached".into(),
            ..LinkStatus::default()
        }
    }
}

pub fn of(core: &Core, link: &Link) -> Result<LinkStatus, ApiError> {
    let settings = core.settings();
    let offset = offset_of(&settings);
    let now = millis(core.now());
    let (queued, head) = {
        let st = core.lock();
        (
            state::queue_len(st.store.conn(), link.acked_seq)?,
            state::queue_head(st.store.conn(), link.acked_seq)?,
        )
    };
    let deadline = autonomous::deadline(link.mode.since(), head.map(|(_, at)| at))
        .filter(|_| !matches!(link.mode, Mode::Online) || queued > 0);
    Ok(LinkStatus {
        attached: true,
        mode: link.mode.name().into(),
        since: link.mode.since().map(|ms| local_time(ms, offset)),
        reason: match &link.mode {
            Mode::Blocked { reason, .. } => Some(reason.clone()),
            _ => None,
        },
        protocol: link.session.version.as_str().into(),
        channels: link.channels.addrs.clone(),
        channel: link.preferred as u32 + 1,
        queued,
        oldest_queued: head.map(|(_, at)| local_time(at, offset)),
        block_at: deadline.map(|d| local_time(d, offset)),
        minutes_left: deadline.map(|d| ((d - now) / 60_000).max(0)),
        waiting_for_answer: link.outstanding.is_some(),
        last_error: link.last_error.clone(),
        messages: link.messages.clone(),
    })
}

/// A document's signs: the operator's, the register's own, and the check URL.
#[derive(Clone, Debug, Default)]
pub struct DocSigns {
    pub fiscal_sign: Option<String>,
    pub autonomous: Option<u32>,
    pub qr: Option<String>,
}

impl DocSigns {
    /// The sign the buyer's receipt shows: the autonomous one if the receipt was
    /// printed in autonomous mode, else the operator's.
    pub fn printed_sign(&self) -> Option<String> {
        match self.autonomous {
            Some(s) => Some(s.to_string()),
            None => self.fiscal_sign.clone(),
        }
    }
}

pub fn signs_of(conn: &Connection, doc_seq: i64) -> Result<DocSigns, ApiError> {
    Ok(conn
        .prepare_cached(
            "SELECT fiscal_sign, autonomous_sign, qr FROM doc_fiscal WHERE doc_seq = ?1",
        )?
        .query_row([doc_seq], |r| {
            Ok(DocSigns {
                fiscal_sign: r.get(0)?,
                autonomous: r.get(1)?,
                qr: r.get(2)?,
            })
        })
        .optional()?
        .unwrap_or_default())
}

/// The receipt-check URL by the mask of R-73 (reading A-15: `t` is the register's
/// local date and time as `yyyyMMddTHHmmss`, `s` has two tiyn digits).
pub fn check_url(settings: &Settings, sign: &str, total_tiyn: i64, created_ms: i64) -> String {
    let local = from_millis(created_ms).to_offset(offset_of(settings));
    format!(
        "{}?i={sign}&f={}&s={}.{:02}&t={:04}{:02}{:02}T{:02}{:02}{:02}",
        settings.receipt_check_url,
        settings.rnm,
        total_tiyn / 100,
        (total_tiyn % 100).abs(),
        local.year(),
        u8::from(local.month()),
        local.day(),
        local.hour(),
        local.minute(),
        local.second()
    )
}
