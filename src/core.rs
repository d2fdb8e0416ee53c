//! The register at run time: the open journal, the current settings, the clock and the
//! integrity block. Creating a register (`init`), opening it (with the start-up
//! integrity check), logging in, and the integrity checks that the law schedules live
//! here; the commands build on them.
//!
//! A failed integrity check blocks fiscal operations until the cause is fixed;
//! reading reports and exporting stay possible. This module never decides a
//! document's content: that is the commands' and the domain's job.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::{Connection, OptionalExtension};
use time::{OffsetDateTime, UtcOffset};

use crate::domain::shift::ShiftState;
use crate::error::{ApiError, ErrorCode};
use crate::journal::chain::ChainKey;
use crate::journal::keys::{self, KeyStoreKind, KeyStorePreference};
use crate::journal::record::{
    IntegrityPayload, RecordKind, RegistrationPayload, Settings, SettingsPayload, ZReportPayload,
};
use crate::journal::report::{ShiftReport, shift_report};
use crate::journal::verify::{Check, Failure, Outcome, verify};
use crate::journal::{Placement, Store, Writer};
use crate::ports::Clock;
use crate::registration;
use crate::software;
use crate::users::{self, Caller, Role};

pub struct Core {
    dir: PathBuf,
    clock: Arc<dyn Clock>,
    /// The operator link, when a shell started one; always locked before `state`.
    link: Mutex<Option<crate::link::Link>>,
    /// The receipt printer, when a shell attached one; locked before `state` too.
    pub(crate) printer: Mutex<crate::printing::Slot>,
    /// The shop's catalogue, opened at first use; never locked while `state` is held,
    /// so a slow catalogue query cannot hold up the journal.
    catalogue: Mutex<Option<crate::catalogue::Catalogue>>,
    state: Mutex<State>,
}

pub(crate) struct State {
    pub store: Store,
    pub settings: Settings,
    pub block: Option<Failure>,
}

/// What `sauda init` needs.
pub struct InitInput {
    pub settings: Settings,
    pub admin_name: String,
    pub admin_pin: String,
    pub key_store: KeyStorePreference,
}

impl InitInput {
    /// A DEMO register (`registration::demo_settings`) whose administrator has `pin`,
    /// with its chain key in a file: what tests and scripted demos start from.
    pub fn demo(admin_pin: &str) -> InitInput {
        InitInput {
            settings: crate::registration::demo_settings(),
            admin_name: "Әкімші".into(),
            admin_pin: admin_pin.into(),
            key_store: KeyStorePreference::Only(crate::journal::keys::KeyStoreKind::File),
        }
    }
}

pub fn millis(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

pub fn from_millis(ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

impl Core {
    /// Registers a new register in `dir`: creates the chain key, writes the
    /// registration record and the first administrator. Returns warnings to show.
    pub fn init(
        dir: &Path,
        input: InitInput,
        clock: Arc<dyn Clock>,
    ) -> Result<(Core, Vec<String>), ApiError> {
        if Store::exists(dir) {
            let store = Store::open(dir)?;
            if store.count()? > 0 {
                return Err(ApiError::new(
                    ErrorCode::AlreadyRegistered,
                    format!(
                        "{} already holds a register; a fiscal journal is never overwritten: choose another --data folder",
                        dir.display()
                    ),
                ));
            }
        }
        registration::validate(&input.settings)?;
        crate::domain::identity::check_pin(&input.admin_pin)?;
        let mut store = Store::open(dir)?;
        let account = key_account(&input.settings);
        let (key, kind, warning) = keys::create(dir, &account, input.key_store)?;
        let key = ChainKey::from_bytes(&key);
        let registration = RegistrationPayload {
            settings: input.settings.clone(),
            key_store: kind.as_str().to_string(),
            key_fingerprint: key.fingerprint().to_string(),
        };
        store.set_key(key);
        let now = millis(clock.now());
        store.write(|w| -> Result<(), ApiError> {
            w.append(
                RecordKind::Registration,
                now,
                Placement::default(),
                &registration,
            )?;
            users::add(
                w,
                &input.admin_name,
                Role::Admin,
                &input.admin_pin,
                None,
                now,
            )?;
            software::record_if_changed(w, dir, now)?;
            Ok(())
        })?;
        let core = Core {
            dir: dir.to_path_buf(),
            clock,
            link: Mutex::new(None),
            printer: Mutex::new(crate::printing::Slot::default()),
            catalogue: Mutex::new(None),
            state: Mutex::new(State {
                store,
                settings: input.settings,
                block: None,
            }),
        };
        Ok((core, warning.into_iter().collect()))
    }

    /// Opens the register in `dir` and runs the start-up integrity check (item 86,
    /// reading A-13). A failed check does not fail `open`: it blocks fiscal work.
    pub fn open(dir: &Path, clock: Arc<dyn Clock>) -> Result<Core, ApiError> {
        if !Store::exists(dir) {
            return Err(not_registered(dir));
        }
        let mut store = Store::open(dir)?;
        let Some(first) = store.get(1)? else {
            return Err(not_registered(dir));
        };
        let registration: RegistrationPayload = first.decode()?;
        let settings = match store.last_of(RecordKind::Settings)? {
            Some(r) => r.decode::<SettingsPayload>()?.settings,
            None => registration.settings.clone(),
        };
        let mut block = None;
        match load_key(dir, &registration) {
            Ok(key) => store.set_key(key),
            Err(failure) => block = Some(failure),
        }
        let core = Core {
            dir: dir.to_path_buf(),
            clock,
            link: Mutex::new(None),
            printer: Mutex::new(crate::printing::Slot::default()),
            catalogue: Mutex::new(None),
            state: Mutex::new(State {
                store,
                settings,
                block,
            }),
        };
        let outcome = core.verify()?;
        if outcome.is_ok() {
            let now = millis(core.clock.now());
            let mut st = core.lock();
            st.store
                .write(|w| software::record_if_changed(w, dir, now))?;
        }
        Ok(core)
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The state with every report row written: for commands that read the report
    /// tables (X, status, by cashier or section, returns). See `Store::write_sale`.
    pub(crate) fn lock_fresh(&self) -> Result<MutexGuard<'_, State>, ApiError> {
        let mut st = self.lock();
        st.store.catch_up()?;
        Ok(st)
    }

    /// Runs `work` on the catalogue, opening it first if need be. A catalogue that
    /// cannot be opened fails this call only; fiscal work goes on without it.
    pub(crate) fn with_catalogue<T>(
        &self,
        work: impl FnOnce(&mut crate::catalogue::Catalogue) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let mut slot = self.catalogue.lock().unwrap_or_else(|p| p.into_inner());
        if slot.is_none() {
            *slot = Some(crate::catalogue::Catalogue::open(&self.dir)?);
        }
        match slot.as_mut() {
            Some(catalogue) => work(catalogue),
            None => Err(ApiError::new(
                ErrorCode::Internal,
                "the catalogue is not open",
            )),
        }
    }

    pub(crate) fn link_slot(&self) -> MutexGuard<'_, Option<crate::link::Link>> {
        self.link.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    pub fn settings(&self) -> Settings {
        self.lock().settings.clone()
    }

    /// The integrity failure that blocks fiscal operations, if any.
    pub fn block(&self) -> Option<Failure> {
        self.lock().block.clone()
    }

    /// The register's local time zone.
    pub fn offset(&self) -> UtcOffset {
        offset_of(&self.lock().settings)
    }

    pub fn login(&self, pin: &str) -> Result<Caller, ApiError> {
        let now = millis(self.clock.now());
        let st = self.lock();
        users::login(st.store.conn(), pin, now)
    }

    /// Runs the full integrity check now; a failure blocks the register, a pass after
    /// a repair lifts the block.
    pub fn verify(&self) -> Result<Outcome, ApiError> {
        let mut st = self.lock();
        if let Some(f) = &st.block
            && f.check == Check::Key
        {
            return Ok(Outcome {
                records: 0,
                shifts_checked: 0,
                last_seq: 0,
                failure: Some(f.clone()),
            });
        }
        let Some(key) = st.store.key() else {
            return Err(ApiError::new(
                ErrorCode::KeyUnavailable,
                "the chain key is not loaded",
            ));
        };
        let outcome = verify(st.store.conn(), key, st.store.watermark(), &self.dir)?;
        if let Some(f) = &outcome.failure {
            tracing::error!("integrity check failed: {}", f.message);
        }
        st.block = outcome.failure.clone();
        Ok(outcome)
    }
}

impl State {
    /// Refuses fiscal operations while the integrity block holds.
    pub fn ensure_unblocked(&self) -> Result<(), ApiError> {
        match &self.block {
            None => Ok(()),
            Some(f) => Err(blocked_error(f)),
        }
    }
}

pub fn blocked_error(f: &Failure) -> ApiError {
    ApiError::new(
        ErrorCode::IntegrityBlocked,
        format!(
            "fiscal operations are blocked: {}. Do not delete or edit the data folder; export it with `sauda export` and call the service engineer",
            f.message
        ),
    )
}

fn not_registered(dir: &Path) -> ApiError {
    ApiError::new(
        ErrorCode::NotRegistered,
        format!(
            "no register in {}: create one with `sauda --data {} init --demo --admin-pin PIN` or `init --rnm ...`",
            dir.display(),
            dir.display()
        ),
    )
}

fn key_account(settings: &Settings) -> String {
    format!("{}-{}", settings.rnm, settings.factory_number)
}

fn load_key(dir: &Path, registration: &RegistrationPayload) -> Result<ChainKey, Failure> {
    let key_failure = |message: String| Failure {
        check: Check::Key,
        seq: None,
        message,
    };
    let kind = KeyStoreKind::parse(&registration.key_store)
        .ok_or_else(|| key_failure(format!("unknown key store '{}'", registration.key_store)))?;
    let bytes = keys::load(dir, &key_account(&registration.settings), kind)
        .map_err(|e| key_failure(e.to_string()))?;
    let key = ChainKey::from_bytes(&bytes);
    if key.fingerprint() != registration.key_fingerprint {
        return Err(key_failure(format!(
            "the chain key found in the {} is not this register's key",
            kind.as_str()
        )));
    }
    Ok(key)
}

pub fn offset_of(settings: &Settings) -> UtcOffset {
    UtcOffset::from_whole_seconds(settings.utc_offset_minutes * 60).unwrap_or(UtcOffset::UTC)
}

/// The shift state as the projections say.
pub fn shift_state(conn: &Connection) -> Result<ShiftState, ApiError> {
    let last: Option<(i64, i64, Option<i64>)> = conn
        .prepare_cached(
            "SELECT shift_no, opened_at, closed_seq FROM shift ORDER BY shift_no DESC LIMIT 1",
        )?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    Ok(match last {
        None => ShiftState::Closed { next_number: 1 },
        Some((n, _, Some(_))) => ShiftState::Closed {
            next_number: n as u32 + 1,
        },
        Some((n, opened_at, None)) => ShiftState::Open {
            number: n as u32,
            opened_at: from_millis(opened_at),
        },
    })
}

/// The last Z report, whose totals the next shift carries on.
pub fn last_z(conn: &Connection) -> Result<Option<ZReportPayload>, ApiError> {
    match crate::journal::last_of(conn, RecordKind::ZReport)? {
        Some(r) => Ok(Some(r.decode()?)),
        None => Ok(None),
    }
}

/// The X report of the open shift (or of the next one, empty, when closed).
pub fn current_report(conn: &Connection, now_ms: i64) -> Result<ShiftReport, ApiError> {
    let state = shift_state(conn)?;
    let previous = last_z(conn)?.map(|z| z.report);
    let (number, opened_at) = match state {
        ShiftState::Open { number, opened_at } => (number, Some(millis(opened_at))),
        ShiftState::Closed { next_number } => (next_number, None),
    };
    Ok(shift_report(
        conn,
        number as i64,
        opened_at,
        now_ms,
        previous.as_ref(),
    )?)
}

pub fn next_doc_no(conn: &Connection) -> Result<i64, ApiError> {
    let last: Option<i64> = conn
        .prepare_cached(
            "SELECT doc_no FROM journal WHERE doc_no IS NOT NULL ORDER BY doc_no DESC LIMIT 1",
        )?
        .query_row([], |r| r.get(0))
        .optional()?;
    Ok(last.unwrap_or(0) + 1)
}

/// The integrity check scheduled by item 86 (at shift open and close), run inside the
/// write transaction; a pass is journaled, a failure blocks the register.
pub fn scheduled_check(
    w: &mut Writer<'_>,
    block: &mut Option<Failure>,
    dir: &Path,
    occasion: &str,
    shift_no: i64,
    now_ms: i64,
) -> Result<(), ApiError> {
    let mark = crate::journal::watermark::Watermark::in_dir(dir);
    let outcome = verify(w.conn(), w.key(), &mark, dir)?;
    if let Some(failure) = outcome.failure {
        let error = blocked_error(&failure);
        *block = Some(failure);
        return Err(error);
    }
    w.append(
        RecordKind::IntegrityCheck,
        now_ms,
        Placement {
            shift_no: Some(shift_no),
            doc_no: None,
        },
        &IntegrityPayload {
            occasion: occasion.into(),
            records_checked: outcome.records,
            shifts_checked: outcome.shifts_checked,
        },
    )?;
    Ok(())
}
