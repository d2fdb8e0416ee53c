//! THE command layer: every operation a shell may ask of the core, listed once in
//! [`command_table!`] with its input, output and who may call it, and one
//! [`dispatch`] that checks the role and runs it. The CLI, the desktop shell and the
//! HTTP server all call `dispatch`; none calls into the core past it.
//!
//! Roles are checked here and only here. Commands take the core, the caller and a
//! DTO, and return a DTO or an [`ApiError`].

mod admin;
pub mod catalogue;
pub mod documents;
pub mod dto;
pub mod electronic;
pub mod external_return;
pub mod link;
mod marking;
mod paper;
pub mod period;
pub mod period_bench;
mod receipt_lookup;
mod receipts;
pub mod report_paper;
pub mod scan;
pub mod scanner_setup;
mod shift;

use serde_json::Value;
use time::UtcOffset;
use time::format_description::well_known::Rfc3339;

use crate::core::{Core, from_millis};
use crate::error::{ApiError, ErrorCode};
use crate::journal::record::Settings;
use crate::users::{Caller, Role};
use dto::*;

/// Who may call a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    /// No login needed: logging in, and maintenance reads anyone with the data folder can do.
    Public,
    /// Any logged-in user.
    AnyUser,
    /// Sales mode: cashier, manager, administrator.
    Sell,
    /// Shift close, cash in/out: manager, administrator.
    Manage,
    /// Reports: manager, administrator, inspector (R-84: read-only).
    Read,
    /// A reading of the whole journal: the roles of `Read`, and the local system
    /// caller (the CLI, which holds the data folder itself), but never an anonymous or
    /// a cashier's session.
    ReadOrLocal,
    /// Settings and users: administrator.
    Administer,
}

impl Access {
    pub fn allows(self, role: Role) -> bool {
        match self {
            Access::Public | Access::AnyUser => true,
            Access::Sell => matches!(role, Role::Cashier | Role::Manager | Role::Admin),
            Access::Manage => matches!(role, Role::Manager | Role::Admin),
            Access::Read | Access::ReadOrLocal => {
                matches!(role, Role::Manager | Role::Admin | Role::Inspector)
            }
            Access::Administer => role == Role::Admin,
        }
    }
}

#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct CommandInfo {
    pub name: &'static str,
    pub input: &'static str,
    pub output: &'static str,
    pub access: Access,
}

macro_rules! command_table {
    ($( $name:ident : $input:ty => $output:ty, $access:expr, $run:path; )*) => {
        /// Every command, in one list: what the codegen and the HTTP router read.
        pub const COMMANDS: &[CommandInfo] = &[
            $( CommandInfo {
                name: stringify!($name),
                input: stringify!($input),
                output: stringify!($output),
                access: $access,
            }, )*
        ];

        /// Writes `commands.ts` beside the DTO types `cargo test` exports
        /// (ui/src/lib/generated/): each command's input and output type, so the UI's
        /// `call` is typed by this very table. scripts/test.sh fails when it is stale.
        #[cfg(test)]
        #[test]
        fn export_command_map() {
            use ts_rs::TS;
            let cfg = ts_rs::Config::from_env();
            let mut entries = String::new();
            $( entries.push_str(&format!(
                "  {}: {{ input: {}; output: {} }};\n",
                stringify!($name),
                <$input as TS>::name(&cfg),
                <$output as TS>::name(&cfg),
            )); )*
            let dir = cfg.out_dir().to_path_buf();
            // Every named type in the table is exported beside this file; the rest
            // (Array, Record) are TypeScript's own.
            let mut imports: Vec<String> = entries
                .split(|c: char| !c.is_alphanumeric() && c != '_')
                .filter(|w| w.starts_with(|c: char| c.is_ascii_uppercase()))
                .filter(|w| !matches!(*w, "Array" | "Record" | "Partial"))
                .map(str::to_string)
                .collect();
            imports.dedup();
            imports.sort();
            imports.dedup();
            std::fs::create_dir_all(&dir).expect("the export folder can be made");
            let mut text = String::from(
                "// Written by `cargo test` from the command table (src/commands/mod.rs). Do not edit.\n",
            );
            for stem in &imports {
                text.push_str(&format!("import type {{ {stem} }} from './{stem}';\n"));
            }
            text.push_str("\n/** Every command: its input and output. */\nexport interface Commands {\n");
            text.push_str(&entries);
            text.push_str("}\n");
            std::fs::write(dir.join("commands.ts"), text).expect("commands.ts can be written");
        }

        /// Runs command `name` for `caller` with a JSON input; the one entry point.
        pub fn dispatch(
            core: &Core,
            caller: &Caller,
            name: &str,
            input: Value,
        ) -> Result<Value, ApiError> {
            let input = if input.is_null() { Value::Object(Default::default()) } else { input };
            match name {
                $( stringify!($name) => {
                    authorize(caller, $access, name)?;
                    still_active(core, caller, $access)?;
                    let input: $input = serde_json::from_value(input).map_err(|e| {
                        ApiError::validation(format!("{name}: the input is malformed: {e}"))
                    })?;
                    let output: $output = $run(core, caller, input)?;
                    serde_json::to_value(output)
                        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))
                } )*
                _ => Err(ApiError::new(ErrorCode::NotFound, format!("unknown command '{name}'"))),
            }
        }
    };
}

command_table! {
    // name               input            => output            access              implementation
    session_login:        LoginIn          => Caller,           Access::Public,     admin::login;
    register_header:      Empty            => HeaderOut,        Access::Public,     admin::register_header;
    register_status:      Empty            => StatusOut,        Access::AnyUser,    shift::status;
    receipt_sell:         ReceiptIn        => ReceiptOut,       Access::Sell,       receipts::sell;
    receipt_return:       ReturnIn         => ReceiptOut,       Access::Sell,       receipts::refund;
    receipt_return_external: external_return::ExternalReturnIn => ReceiptOut, Access::Sell, external_return::refund_external;
    receipt_get:          NumberIn         => ReceiptOut,       Access::AnyUser,    receipts::get;
    receipt_find:         receipt_lookup::FindIn => ReceiptOut, Access::Sell,       receipt_lookup::find_receipt;
    document_list:        documents::DocumentListIn => documents::DocumentListOut, Access::AnyUser, documents::list;
    receipt_print:        PrintIn          => PrintOut,         Access::Sell,       paper::print;
    receipt_electronic:   electronic::ElectronicIn => electronic::ElectronicOut, Access::Sell, electronic::electronic;
    cash_deposit:         CashIn           => CashOut,          Access::Manage,     shift::deposit;
    cash_withdraw:        CashIn           => CashOut,          Access::Manage,     shift::withdraw;
    report_x:             Empty            => ReportOut,        Access::Read,       shift::report_x;
    shift_close:          CloseIn          => ReportOut,        Access::Manage,     shift::close;
    report_z_get:         ShiftIn          => ReportOut,        Access::Read,       shift::z_get;
    report_by_cashier:    ShiftIn          => CashierReportOut, Access::Read,       shift::by_cashier;
    report_by_section:    ShiftIn          => SectionReportOut, Access::Read,       shift::by_section;
    report_print:         report_paper::ReportPrintIn => report_paper::ReportPrintOut, Access::Manage, report_paper::print;
    user_add:             UserAddIn        => crate::users::UserRow, Access::Administer, admin::user_add;
    user_list:            Empty            => Vec<crate::users::UserRow>, Access::Administer, admin::user_list;
    user_disable:         UserIdIn         => crate::users::UserRow, Access::Administer, admin::user_disable;
    settings_show:        Empty            => SettingsOut,      Access::Read,       admin::settings_show;
    settings_update:      SettingsUpdateIn => SettingsOut,      Access::Administer, admin::settings_update;
    journal_verify:       Empty            => VerifyOut,        Access::Public,     admin::verify;
    // Buyers' contacts and the operator's token are in it: a reading, not for a cashier.
    journal_export:       ExportIn         => ExportPage,       Access::ReadOrLocal, admin::export;
    journal_rebuild:      Empty            => RebuildOut,       Access::Administer, admin::rebuild;
    link_status:          Empty            => crate::link::LinkStatus, Access::AnyUser, link::status;
    link_test:            Empty            => crate::link::LinkStatus, Access::Sell, link::test;
    link_replay:          Empty            => crate::link::LinkStatus, Access::Manage, link::replay;
    link_registration:    Empty            => crate::link::RegistrationCheck, Access::Administer, link::registration;
    // Asking the operator is an exchange that moves the token, a write: not for the inspector.
    link_report_x:        Empty            => crate::link::OperatorXReport, Access::Manage, link::report_x;
    link_resolve:         link::ResolveIn  => crate::link::LinkStatus, Access::Administer, link::resolve;
    catalogue_search:     catalogue::SearchIn => catalogue::SearchOut, Access::Sell, catalogue::search;
    catalogue_quick_keys: Empty            => Vec<crate::catalogue::Goods>, Access::Sell, catalogue::quick_keys;
    catalogue_save:       catalogue::SaveIn => crate::catalogue::Goods, Access::Manage, catalogue::save;
    catalogue_archive:    catalogue::ArchiveIn => crate::catalogue::Goods, Access::Manage, catalogue::archive;
    catalogue_import:     catalogue::ImportIn => crate::catalogue::csv_io::ImportReport, Access::Manage, catalogue::import;
    catalogue_export:     Empty            => catalogue::ExportOut, Access::Manage, catalogue::export;
    catalogue_operator_lookup: link::OperatorLookupIn => crate::link::NationalItem, Access::Manage, link::operator_lookup;
    catalogue_scan:       scan::ScanIn     => scan::ScanOut,    Access::Sell,       scan::scan;
    scanner_settings_show: Empty           => scanner_setup::ScannerSettings, Access::Sell, scanner_setup::show;
    scanner_settings_update: scanner_setup::ScannerSettings => scanner_setup::ScannerSettings, Access::Administer, scanner_setup::update;
    report_period:        period::PeriodIn => period::PeriodReportOut, Access::Read, period::report;
    report_period_by_cashier: period::PeriodIn => period::PeriodCashiersOut, Access::Read, period::by_cashier;
    report_period_by_section: period::PeriodIn => period::PeriodSectionsOut, Access::Read, period::by_section;
    autonomous_periods:   period::PeriodIn => Vec<period::AutonomousPeriodRow>, Access::Read, period::autonomous;
    operator_messages:    period::PeriodIn => Vec<period::OperatorMessageRow>, Access::Read, period::operator_messages;
}

fn authorize(caller: &Caller, access: Access, name: &str) -> Result<(), ApiError> {
    // User 0 is the local system caller: it may run what needs no login, and the
    // whole-journal reading the CLI's `export` does with the data folder at hand.
    let local_ok = matches!(access, Access::Public | Access::ReadOrLocal);
    if access.allows(caller.role) && (local_ok || caller.user_id != 0) {
        Ok(())
    } else {
        Err(ApiError::new(
            ErrorCode::Forbidden,
            format!(
                "{} ({}) may not run {name}: ask a user with the right role",
                caller.name,
                caller.role.as_str()
            ),
        ))
    }
}

/// A logged-in user whose account was disabled since the login works no more:
/// the shells drop such a session back to the PIN screen. Users of the register have
/// ids above 0; the system caller (0) and the server's inspector accounts (below 0)
/// are not in the register's user table.
fn still_active(core: &Core, caller: &Caller, access: Access) -> Result<(), ApiError> {
    if access == Access::Public || caller.user_id <= 0 {
        return Ok(());
    }
    let active = {
        let st = core.lock();
        crate::users::is_active(st.store.conn(), caller.user_id)?
    };
    if active {
        Ok(())
    } else {
        Err(ApiError::new(
            ErrorCode::SessionRequired,
            format!(
                "{}'s account was disabled: log in again with an active PIN",
                caller.name
            ),
        ))
    }
}

/// A time as RFC 3339 in the register's time zone.
pub fn local_time(ms: i64, offset: UtcOffset) -> String {
    from_millis(ms)
        .to_offset(offset)
        .format(&Rfc3339)
        .unwrap_or_else(|_| ms.to_string())
}

pub(crate) fn header(s: &Settings) -> HeaderOut {
    HeaderOut {
        demo: s.demo,
        org_name: s.org_name.clone(),
        bin: s.bin.clone(),
        address: s.address.clone(),
        rnm: s.rnm.clone(),
        factory_number: s.factory_number.clone(),
        kkm_id: s.kkm_id.clone(),
        vat_payer: s.vat_payer,
        default_lang: s.default_lang.clone().unwrap_or_else(|| "kk".into()),
    }
}
