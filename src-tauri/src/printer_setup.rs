//! The till's receipt printer as the administrator chooses it on the Printer screen:
//! a target (`tcp:…`, `serial:…`, `usb:…`, `spooler:…`, `file:…`, `png:…`) and a
//! profile (a built-in name or a profile file) kept in `<data folder>/printer.toml`,
//! put into the core's printer port at start and on every change. `SAUDA_PRINTER`
//! (with `SAUDA_PRINTER_PROFILE`) still wins when set; the demo's virtual printer is
//! the demo's default. It also lists the printers this computer finds and prints the
//! test page to any target without changing the choice.
//!
//! Wiring only. What a printer can do is the printers crate's; when a receipt prints and
//! what a failed one blocks (R-32, item 84) is the core's, kept in the journal, so
//! attaching another printer never loses a receipt waiting to be printed. It never
//! writes the journal, and sends a printer nothing but the test page and status queries.

mod probe;
mod saved;

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use sauda::Core;
use sauda::error::{ApiError, ErrorCode};
use sauda::ports::ReceiptPrinter;
use sauda_cli::printing::TargetPrinter;
use sauda_cli::register::printer_profile;
use sauda_printers::{Profile, discovery, test_page};
use serde::Serialize;
use serde_json::Value;

pub use probe::{Found, profiles};
use probe::{ask_printer, hint};
pub use saved::{Choice, FILE, env_choice, load, save};
use saved::{DEFAULT_PROFILE, DiscoverIn, StatusIn, read_choice, read_input};

/// Where the printer in use was chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// `printer.toml`, saved on this screen.
    Settings,
    /// `SAUDA_PRINTER`: wins over the screen.
    Environment,
    /// The demo's virtual printer (pictures of the paper).
    Demo,
    None,
}

/// `printer_status`: the printer in use and what it says.
#[derive(Clone, Debug, Serialize)]
pub struct PrinterStatus {
    pub target: Option<String>,
    pub profile: Option<String>,
    pub source: Source,
    /// ready, near_end, fault, unreachable, no_answer (a link without a way back),
    /// virtual, unknown (not asked and nothing printed yet) or none.
    pub state: String,
    /// What the printer reported, or why it could not be asked.
    pub problem: Option<String>,
    /// Whether `state` is an answer just now (`ask`), not the last print's outcome.
    pub asked: bool,
    /// A receipt the printer failed on, waiting to be printed again (item 84).
    pub unprinted: Option<i64>,
    /// Characters per line of the profile in use.
    pub columns: Option<usize>,
    /// The demo's virtual printer target, to name it on the screen.
    pub demo_target: Option<String>,
    /// Why the saved choice was not used at start (a broken `printer.toml`).
    pub note: Option<String>,
}

struct Current {
    choice: Option<Choice>,
    source: Source,
    columns: Option<usize>,
    note: Option<String>,
}

pub struct PrinterSetup {
    core: Arc<Core>,
    env: Option<Choice>,
    demo: Option<String>,
    current: Mutex<Current>,
}

impl PrinterSetup {
    /// Puts the printer in use into the core: `env` when given, else `printer.toml`,
    /// else the demo's virtual printer `demo` (already attached by the demo), else none.
    /// A choice that cannot be used does not stop the till; the screen says why.
    pub fn start(core: Arc<Core>, env: Option<Choice>, demo: Option<String>) -> PrinterSetup {
        let setup = PrinterSetup {
            core,
            env: env.clone(),
            demo,
            current: Mutex::new(Current {
                choice: None,
                source: Source::None,
                columns: None,
                note: None,
            }),
        };
        let mut notes = Vec::new();
        let mut wanted = Vec::new();
        if let Some(env) = env {
            wanted.push((env, Source::Environment, "SAUDA_PRINTER"));
        }
        match load(setup.core.dir()) {
            Ok(Some(saved)) => wanted.push((saved, Source::Settings, FILE)),
            Ok(None) => {}
            Err(e) => notes.push(e),
        }
        let mut cur = setup.lock();
        for (choice, source, from) in wanted {
            match attach(&setup.core, &choice) {
                Ok(columns) => {
                    *cur = Current {
                        choice: Some(choice),
                        source,
                        columns: Some(columns),
                        note: None,
                    };
                    break;
                }
                Err(e) => notes.push(format!("{from}: {}", e.message)),
            }
        }
        if cur.choice.is_none()
            && let Some(demo) = &setup.demo
        {
            cur.choice = Some(Choice {
                target: demo.clone(),
                profile: DEFAULT_PROFILE.into(),
            });
            cur.source = Source::Demo;
            cur.columns = Profile::by_name(DEFAULT_PROFILE).map(|p| p.chars);
        }
        cur.note = (!notes.is_empty()).then(|| notes.join("; "));
        drop(cur);
        setup
    }

    /// The shell's printer calls, routed here by the session (which checks the role).
    pub fn call(&self, name: &str, input: Value) -> Result<Value, ApiError> {
        match name {
            "printer_status" => {
                let want: StatusIn = read_input(name, input)?;
                to_json(self.status(want.ask)?)
            }
            "printer_profiles" => to_json(profiles()),
            "printer_discover" => {
                let want: DiscoverIn = read_input(name, input)?;
                to_json(self.discover(want.network.as_deref(), want.port)?)
            }
            "printer_test" => to_json(self.test(&read_choice(name, input)?)?),
            "printer_set" => to_json(self.set(read_choice(name, input)?)?),
            _ => Err(ApiError::new(
                ErrorCode::NotFound,
                format!("{name} is not a printer call"),
            )),
        }
    }

    /// The printer in use; `ask`: query it now (status replies, ≤ 3 s to connect),
    /// otherwise what its last print or pre-sale check said.
    pub fn status(&self, ask: bool) -> Result<PrinterStatus, ApiError> {
        let (choice, source, columns, note) = {
            let cur = self.lock();
            (
                cur.choice.clone(),
                cur.source,
                cur.columns,
                cur.note.clone(),
            )
        };
        let last = self.core.printer_status()?;
        let unprinted = last.as_ref().and_then(|s| s.unprinted);
        let (state, problem, asked) = match (&choice, ask) {
            (None, _) => ("none".to_string(), None, false),
            (Some(c), true) => {
                let (state, problem) = ask_printer(&c.target);
                (state.to_string(), problem, true)
            }
            (Some(c), false) if c.target.starts_with("png:") => ("virtual".into(), None, false),
            (Some(_), false) => match last {
                Some(s) => (s.state, s.problem, false),
                None => ("unknown".into(), None, false),
            },
        };
        Ok(PrinterStatus {
            target: choice.as_ref().map(|c| c.target.clone()),
            profile: choice.map(|c| c.profile),
            source,
            state,
            problem,
            asked,
            unprinted,
            columns,
            demo_target: self.demo.clone(),
            note,
        })
    }

    /// Printers attached to this computer and, given a range, those answering on the
    /// network (port 9100 unless `port`): at most 1 022 addresses, 64 at a time, each
    /// given 400 ms to connect and 400 ms to answer, so a /24 takes ≤ 4 s.
    pub fn discover(
        &self,
        network: Option<&str>,
        port: Option<u16>,
    ) -> Result<Vec<Found>, ApiError> {
        // What was asked for first: the network's answers, then this computer's, the
        // demo's virtual printer last.
        let mut found: Vec<Found> = Vec::new();
        if let Some(range) = network.map(str::trim).filter(|r| !r.is_empty()) {
            let hosts = discovery::addresses(range).map_err(ApiError::validation)?;
            let wait = Duration::from_millis(400);
            for f in discovery::network(&hosts, port.unwrap_or(9100), wait) {
                found.push(Found::new(f.target, f.description));
            }
        }
        for f in discovery::local() {
            found.push(Found::new(f.target, f.description));
        }
        if let Some(demo) = &self.demo {
            found.push(Found::new(demo.clone(), "virtual printer (demo)".into()));
        }
        Ok(found)
    }

    /// Prints the test page to `choice` (not necessarily the printer in use), so the
    /// engineer sees the Kazakh letters, ₸, № and the QR code before saving.
    pub fn test(&self, choice: &Choice) -> Result<Tested, ApiError> {
        let profile = resolve_profile(&choice.profile)?;
        let at = sauda::receipt_layout::local_stamp(self.core.now().to_offset(self.core.offset()));
        let lines = test_page::lines(&profile, &choice.target, &at);
        // The virtual printer's folder gets one picture, not a numbered report.
        let folder = png_folder(&choice.target);
        let target = match &folder {
            Some(f) => {
                std::fs::create_dir_all(f).map_err(|e| {
                    ApiError::validation(format!("cannot create the folder {}: {e}", f.display()))
                })?;
                format!("png:{}", f.join("test-page.png").display())
            }
            None => choice.target.clone(),
        };
        let mut printer = TargetPrinter::new(&target, profile).map_err(invalid)?;
        printer.print(None, &lines, false).map_err(|why| {
            ApiError::new(
                ErrorCode::PrinterFault,
                format!(
                    "the test page did not print on {}: {why}; {}",
                    choice.target,
                    hint(&choice.target)
                ),
            )
        })?;
        let shown = folder.is_some() && folder == self.paper_folder();
        Ok(Tested {
            target: choice.target.clone(),
            picture: shown.then(|| "test-page.png".into()),
        })
    }

    /// Makes `choice` the till's printer now and after a restart. Refused while
    /// `SAUDA_PRINTER` decides the printer.
    pub fn set(&self, choice: Choice) -> Result<PrinterStatus, ApiError> {
        if let Some(env) = &self.env {
            return Err(ApiError::validation(format!(
                "SAUDA_PRINTER={} is set for this till and wins over this screen: remove it from the till's start-up settings to choose the printer here",
                env.target
            )));
        }
        let mut cur = self.lock();
        let printer = printer_for(&choice)?;
        let columns = printer.columns();
        save(self.core.dir(), &choice)?;
        self.core.attach_printer(Box::new(printer));
        // The status bar shows the new printer's state at once, not "unknown" until
        // its first receipt; the administrator is waiting for this answer anyway.
        self.core.ask_printer();
        *cur = Current {
            choice: Some(choice),
            source: Source::Settings,
            columns: Some(columns),
            note: None,
        };
        drop(cur);
        self.status(false)
    }

    /// The virtual printer's folder, when the printer in use is one: the `paper:`
    /// protocol serves its pictures to the page.
    pub fn paper_folder(&self) -> Option<PathBuf> {
        self.lock()
            .choice
            .as_ref()
            .and_then(|c| png_folder(&c.target))
    }

    fn lock(&self) -> MutexGuard<'_, Current> {
        // A plain record behind the lock: still good to read after a panic elsewhere.
        self.current.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn to_json<T: Serialize>(value: T) -> Result<Value, ApiError> {
    serde_json::to_value(value).map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))
}

fn invalid(e: anyhow::Error) -> ApiError {
    ApiError::validation(format!("{e:#}"))
}

fn resolve_profile(name: &str) -> Result<Profile, ApiError> {
    printer_profile(name).map_err(invalid)
}

/// The printer port for `choice`, checked (target written right, profile known).
fn printer_for(choice: &Choice) -> Result<TargetPrinter, ApiError> {
    TargetPrinter::new(&choice.target, resolve_profile(&choice.profile)?).map_err(invalid)
}

/// Attaches `choice`; its characters per line.
fn attach(core: &Core, choice: &Choice) -> Result<usize, ApiError> {
    let printer = printer_for(choice)?;
    let columns = printer.columns();
    core.attach_printer(Box::new(printer));
    Ok(columns)
}

fn png_folder(target: &str) -> Option<PathBuf> {
    target
        .strip_prefix("png:")
        .filter(|p| !p.ends_with(".png"))
        .map(PathBuf::from)
}

/// `printer_test`'s answer.
#[derive(Clone, Debug, Serialize)]
pub struct Tested {
    pub target: String,
    /// The test page's picture in the `paper:` folder, when it went to the virtual printer.
    pub picture: Option<String>,
}

#[cfg(test)]
mod tests;
