//! The operator's registration data for this register (COMMAND_INFO, spec §5.0),
//! compared with the register's own settings (issue 4 item 5; R-89…R-95 are the local
//! side). A difference is reported, never fixed silently: the registration data are
//! changed only by an administrator, through the settings, with the shift closed.

use serde::{Deserialize, Serialize};

use super::exchange::{self, Outcome};
use super::message::{self, Context};
use super::{Link, Mode};
use crate::core::Core;
use crate::error::{ApiError, ErrorCode};
use crate::journal::record::Settings;
use sauda_ofd::v204;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct OperatorRegistration {
    pub rnm: String,
    pub serial_number: String,
    pub kkm_id: String,
    pub org_title: String,
    pub org_iin: String,
    pub org_address: String,
    pub ofd_title: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct RegistrationCheck {
    /// True when every field the register prints agrees with the operator's record.
    pub matches: bool,
    /// `field: register 'X', operator 'Y'` for every disagreement.
    pub differences: Vec<String>,
    pub operator: OperatorRegistration,
    pub messages: Vec<String>,
}

pub fn check(core: &Core, link: &mut Link) -> Result<RegistrationCheck, ApiError> {
    if link.outstanding.is_some() || !matches!(link.mode, Mode::Online) {
        return Err(ApiError::new(
            ErrorCode::Validation,
            "the register is not online with the operator: run the link test first, the registration data are fetched once the queue is delivered",
        ));
    }
    let settings = core.settings();
    let request = message::info(&Context::service(&settings))
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
    let budget = link.options.budget;
    match exchange::service(core, link, request, None, budget)? {
        Outcome::Accepted { messages, response } => {
            let operator = from_response(&response);
            let differences = compare(&settings, &operator);
            Ok(RegistrationCheck {
                matches: differences.is_empty(),
                differences,
                operator,
                messages,
            })
        }
        Outcome::NoAnswer(e) => Err(ApiError::new(
            ErrorCode::Validation,
            format!("the operator did not answer the registration request: {e}"),
        )),
        Outcome::Refused { code, text, .. } => Err(ApiError::new(
            ErrorCode::Validation,
            format!("the operator refused the registration request with result {code}: {text}"),
        )),
    }
}

fn from_response(response: &v204::Response) -> OperatorRegistration {
    let Some(service) = &response.service else {
        return OperatorRegistration::default();
    };
    let reg = &service.reg_info;
    OperatorRegistration {
        rnm: reg.kkm.fns_kkm_id.clone().unwrap_or_default(),
        serial_number: reg.kkm.serial_number.clone().unwrap_or_default(),
        kkm_id: reg.kkm.kkm_id.clone().unwrap_or_default(),
        org_title: reg.org.title.clone(),
        org_iin: reg.org.iin.clone(),
        org_address: reg.org.address.clone(),
        ofd_title: reg.ofd.as_ref().map(|o| o.title.clone()),
    }
}

fn compare(settings: &Settings, operator: &OperatorRegistration) -> Vec<String> {
    let pairs = [
        ("rnm", settings.rnm.as_str(), operator.rnm.as_str()),
        (
            "factory_number",
            settings.factory_number.as_str(),
            operator.serial_number.as_str(),
        ),
        ("kkm_id", settings.kkm_id.as_str(), operator.kkm_id.as_str()),
        ("bin", settings.bin.as_str(), operator.org_iin.as_str()),
        (
            "org_name",
            settings.org_name.as_str(),
            operator.org_title.as_str(),
        ),
    ];
    pairs
        .iter()
        .filter(|(_, ours, theirs)| ours.trim() != theirs.trim())
        .map(|(field, ours, theirs)| format!("{field}: register '{ours}', operator '{theirs}'"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_real_differences_are_reported() {
        let s = crate::registration::demo_settings();
        let mut op = OperatorRegistration {
            rnm: s.rnm.clone(),
            serial_number: s.factory_number.clone(),
            kkm_id: s.kkm_id.clone(),
            org_title: format!("{} ", s.org_name),
            org_iin: s.bin.clone(),
            org_address: String::new(),
            ofd_title: None,
        };
        assert!(compare(&s, &op).is_empty());
        op.org_iin = "123456789012".into();
        let d = compare(&s, &op);
        assert_eq!(d.len(), 1);
        assert!(d[0].starts_with("bin: register"), "{d:?}");
    }
}
