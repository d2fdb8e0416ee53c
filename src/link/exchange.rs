//! One document or service exchange with the operator and what it leaves in the
//! journal: the request (its exact frame) before the first send, the answer (with the
//! token held after it) before anything else is sent (spec §1.7, R-48).
//!
//! This module decides nothing about modes or queues; it reports what happened and the
//! caller (`link`) decides. It never edits a document: a refusal is recorded as such.

use std::time::{Duration, Instant};

use prost::Message;
use sauda_ofd::client::{Answer, NoAnswer};
use sauda_ofd::frame;
use sauda_ofd::v204;

use super::Link;
use super::message::{self, Context, OfflinePeriod};
use super::state::Outstanding;
use crate::core::{Core, millis};
use crate::error::{ApiError, ErrorCode};
use crate::journal::Placement;
use crate::journal::record::{
    AutonomousPayload, CashPayload, OfdAnswerPayload, OfdRequestPayload, ReceiptPayload,
    RecordKind, SoftwarePayload, ZReportPayload,
};

/// What became of one exchange.
#[derive(Debug)]
pub enum Outcome {
    /// Result 0; a receipt's fiscal sign and check URL are journaled.
    Accepted {
        messages: Vec<String>,
        /// The whole answer, for service requests whose content matters (INFO).
        response: Box<v204::Response>,
    },
    /// No usable answer before the deadline: nothing is known about the operator's side.
    NoAnswer(String),
    /// Any other result code; the answer is journaled.
    Refused {
        code: u32,
        text: String,
        messages: Vec<String>,
    },
}

/// Sends the document at `doc_seq` (its resend if it is the outstanding one) and
/// journals the request and the answer.
pub fn document(
    core: &Core,
    link: &mut Link,
    doc_seq: i64,
    offline_period: Option<OfflinePeriod>,
    budget: Duration,
) -> Result<Outcome, ApiError> {
    let deadline = Instant::now() + budget;
    let (settings, record, autonomous_sign, software) = {
        let st = core.lock();
        let record = st.store.get(doc_seq)?.ok_or_else(|| {
            ApiError::new(
                ErrorCode::Internal,
                format!("document {doc_seq} is missing from the journal"),
            )
        })?;
        let sign = autonomous_sign(st.store.conn(), doc_seq)?;
        let software = crate::journal::last_of(st.store.conn(), RecordKind::Software)?
            .map(|r| r.decode::<SoftwarePayload>())
            .transpose()?;
        (st.settings.clone(), record, sign, software)
    };
    let ctx = Context {
        settings: &settings,
        offline_period,
        software: software.as_ref(),
    };
    let queued = autonomous_sign.is_some() || offline_period.is_some();
    let request = match record.kind.as_str() {
        "receipt" => {
            let p: ReceiptPayload = record.decode()?;
            message::receipt(&p, record.created_at, autonomous_sign.flatten(), &ctx)
        }
        "cash" => {
            let p: CashPayload = record.decode()?;
            message::cash(&p, record.created_at, queued, &ctx)
        }
        "z_report" => {
            let p: ZReportPayload = record.decode()?;
            message::close_shift(&p, record.created_at, queued, &ctx)
        }
        other => {
            return Err(ApiError::new(
                ErrorCode::Internal,
                format!("journal record {doc_seq} ({other}) is not a fiscal document"),
            ));
        }
    }
    .map_err(message_error)?;
    let mut request = request;
    if let Some(service) = request.service.as_mut() {
        service.comm_quality = link.quality.report();
    }
    let payload = request.encode_to_vec();
    let resend = link
        .outstanding
        .as_ref()
        .filter(|o| o.doc_seq == doc_seq)
        .cloned();
    let envelope = resend
        .as_ref()
        .map_or_else(|| link.session.next(), |o| o.envelope);
    let bytes = match &resend {
        // Nothing to add: the very bytes that went out before (spec §1.8, §5.1 step 6).
        Some(o) if offline_period.is_none() && !o.frame.is_empty() => o.frame.clone(),
        // After an outage the same document, token and number carry the offline
        // period (spec §5.4, R-64).
        _ => frame::encode(envelope, &payload).map_err(|e| {
            ApiError::new(
                ErrorCode::Internal,
                format!("document {doc_seq} does not fit a frame: {e}"),
            )
        })?,
    };
    if resend.is_none() {
        // Journaled before the first byte leaves: after a crash the resend must carry
        // the same token and number (spec §1.8).
        journal_request(
            core,
            &OfdRequestPayload {
                doc_seq,
                doc_no: record.doc_no.unwrap_or(0),
                command: request.command,
                version: envelope.version.as_str().into(),
                reqnum: envelope.reqnum,
                token: envelope.token,
                frame: hex::encode(&bytes),
            },
        )?;
        link.session.spend(envelope);
        link.outstanding = Some(Outstanding {
            doc_seq,
            envelope,
            frame: bytes.clone(),
        });
    }
    let sent = send_until(link, &bytes, deadline);
    finish(
        core,
        link,
        Some(doc_seq),
        request.command,
        envelope.reqnum,
        offline_period,
        sent,
    )
}

fn journal_request(core: &Core, payload: &OfdRequestPayload) -> Result<(), ApiError> {
    let now = millis(core.now());
    core.lock()
        .store
        .write(|w| w.append(RecordKind::OfdRequest, now, Placement::default(), payload))?;
    Ok(())
}

/// Sends until an answer that is not the operator's own trouble (254, 255), or the
/// deadline: those are retried with the same bytes like a missing answer (§1.8).
fn send_until(link: &Link, bytes: &[u8], deadline: Instant) -> Result<Answer, NoAnswer> {
    loop {
        let sent = link.channels.send(bytes, link.preferred, deadline);
        let busy = sent.as_ref().is_ok_and(|a| {
            v204::Response::decode(a.payload.as_slice())
                .is_ok_and(|r| matches!(r.result.result_code, 254 | 255))
        });
        if !busy || Instant::now() + link.channels.timeouts.pause >= deadline {
            return sent;
        }
        std::thread::sleep(link.channels.timeouts.pause);
    }
}

/// A service exchange (COMMAND_SYSTEM, COMMAND_INFO, COMMAND_REPORT): a new request
/// number, journaled before it leaves, no reservation. Its answer is journaled only
/// when it says something.
pub fn service(
    core: &Core,
    link: &mut Link,
    request: v204::Request,
    offline_period: Option<OfflinePeriod>,
    budget: Duration,
) -> Result<Outcome, ApiError> {
    if link.outstanding.is_some() {
        return Err(ApiError::new(
            ErrorCode::Internal,
            "a document waits for its answer: a service request now would carry a token the operator may have replaced (spec §1.8)",
        ));
    }
    let mut request = request;
    if let Some(service) = request.service.as_mut() {
        service.comm_quality = link.quality.report();
    }
    let envelope = link.session.next();
    let bytes = frame::encode(envelope, &request.encode_to_vec())
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
    // §1.6: a service request consumes its number whether or not it is answered, so
    // the number is journaled first: after a restart no document may reuse it.
    journal_request(
        core,
        &OfdRequestPayload {
            doc_seq: 0,
            doc_no: 0,
            command: request.command,
            version: envelope.version.as_str().into(),
            reqnum: envelope.reqnum,
            token: envelope.token,
            frame: hex::encode(&bytes),
        },
    )?;
    link.session.spend(envelope);
    let sent = send_until(link, &bytes, Instant::now() + budget);
    finish(
        core,
        link,
        None,
        request.command,
        envelope.reqnum,
        offline_period,
        sent,
    )
}

fn finish(
    core: &Core,
    link: &mut Link,
    doc_seq: Option<i64>,
    command: i32,
    reqnum: u16,
    offline_period: Option<OfflinePeriod>,
    sent: Result<Answer, NoAnswer>,
) -> Result<Outcome, ApiError> {
    let answer = match sent {
        Ok(a) => {
            link.quality.answered(a.elapsed.as_millis() as u64);
            a
        }
        Err(e) => {
            link.quality.unanswered(e.waited_ms as u64);
            return Ok(Outcome::NoAnswer(e.to_string()));
        }
    };
    let response = match v204::Response::decode(answer.payload.as_slice()) {
        Ok(r) => r,
        Err(e) => {
            tracing::error!("the operator's answer cannot be decoded: {e}");
            return Ok(Outcome::NoAnswer(format!(
                "the operator's answer cannot be decoded: {e}"
            )));
        }
    };
    if response.command != command {
        return Ok(Outcome::NoAnswer(format!(
            "the operator answered command {} to command {command}",
            response.command
        )));
    }
    let code = response.result.result_code;
    let token_changed = link.session.take_token(&answer.header, code);
    link.preferred = answer.channel;
    let messages = operator_messages(&response);
    let fiscal_sign = response.ticket.as_ref().map(|t| t.ticket_number.clone());
    let qr = response
        .ticket
        .as_ref()
        .and_then(|t| t.qr_code.as_ref())
        .map(|q| String::from_utf8_lossy(q).into_owned());
    let text = response.result.result_text.clone().unwrap_or_default();
    let answered_document = doc_seq.is_some();
    if answered_document || token_changed || code != 0 || !messages.is_empty() {
        let now = millis(core.now());
        let payload = OfdAnswerPayload {
            doc_seq,
            command,
            reqnum,
            result_code: code,
            result_text: response.result.result_text.clone(),
            token: link.session.token,
            fiscal_sign: fiscal_sign.clone(),
            qr: qr.clone(),
            offline_period: offline_period.map(|p| [p.begin_ms, p.end_ms]),
            channel: answer.channel as u32 + 1,
            elapsed_ms: answer.elapsed.as_millis() as i64,
            messages: messages.clone(),
        };
        core.lock()
            .store
            .write(|w| w.append(RecordKind::OfdAnswer, now, Placement::default(), &payload))?;
    }
    if answered_document {
        link.outstanding = None;
    }
    if code == 0 {
        if let Some(seq) = doc_seq {
            link.acked_seq = seq;
        }
        Ok(Outcome::Accepted {
            messages,
            response: Box::new(response),
        })
    } else {
        Ok(Outcome::Refused {
            code,
            text,
            messages,
        })
    }
}

/// Texts from the operator or the tax authority to show the cashier.
fn operator_messages(response: &v204::Response) -> Vec<String> {
    response
        .service
        .iter()
        .flat_map(|s| s.ticket_ads.iter())
        .map(|ad| ad.text.clone())
        .filter(|t| !t.trim().is_empty())
        .collect()
}

/// The autonomous record of a document: `None` if it has none, `Some(sign)` if it was
/// queued (the sign is `None` for cash slips and Z reports).
pub fn autonomous_sign(
    conn: &rusqlite::Connection,
    doc_seq: i64,
) -> Result<Option<Option<u32>>, ApiError> {
    use rusqlite::OptionalExtension;
    let row: Option<(bool, Option<u32>)> = conn
        .prepare_cached("SELECT queued, autonomous_sign FROM doc_fiscal WHERE doc_seq = ?1")?
        .query_row([doc_seq], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(match row {
        Some((true, sign)) => Some(sign),
        _ => None,
    })
}

pub fn queue_document(
    core: &Core,
    doc_seq: i64,
    doc_no: i64,
    sign: Option<u32>,
) -> Result<(), ApiError> {
    let now = millis(core.now());
    core.lock().store.write(|w| {
        w.append(
            RecordKind::Autonomous,
            now,
            Placement::default(),
            &AutonomousPayload {
                doc_seq,
                doc_no,
                sign,
            },
        )
    })?;
    Ok(())
}

fn message_error(e: message::MessageError) -> ApiError {
    ApiError::new(
        ErrorCode::Validation,
        format!("the document cannot be put into an operator message: {e}"),
    )
}
