//! What people and the background worker do with the link: test it (R-41, item 78.2),
//! replay the queue now, ask the operator's registration data, X report and national
//! catalogue, decide about a document the operator refused, and react to new settings.
//!
//! Every decision a person makes about a refused document is journaled with their
//! name; nothing here changes a document or drops one silently.

use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use super::exchange::{self, Outcome};
use super::message::{self, Context};
use super::{
    BlockCause, Link, LinkStatus, Mode, NationalItem, OperatorXReport, RegistrationCheck,
    nomenclature, operator_report, registration, state, status,
};
use crate::core::{Core, millis};
use crate::error::{ApiError, ErrorCode};
use crate::journal::Placement;
use crate::journal::record::{OfdResolutionPayload, RecordKind, UserRef};

/// What to do with a document the operator refused (spec §1.11, §5.4 step 4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// Send it again as a new request (after the cause was fixed, e.g. a new token or
    /// the operator's own correction; spec §5.1 "13 or 17: send again").
    Resend,
    /// Take it off the queue: the operator will never have it. Only after the service
    /// engineer and the operator agreed; the journal keeps who decided and why.
    Remove,
}

impl Core {
    /// Tries the operator now: resends a waiting document or reports the autonomous
    /// period and replays the queue; when nothing waits, sends the availability
    /// message. Lifts the operator's block when it answers 0.
    pub fn link_test(&self) -> Result<LinkStatus, ApiError> {
        let mut guard = self.link_slot();
        let link = guard.as_mut().ok_or_else(not_attached)?;
        link.last_test = Some(Instant::now());
        match link.mode.clone() {
            // A dead token stays dead until a new one is entered (spec §1.9); a refused
            // document waits for a person. Asking again would only repeat the refusal.
            Mode::Blocked {
                cause: BlockCause::Token | BlockCause::Refused,
                ..
            } => {}
            Mode::Blocked { since, .. } => {
                if self.availability(link)? == Some(true) {
                    // The block was an autonomous period too: it is reported from its start.
                    self.set_mode(
                        link,
                        Mode::Autonomous { since },
                        "the operator lifted the block",
                    )?;
                    self.pump(link, None, None)?;
                }
            }
            Mode::Autonomous { .. } => self.pump(link, None, None)?,
            Mode::Online => {
                let queued = {
                    let st = self.lock();
                    state::queue_head(st.store.conn(), link.acked_seq)?.is_some()
                };
                if queued || link.outstanding.is_some() {
                    self.pump(link, None, None)?;
                } else if self.availability(link)? == Some(false) {
                    // A break noticed while idle starts autonomous mode too (spec §5.4).
                    let since = millis(self.now());
                    self.set_mode(
                        link,
                        Mode::Autonomous { since },
                        "no answer to the link test",
                    )?;
                }
            }
        }
        status::of(self, link)
    }

    /// The availability message (COMMAND_SYSTEM): `Some(true)` answered 0, `Some(false)`
    /// no answer, `None` refused (the refusal is handled).
    fn availability(&self, link: &mut Link) -> Result<Option<bool>, ApiError> {
        let settings = self.settings();
        let request = message::system(&Context::service(&settings))
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
        Ok(
            match exchange::service(self, link, request, None, link.options.budget)? {
                Outcome::Accepted { mut messages, .. } => {
                    link.messages.append(&mut messages);
                    link.last_error = None;
                    Some(true)
                }
                Outcome::NoAnswer(e) => {
                    link.last_error = Some(e);
                    Some(false)
                }
                Outcome::Refused {
                    code,
                    text,
                    mut messages,
                } => {
                    link.messages.append(&mut messages);
                    link.last_error = Some(format!("result {code}: {text}"));
                    self.refused(link, None, code, &text)?;
                    None
                }
            },
        )
    }

    /// Replays the queue now (also what the worker does every `reconnect_every`).
    pub fn link_replay(&self) -> Result<LinkStatus, ApiError> {
        let mut guard = self.link_slot();
        let link = guard.as_mut().ok_or_else(not_attached)?;
        if !matches!(link.mode, Mode::Blocked { .. }) {
            self.pump(link, None, None)?;
        }
        status::of(self, link)
    }

    /// A person's decision about the document the operator refused: journaled with
    /// their name and reason, then the queue goes on (spec §1.11).
    pub fn link_resolve(
        &self,
        resolution: Resolution,
        by: UserRef,
        reason: &str,
    ) -> Result<LinkStatus, ApiError> {
        let mut guard = self.link_slot();
        let link = guard.as_mut().ok_or_else(not_attached)?;
        let Mode::Blocked {
            since,
            cause: BlockCause::Refused,
            ..
        } = link.mode
        else {
            return Err(ApiError::new(
                ErrorCode::Validation,
                "no document is refused by the operator: nothing to resolve",
            ));
        };
        if reason.trim().chars().count() < 5 {
            return Err(ApiError::validation(
                "say why in a few words (it is kept in the journal with your name)",
            ));
        }
        let now = millis(self.now());
        let head = {
            let st = self.lock();
            state::queue_head(st.store.conn(), link.acked_seq)?
        };
        let Some((doc_seq, _)) = head else {
            return Err(ApiError::new(
                ErrorCode::Validation,
                "the queue is empty: nothing to resolve",
            ));
        };
        let payload = OfdResolutionPayload {
            doc_seq,
            action: match resolution {
                Resolution::Resend => "resend".into(),
                Resolution::Remove => "remove".into(),
            },
            by,
            reason: reason.trim().to_string(),
        };
        self.lock().store.write(|w| {
            w.append(
                RecordKind::OfdResolution,
                now,
                Placement::default(),
                &payload,
            )
        })?;
        if resolution == Resolution::Remove {
            link.acked_seq = doc_seq;
        }
        link.outstanding = None;
        self.set_mode(
            link,
            Mode::Autonomous { since },
            "a person resolved the refusal",
        )?;
        self.pump(link, None, None)?;
        status::of(self, link)
    }

    /// Fetches the operator's registration data and compares them with the settings.
    pub fn link_registration(&self) -> Result<RegistrationCheck, ApiError> {
        let mut guard = self.link_slot();
        let link = guard.as_mut().ok_or_else(not_attached)?;
        registration::check(self, link)
    }

    /// Sends the X report to the operator and returns the operator's copy (spec §5.2).
    pub fn link_x_report(&self) -> Result<OperatorXReport, ApiError> {
        let mut guard = self.link_slot();
        let link = guard.as_mut().ok_or_else(not_attached)?;
        operator_report::x_report(self, link)
    }

    /// Asks the operator's national catalogue about a barcode the shop does not know
    /// yet (spec §3.10), to pre-fill a new item. Never changes the link's mode: when it
    /// cannot answer, the manager fills the fields by hand.
    pub fn link_nomenclature_lookup(&self, barcode: &str) -> Result<NationalItem, ApiError> {
        let barcode = nomenclature::barcode(barcode)?;
        let mut guard = self.link_slot();
        let link = guard.as_mut().ok_or_else(nomenclature::not_linked)?;
        nomenclature::lookup(self, link, &barcode)
    }

    pub fn link_status(&self) -> Result<LinkStatus, ApiError> {
        let guard = self.link_slot();
        match guard.as_ref() {
            Some(link) => status::of(self, link),
            None => Ok(LinkStatus::detached()),
        }
    }

    /// After the settings changed: new addresses take effect, and a new token lifts a
    /// token block (spec §1.9).
    pub(crate) fn link_settings_changed(&self, token_changed: bool) -> Result<(), ApiError> {
        let options = match self.link_slot().as_ref() {
            Some(link) => link.options.clone(),
            None => return Ok(()),
        };
        self.attach_link(options)?;
        let mut guard = self.link_slot();
        if let Some(link) = guard.as_mut()
            && token_changed
            && let Mode::Blocked {
                since,
                cause: BlockCause::Token,
                ..
            } = link.mode
        {
            self.set_mode(link, Mode::Autonomous { since }, "a new token was entered")?;
        }
        Ok(())
    }
}

pub(crate) fn not_attached() -> ApiError {
    ApiError::new(
        ErrorCode::Validation,
        "this register is not connected to an operator (no link was started)",
    )
}

/// Runs the link in the background for shells that stay up (the app, the demo): tries
/// the queue every `reconnect_every` while autonomous, and sends the availability
/// message every `test_every` while online (item 78.2). Ends when the core is dropped.
pub fn spawn_worker(core: &Arc<Core>, tick: Duration) -> std::thread::JoinHandle<()> {
    let weak: Weak<Core> = Arc::downgrade(core);
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(tick);
            let Some(core) = weak.upgrade() else {
                return;
            };
            let due = core.link_slot().as_ref().map(|l| {
                let (last, every) = match l.mode {
                    Mode::Online => (l.last_test.max(l.last_attempt), l.options.test_every),
                    _ => (l.last_attempt.max(l.last_test), l.options.reconnect_every),
                };
                last.is_none_or(|t| t.elapsed() >= every)
            });
            if due == Some(true)
                && let Err(e) = core.link_test()
            {
                tracing::warn!("operator link worker: {e}");
            }
        }
    })
}
