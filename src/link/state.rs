//! The link's place in the operator conversation, rebuilt from the journal when the
//! link starts: the token and request number to use next, the request still waiting
//! for its answer, the last document the operator acknowledged, and the mode.
//!
//! Everything here is derived from journal records written *before* the next request
//! goes out (spec §1.7: the token of each answer is stored before anything else is
//! sent), so a restart continues the chain exactly. This module reads; it never writes.

use rusqlite::{Connection, OptionalExtension, params};
use sauda_ofd::Envelope;
use sauda_ofd::client::Session;
use sauda_ofd::frame::Version;

use crate::error::ApiError;
use crate::journal::last_of;
use crate::journal::record::{
    LinkModePayload, OfdAnswerPayload, OfdRequestPayload, RecordKind, Settings, SettingsPayload,
};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    Online,
    /// No answer since `since` (Unix ms, the first failed attempt), or the queue is
    /// not yet empty.
    Autonomous {
        since: i64,
    },
    /// The operator refused (token, register blocked) or a queued document was
    /// refused: only a person can resolve it (spec §1.9, §1.11).
    Blocked {
        since: i64,
        cause: BlockCause,
        reason: String,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockCause {
    /// Result 2: a new token from the operator's portal lifts it (spec §1.9).
    Token,
    /// Result 15: the operator lifts it; the link test notices (spec §1.11).
    Operator,
    /// A document was refused: a person must analyse it (spec §5.4 step 4).
    Refused,
}

impl BlockCause {
    pub fn as_str(self) -> &'static str {
        match self {
            BlockCause::Token => "token",
            BlockCause::Operator => "operator",
            BlockCause::Refused => "refused",
        }
    }

    pub fn parse(text: &str) -> BlockCause {
        match text {
            "token" => BlockCause::Token,
            "operator" => BlockCause::Operator,
            _ => BlockCause::Refused,
        }
    }
}

impl Mode {
    pub fn name(&self) -> &'static str {
        match self {
            Mode::Online => "online",
            Mode::Autonomous { .. } => "autonomous",
            Mode::Blocked { .. } => "blocked",
        }
    }

    pub fn since(&self) -> Option<i64> {
        match self {
            Mode::Online => None,
            Mode::Autonomous { since } | Mode::Blocked { since, .. } => Some(*since),
        }
    }
}

/// A document request that was sent and not answered: its number stays reserved and
/// its next exchange must be its resend (spec §1.8, last rule).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outstanding {
    pub doc_seq: i64,
    pub envelope: Envelope,
    /// The frame as first sent, resent byte for byte while nothing else changed.
    pub frame: Vec<u8>,
}

#[derive(Clone, Debug)]
pub struct Loaded {
    pub session: Session,
    pub outstanding: Option<Outstanding>,
    /// The journal `seq` of the last document the operator accepted (0: none).
    pub acked_seq: i64,
    pub mode: Mode,
}

pub fn version_of(settings: &Settings) -> Version {
    Version::parse(&settings.protocol_version).unwrap_or(Version::V203)
}

pub fn kkm_id(settings: &Settings) -> Result<u32, ApiError> {
    settings.kkm_id.trim().parse().map_err(|_| {
        ApiError::validation(format!(
            "the operator id (kkm_id) '{}' is not a number: enter the id the operator issued at registration",
            settings.kkm_id
        ))
    })
}

pub fn load(conn: &Connection, settings: &Settings) -> Result<Loaded, ApiError> {
    let request = last_of(conn, RecordKind::OfdRequest)?;
    let answer = last_of(conn, RecordKind::OfdAnswer)?;
    let request_payload: Option<(i64, OfdRequestPayload)> = match &request {
        Some(r) => Some((r.seq, r.decode()?)),
        None => None,
    };
    let answer_payload: Option<(i64, OfdAnswerPayload)> = match &answer {
        Some(r) => Some((r.seq, r.decode()?)),
        None => None,
    };
    let token = token(conn, settings, answer_payload.as_ref())?;
    let reqnum = match (&request_payload, &answer_payload) {
        (Some((rs, r)), Some((as_, a))) => {
            if rs > as_ {
                r.reqnum
            } else {
                a.reqnum
            }
        }
        (Some((_, r)), None) => r.reqnum,
        (None, Some((_, a))) => a.reqnum,
        (None, None) => 0,
    };
    let session = Session {
        version: version_of(settings),
        id: kkm_id(settings)?,
        token,
        reqnum,
    };
    let acked_seq = acked_seq(conn)?;
    let outstanding = match (&request_payload, &answer_payload) {
        // Service requests are journaled with `doc_seq` 0 and are never resent.
        (Some((rs, r)), answered) if r.doc_seq > 0 && r.doc_seq > acked_seq => {
            let was_answered = answered
                .as_ref()
                .is_some_and(|(as_, a)| as_ > rs && a.reqnum == r.reqnum);
            let frame = hex::decode(&r.frame).unwrap_or_default();
            let id = frame
                .get(..sauda_ofd::frame::HEADER_LEN)
                .and_then(|h| <&[u8; sauda_ofd::frame::HEADER_LEN]>::try_from(h).ok())
                .and_then(|h| sauda_ofd::Header::decode(h).ok())
                .map_or(session.id, |h| h.id);
            (!was_answered).then(|| Outstanding {
                doc_seq: r.doc_seq,
                envelope: Envelope {
                    version: Version::parse(&r.version).unwrap_or(session.version),
                    id,
                    token: r.token,
                    reqnum: r.reqnum,
                },
                frame,
            })
        }
        _ => None,
    };
    let mode = match last_of(conn, RecordKind::LinkMode)? {
        None => Mode::Online,
        Some(r) => {
            let p: LinkModePayload = r.decode()?;
            match p.mode.as_str() {
                "autonomous" => Mode::Autonomous { since: p.since },
                "blocked" => Mode::Blocked {
                    since: p.since,
                    cause: BlockCause::parse(p.cause.as_deref().unwrap_or("")),
                    reason: p.reason,
                },
                _ => Mode::Online,
            }
        }
    };
    Ok(Loaded {
        session,
        outstanding,
        acked_seq,
        mode,
    })
}

/// The token to use: the last answer's, unless an administrator entered a new one
/// after it (after result 2 the old token is dead: spec §1.9).
fn token(
    conn: &Connection,
    settings: &Settings,
    answer: Option<&(i64, OfdAnswerPayload)>,
) -> Result<u32, ApiError> {
    let after = answer.map(|(seq, _)| *seq).unwrap_or(0);
    let mut stmt = conn.prepare_cached(
        "SELECT payload FROM journal
         WHERE kind = 'settings' AND kind NOT IN ('receipt', 'cash') AND seq > ?1
         ORDER BY seq DESC",
    )?;
    let mut rows = stmt.query(params![after])?;
    while let Some(row) = rows.next()? {
        let bytes: Vec<u8> = row.get(0)?;
        if let Ok(p) = serde_json::from_slice::<SettingsPayload>(&bytes)
            && p.changed.iter().any(|c| c == "token")
        {
            return Ok(p.settings.token);
        }
    }
    Ok(match answer {
        Some((_, a)) => a.token,
        None => settings.token,
    })
}

/// Documents reach the operator strictly in order, so everything up to the last
/// acknowledged one is delivered and the queue is what follows it. Cash slips and Z
/// reports get no fiscal sign, so "acknowledged" is "has an accepting answer" (or a
/// person's decision, `ofd_resolution`), never "has a sign".
fn acked_seq(conn: &Connection) -> Result<i64, ApiError> {
    Ok(conn
        .prepare_cached(
            "SELECT doc_seq FROM doc_fiscal WHERE answered_seq IS NOT NULL
             ORDER BY doc_seq DESC LIMIT 1",
        )?
        .query_row([], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

/// The oldest document the operator has not acknowledged: `(seq, created_at)`.
pub fn queue_head(conn: &Connection, acked_seq: i64) -> Result<Option<(i64, i64)>, ApiError> {
    Ok(conn
        .prepare_cached(
            "SELECT seq, created_at FROM journal
             WHERE seq > ?1 AND doc_no IS NOT NULL ORDER BY seq LIMIT 1",
        )?
        .query_row(params![acked_seq], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

pub fn queue_len(conn: &Connection, acked_seq: i64) -> Result<i64, ApiError> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM journal WHERE seq > ?1 AND doc_no IS NOT NULL")?
        .query_row(params![acked_seq], |r| r.get(0))?)
}
