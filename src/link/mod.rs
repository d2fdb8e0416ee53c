//! The link to the fiscal data operator (ОФД): every fiscal document goes to the
//! operator in the order it was made, and every answer is journaled (R-40, R-44, R-45,
//! When the operator does not answer within the budget (5 s, R-55) the register
//! goes autonomous at once: the document gets the register's own fiscal sign
//! and waits in the queue, and so does every later one until the queue is empty
//! (R-63, spec §5.4). Replay first reports the autonomous period, then sends the
//! queue in order, each marked offline.
//!
//! The queue is not a table: documents are delivered strictly in order, so it is
//! "every document after the last one the operator accepted", read from the journal.
//! This module never changes a document, and never sends a service request while a
//! document waits for its answer (spec §1.8).

mod autonomous;
pub mod bench;
mod control;
mod exchange;
pub mod message;
mod nomenclature;
mod operator_report;
mod quality;
mod registration;
mod state;
mod status;

use std::time::{Duration, Instant};

use sauda_ofd::client::{Channels, Session, Timeouts};

use crate::core::{Core, millis};
use crate::error::{ApiError, ErrorCode};
use crate::journal::Placement;
use crate::journal::record::{LinkModePayload, RecordKind};
use crate::problem::{Problem, ProblemKey};
pub use control::{Resolution, spawn_worker};
use exchange::Outcome;
use message::{Context, OfflinePeriod};
pub use nomenclature::NationalItem;
pub use operator_report::{OperatorTickets, OperatorXReport};
pub use registration::{OperatorRegistration, RegistrationCheck};
use state::Outstanding;
pub use state::{BlockCause, Mode};
pub use status::{DocSigns, LinkStatus, check_url, signs_of};

/// How the register reaches the operator.
#[derive(Clone, Debug)]
pub struct LinkOptions {
    /// Operator addresses in priority order; `None` takes the register's settings.
    pub channels: Option<Vec<String>>,
    /// How long one message may wait for its answer before autonomous mode.
    pub budget: Duration,
    pub timeouts: Timeouts,
    /// While autonomous: how often to try the operator again (spec §1.10: ≥ 60 s).
    pub reconnect_every: Duration,
    /// While online: how often the availability message is sent (item 78.3).
    pub test_every: Duration,
    /// Try the queue again on the next document when `reconnect_every` has passed. For
    /// shells without a background worker (the CLI); the app runs [`spawn_worker`].
    pub retry_on_document: bool,
}

impl Default for LinkOptions {
    fn default() -> LinkOptions {
        LinkOptions {
            channels: None,
            budget: Duration::from_secs(5),
            timeouts: Timeouts::default(),
            reconnect_every: Duration::from_secs(60),
            test_every: Duration::from_secs(15 * 60),
            retry_on_document: true,
        }
    }
}

/// The live link; lives in [`Core`] behind its own lock, taken before the journal's.
pub struct Link {
    pub(crate) channels: Channels,
    pub(crate) session: Session,
    pub(crate) outstanding: Option<Outstanding>,
    pub(crate) acked_seq: i64,
    pub(crate) preferred: usize,
    mode: Mode,
    options: LinkOptions,
    last_attempt: Option<Instant>,
    last_test: Option<Instant>,
    last_error: Option<String>,
    messages: Vec<String>,
    /// The autonomous period was reported to the operator in this episode.
    period_reported: bool,
    pub(crate) quality: quality::Quality,
}

/// What a new fiscal document got, for the receipt and the cashier's screen.
#[derive(Clone, Debug, Default)]
pub struct Fiscalisation {
    /// The operator's fiscal sign, or the autonomous sign as decimal text.
    pub fiscal_sign: Option<String>,
    pub autonomous: bool,
    /// The receipt-check URL from the operator; formed locally when autonomous.
    pub qr: Option<String>,
    /// What to tell the cashier: autonomous mode, countdown, operator messages.
    pub notices: Vec<Problem>,
}

/// The notice of R-57: the till worded it in the cashier's language (R-60 term "Автономды").
fn autonomous_notice() -> Problem {
    Problem::bare(
        ProblemKey::Autonomous,
        "autonomous mode: the operator does not answer; documents are queued with autonomous signs",
    )
}

/// A failed exchange: the document stands; the reason is for the service engineer.
fn link_trouble(e: &ApiError) -> Problem {
    Problem::bare(
        ProblemKey::LinkTrouble,
        format!("operator link: {}", e.message),
    )
}

/// The operator's texts, oldest first, as notices (R-50, item 96).
fn operator_messages(messages: &mut Vec<String>) -> impl Iterator<Item = Problem> + use<> {
    std::mem::take(messages).into_iter().map(|text| {
        let message = format!("operator message: {text}");
        Problem::new(ProblemKey::OperatorMessage, [text], message)
    })
}

impl Core {
    /// Connects the register to its operator: rebuilds the link's state from the
    /// journal. Documents made before are sent with the next document or replay.
    pub fn attach_link(&self, options: LinkOptions) -> Result<(), ApiError> {
        // The link lock is held from reading the journal to installing the link, so no
        // exchange can journal a newer token or number in between.
        let mut guard = self.link_slot();
        let settings = self.settings();
        let loaded = {
            let st = self.lock();
            state::load(st.store.conn(), &settings)?
        };
        let addrs = options
            .channels
            .clone()
            .unwrap_or_else(|| settings.ofd_channels.clone());
        // A shell that restarts often (the CLI) must not wait out the budget on every
        // start while the operator is away: the mode's start counts as the last try.
        let last_attempt = loaded.mode.since().and_then(|since| {
            let ago = u64::try_from(millis(self.now()) - since).ok()?;
            Instant::now().checked_sub(Duration::from_millis(ago))
        });
        let previous = guard.take();
        let mut link = Link {
            channels: Channels::new(addrs, options.timeouts),
            session: loaded.session,
            outstanding: loaded.outstanding,
            acked_seq: loaded.acked_seq,
            preferred: 0,
            mode: loaded.mode,
            options,
            last_attempt,
            last_test: None,
            last_error: None,
            messages: Vec::new(),
            period_reported: false,
            quality: quality::Quality::default(),
        };
        if let Some(old) = previous {
            // Messages not yet shown and what the old link learnt survive.
            link.messages = old.messages;
            link.last_error = old.last_error;
            link.quality = old.quality;
            link.period_reported = old.period_reported;
            link.last_attempt = old.last_attempt.or(link.last_attempt);
            if old.channels.addrs == link.channels.addrs {
                link.preferred = old.preferred;
            }
        }
        *guard = Some(link);
        Ok(())
    }

    /// Refuses a new fiscal document while the link forbids one: blocked by the
    /// operator or 72 h of autonomous mode. Returns warnings to show otherwise.
    pub(crate) fn link_gate(&self) -> Result<Vec<Problem>, ApiError> {
        let guard = self.link_slot();
        let Some(link) = guard.as_ref() else {
            return Ok(Vec::new());
        };
        if let Mode::Blocked { reason, .. } = &link.mode {
            return Err(ApiError::new(
                ErrorCode::LinkBlocked,
                format!("fiscal operations are blocked by the operator link: {reason}"),
            ));
        }
        let now = millis(self.now());
        let deadline = {
            let st = self.lock();
            let head = state::queue_head(st.store.conn(), link.acked_seq)?;
            autonomous::deadline(link.mode.since(), head.map(|(_, at)| at))
        };
        let Some(deadline) = deadline else {
            return Ok(Vec::new());
        };
        if let Some(e) = autonomous::limit_error(deadline, now) {
            return Err(e);
        }
        Ok(autonomous::warning(deadline, now).into_iter().collect())
    }

    /// Sends the document just journaled at `doc_seq` (after any older ones still
    /// queued), or queues it with an autonomous sign. Never fails the document: it is
    /// recorded already, and the link's troubles become notices and journal records.
    pub(crate) fn fiscalise(&self, doc_seq: i64, doc_no: i64, receipt: bool) -> Fiscalisation {
        let mut guard = self.link_slot();
        let Some(link) = guard.as_mut() else {
            return Fiscalisation::default();
        };
        match self.fiscalise_with(link, doc_seq, doc_no, receipt) {
            Ok(f) => f,
            Err(e) => {
                tracing::error!("operator link: {e}");
                link.last_error = Some(e.message.clone());
                Fiscalisation {
                    notices: vec![link_trouble(&e)],
                    ..Fiscalisation::default()
                }
            }
        }
    }

    fn fiscalise_with(
        &self,
        link: &mut Link,
        doc_seq: i64,
        doc_no: i64,
        receipt: bool,
    ) -> Result<Fiscalisation, ApiError> {
        let try_now = match link.mode {
            Mode::Online => true,
            Mode::Autonomous { .. } => {
                link.options.retry_on_document
                    && link
                        .last_attempt
                        .is_none_or(|t| t.elapsed() >= link.options.reconnect_every)
            }
            Mode::Blocked { .. } => false,
        };
        let mut notices = Vec::new();
        if try_now {
            // The cashier waits at most one budget for older queued documents;
            // what is left goes on in the background or with the next document.
            let cap = Instant::now() + link.options.budget;
            if let Err(e) = self.pump(link, Some(doc_seq), Some(cap)) {
                // The document is journaled; it must still get a sign.
                tracing::error!("operator link: {e}");
                link.last_error = Some(e.message.clone());
                notices.push(link_trouble(&e));
            }
        }
        if link.acked_seq >= doc_seq {
            let st = self.lock();
            let DocSigns {
                fiscal_sign: sign,
                qr,
                ..
            } = status::signs_of(st.store.conn(), doc_seq)?;
            notices.extend(operator_messages(&mut link.messages));
            return Ok(Fiscalisation {
                fiscal_sign: sign,
                autonomous: false,
                qr,
                notices,
            });
        }
        // Not delivered: the document waits in the queue with the register's own sign.
        let sign = {
            let st = self.lock();
            match exchange::autonomous_sign(st.store.conn(), doc_seq)? {
                Some(sign) => sign,
                None => {
                    let sign = if receipt {
                        Some(autonomous::next_sign(st.store.conn(), millis(self.now()))?)
                    } else {
                        None
                    };
                    drop(st);
                    exchange::queue_document(self, doc_seq, doc_no, sign)?;
                    sign
                }
            }
        };
        if matches!(link.mode, Mode::Online) {
            let since = millis(self.now());
            self.set_mode(link, Mode::Autonomous { since }, "no answer")?;
        }
        notices.push(autonomous_notice());
        notices.extend(operator_messages(&mut link.messages));
        Ok(Fiscalisation {
            fiscal_sign: sign.map(|s| s.to_string()),
            autonomous: true,
            qr: None,
            notices,
        })
    }

    /// Delivers the queue in order until it is empty, `until` is delivered, `stop_at`
    /// passes, or the operator stops answering (then: autonomous) or refuses (then:
    /// blocked). In autonomous mode the period is reported first, also when
    /// the queue is empty (a break noticed while idle, spec §5.4).
    fn pump(
        &self,
        link: &mut Link,
        until: Option<i64>,
        stop_at: Option<Instant>,
    ) -> Result<(), ApiError> {
        let mut retries_8_9 = 0;
        loop {
            if stop_at.is_some_and(|t| Instant::now() >= t) {
                return Ok(());
            }
            let head = {
                let st = self.lock();
                state::queue_head(st.store.conn(), link.acked_seq)?
            };
            link.last_attempt = Some(Instant::now());
            let attempt_began = millis(self.now());
            let period = match link.mode {
                Mode::Autonomous { since } => Some(OfflinePeriod {
                    begin_ms: since,
                    end_ms: attempt_began,
                }),
                _ => None,
            };
            if period.is_some() && link.outstanding.is_none() && !link.period_reported() {
                // The unanswered document's resend (which carries the period) would
                // have to go first; otherwise a service message reports it.
                let request = {
                    let settings = self.settings();
                    message::system(&Context {
                        settings: &settings,
                        offline_period: period,
                        software: None,
                    })
                    .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?
                };
                match exchange::service(self, link, request, period, link.options.budget)? {
                    Outcome::Accepted { mut messages, .. } => {
                        link.messages.append(&mut messages);
                        link.mark_period_reported();
                    }
                    Outcome::NoAnswer(e) => {
                        link.last_error = Some(e);
                        return Ok(());
                    }
                    Outcome::Refused { code, text, .. } => {
                        return self.refused(link, None, code, &text);
                    }
                }
            }
            let Some((head, _)) = head else {
                if !matches!(link.mode, Mode::Online) {
                    self.set_mode(link, Mode::Online, "the queue is delivered")?;
                }
                return Ok(());
            };
            if until.is_some_and(|u| head > u) {
                return Ok(());
            }
            match exchange::document(self, link, head, period, link.options.budget)? {
                Outcome::Accepted { mut messages, .. } => {
                    link.messages.append(&mut messages);
                    link.last_error = None;
                }
                Outcome::NoAnswer(e) => {
                    tracing::warn!("operator link: {e}");
                    link.last_error = Some(e);
                    if matches!(link.mode, Mode::Online) {
                        self.set_mode(
                            link,
                            Mode::Autonomous {
                                since: attempt_began,
                            },
                            "no answer within the time limit",
                        )?;
                    }
                    return Ok(());
                }
                Outcome::Refused { code: 8 | 9, .. } if retries_8_9 < 2 => {
                    // §1.8: the number clashed; the next attempt takes a new one.
                    retries_8_9 += 1;
                }
                Outcome::Refused {
                    code,
                    text,
                    mut messages,
                    ..
                } => {
                    link.messages.append(&mut messages);
                    return self.refused(link, Some(head), code, &text);
                }
            }
        }
    }

    fn refused(
        &self,
        link: &mut Link,
        doc_seq: Option<i64>,
        code: u32,
        text: &str,
    ) -> Result<(), ApiError> {
        let (cause, what) = match code {
            254 | 255 => {
                // §1.8: the operator's own trouble; retried like a missing answer.
                link.last_error = Some(format!("operator error {code}: {text}"));
                if matches!(link.mode, Mode::Online) {
                    let since = millis(self.now());
                    self.set_mode(link, Mode::Autonomous { since }, "operator error")?;
                }
                return Ok(());
            }
            2 => (
                BlockCause::Token,
                "the operator refused the token: enter the new token from the operator's portal (settings: token)".to_string(),
            ),
            15 => (
                BlockCause::Operator,
                "the operator has blocked this register; the link test checks whether the block is lifted".to_string(),
            ),
            _ => (
                BlockCause::Refused,
                format!(
                    "the operator refused document {} with result {code} ({text}): call the service engineer",
                    doc_seq.map(|s| s.to_string()).unwrap_or_else(|| "-".into())
                ),
            ),
        };
        let since = millis(self.now());
        self.set_mode(
            link,
            Mode::Blocked {
                since,
                cause,
                reason: what.clone(),
            },
            &what,
        )
    }

    fn set_mode(&self, link: &mut Link, mode: Mode, reason: &str) -> Result<(), ApiError> {
        let same = match (&link.mode, &mode) {
            (Mode::Blocked { cause: a, .. }, Mode::Blocked { cause: b, .. }) => a == b,
            (a, b) => a.name() == b.name(),
        };
        if same {
            // A repeated refusal or failure is not a new episode: keep its start, and do
            // not grow the journal every time the worker tries.
            return Ok(());
        }
        let now = millis(self.now());
        let payload = LinkModePayload {
            mode: mode.name().into(),
            since: mode.since().unwrap_or(now),
            cause: match &mode {
                Mode::Blocked { cause, .. } => Some(cause.as_str().into()),
                _ => None,
            },
            reason: match &mode {
                Mode::Blocked { reason, .. } => reason.clone(),
                _ => reason.into(),
            },
        };
        self.lock()
            .store
            .write(|w| w.append(RecordKind::LinkMode, now, Placement::default(), &payload))?;
        tracing::info!("operator link: {} ({reason})", mode.name());
        link.mode = mode;
        link.period_reported = false;
        Ok(())
    }
}

impl Link {
    fn period_reported(&self) -> bool {
        self.period_reported
    }

    fn mark_period_reported(&mut self) {
        self.period_reported = true;
    }
}
