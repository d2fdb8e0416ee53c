//! Commands of the operator link: its status (mode, queue, 72-hour countdown), the
//! link test that also replays the queue and lifts an operator block, an explicit
//! replay, and the barcode lookup in the operator's national catalogue. The rules live
//! in `crate::link`; these only expose them.

use crate::core::Core;
use crate::error::ApiError;
use crate::link::{LinkStatus, NationalItem, OperatorXReport, RegistrationCheck};
use crate::users::Caller;

use super::dto::Empty;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct ResolveIn {
    /// resend (as a new request) or remove (off the queue for good).
    pub action: String,
    /// Why: kept in the journal with the administrator's name.
    pub reason: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct OperatorLookupIn {
    /// The barcode of an item the shop's catalogue does not know: 8 to 14 digits.
    pub barcode: String,
}

pub fn status(core: &Core, _caller: &Caller, _input: Empty) -> Result<LinkStatus, ApiError> {
    core.link_status()
}

/// R-41 (item 78.2): the availability message, now.
pub fn test(core: &Core, _caller: &Caller, _input: Empty) -> Result<LinkStatus, ApiError> {
    core.link_test()
}

/// sends the queued documents in order, now.
pub fn replay(core: &Core, _caller: &Caller, _input: Empty) -> Result<LinkStatus, ApiError> {
    core.link_replay()
}

/// The operator's registration data against the settings (spec §5.0).
pub fn registration(
    core: &Core,
    _caller: &Caller,
    _input: Empty,
) -> Result<RegistrationCheck, ApiError> {
    core.link_registration()
}

/// The open shift's X report as the operator counts it (spec §5.2).
pub fn report_x(core: &Core, _caller: &Caller, _input: Empty) -> Result<OperatorXReport, ApiError> {
    core.link_x_report()
}

/// Names, НТИН and unit of a new item from the operator's national catalogue (spec
/// §3.10, issue 7): a suggestion for the catalogue form, never a condition of a sale.
pub fn operator_lookup(
    core: &Core,
    _caller: &Caller,
    input: OperatorLookupIn,
) -> Result<NationalItem, ApiError> {
    core.link_nomenclature_lookup(&input.barcode)
}

/// A person's decision about the document the operator refused (spec §1.11).
pub fn resolve(core: &Core, caller: &Caller, input: ResolveIn) -> Result<LinkStatus, ApiError> {
    let resolution = match input.action.as_str() {
        "resend" => crate::link::Resolution::Resend,
        "remove" => crate::link::Resolution::Remove,
        other => {
            return Err(ApiError::validation(format!(
                "'{other}' is not a decision: use resend or remove"
            )));
        }
    };
    core.link_resolve(
        resolution,
        crate::journal::record::UserRef {
            id: caller.user_id,
            name: caller.name.clone(),
        },
        &input.reason,
    )
}
