//! The register's registration data and settings (R-89…R-95, item 117): validation,
//! the demo register, and which settings may change while a shift is open.
//!
//! Item 118 (R-68, reading A-52): everything that (re)binds the register to the
//! operator, and the clock's time zone, changes only with the shift closed; a new
//! token may be entered at any time. Taxpayer data also wait for the shift's close, so
//! one shift's receipts never carry two headers. Pure validation, no IO.

use serde_json::{Map, Value};

use crate::domain::identity::{check_factory_number, check_iin_bin, check_rnm, iin_check_digit};
use crate::domain::vat::TaxTable;
use crate::error::ApiError;
use crate::journal::record::Settings;

/// Fields a user may change with `settings_update`, and whether an open shift forbids it.
pub const CHANGEABLE: &[(&str, bool)] = &[
    ("org_name", true),
    ("bin", true),
    ("address", true),
    ("vat_payer", true),
    ("vat_certificate", true),
    ("factory_number", true),
    ("rnm", true),
    ("kkm_id", true),
    ("token", false),
    ("ofd_channels", true),
    ("ofd_name", true),
    ("receipt_check_url", true),
    ("protocol_version", true),
    ("utc_offset_minutes", true),
    ("taxation_type", true),
    ("default_vat_group", true),
    // Not fiscal data: a manager's limit may change during the day.
    ("discount_limit_cashier", false),
    ("discount_limit_manager", false),
    ("default_lang", false),
];

pub fn validate(s: &Settings) -> Result<(), ApiError> {
    let need = |value: &str, what: &str| {
        if value.trim().is_empty() {
            Err(ApiError::validation(format!("{what} is required")))
        } else {
            Ok(())
        }
    };
    need(&s.org_name, "the organisation name (--org)")?;
    need(&s.address, "the address of the point of sale (--address)")?;
    need(&s.kkm_id, "the register's id at the operator (--kkm-id)")?;
    // It travels as the frame header's 32-bit ID (spec §1.2).
    if s.kkm_id.trim().parse::<u32>().is_err() {
        return Err(ApiError::validation(format!(
            "the register's id at the operator (--kkm-id) must be the number the operator issued, not '{}'",
            s.kkm_id
        )));
    }
    need(&s.ofd_name, "the operator's name (--ofd-name)")?;
    if !s.demo {
        check_iin_bin(&s.bin)?;
    }
    check_rnm(&s.rnm)?;
    check_factory_number(&s.factory_number)?;
    if s.ofd_channels.is_empty() {
        return Err(ApiError::validation(
            "at least one operator address is needed (--ofd HOST:PORT[,HOST:PORT])",
        ));
    }
    for channel in &s.ofd_channels {
        let ok = channel.rsplit_once(':').is_some_and(|(host, port)| {
            !host.is_empty() && port.parse::<u16>().is_ok_and(|p| p > 0)
        });
        if !ok {
            return Err(ApiError::validation(format!(
                "operator address '{channel}' must be HOST:PORT, like 10.0.0.5:7777"
            )));
        }
    }
    if let Some(location) = &s.location {
        location_millionths(location)?;
    }
    for limit in [s.discount_limit_cashier, s.discount_limit_manager]
        .into_iter()
        .flatten()
    {
        if limit > 100_000 {
            return Err(ApiError::validation(format!(
                "a discount limit is at most 100 % (100000 thousandths), not {limit}"
            )));
        }
    }
    if let Some(lang) = &s.default_lang
        && !matches!(lang.as_str(), "kk" | "ru")
    {
        return Err(ApiError::validation(format!(
            "the till's language must be kk (Kazakh) or ru (Russian), not '{lang}'"
        )));
    }
    if !matches!(s.protocol_version.as_str(), "2.0.3" | "2.0.4") {
        return Err(ApiError::validation(
            "the protocol version must be 2.0.3 or 2.0.4",
        ));
    }
    if !(-12 * 60..=14 * 60).contains(&s.utc_offset_minutes) {
        return Err(ApiError::validation(
            "the time zone offset must be between -720 and +840 minutes (Kazakhstan: 300)",
        ));
    }
    if !matches!(s.taxation_type, 100..=103) {
        return Err(ApiError::validation(
            "the tax regime must be 100 (simplified), 101 (general), 102 (farm) or 103 (patent)",
        ));
    }
    if s.vat_payer
        && s.vat_certificate
            .as_deref()
            .is_none_or(|c| c.trim().is_empty())
        && !s.demo
    {
        return Err(ApiError::validation(
            "a VAT payer must give the VAT registration certificate (--vat-certificate SERIES/NUMBER)",
        ));
    }
    TaxTable::default().resolve(&s.default_vat_group, false)?;
    if !s.vat_payer && s.default_vat_group != "exempt" {
        return Err(ApiError::validation(
            "a seller who is not a VAT payer sells without VAT: the default VAT group must be 'exempt'",
        ));
    }
    Ok(())
}

/// A BIN with a valid check digit, for the demo register only.
fn demo_bin() -> String {
    let first = [9, 9, 0, 1, 0, 1, 0, 0, 0, 0, 1];
    let check = iin_check_digit(&first).unwrap_or(0);
    first
        .iter()
        .chain([check].iter())
        .map(|d| d.to_string())
        .collect()
}

/// The demo register: clearly marked, talks to the built-in operator simulator.
pub fn demo_settings() -> Settings {
    Settings {
        demo: true,
        org_name: "ДЕМО ДҮКЕН / ДЕМО МАГАЗИН (Sauda demo)".into(),
        bin: demo_bin(),
        address: "Астана қ., Демо к-сі, 1 / г. Астана, ул. Демо, 1".into(),
        vat_payer: true,
        vat_certificate: Some("DEMO/0000001".into()),
        factory_number: "SAUDA-DEMO-0001".into(),
        rnm: "DEMO00000001".into(),
        kkm_id: "1".into(),
        token: 1_000_001,
        ofd_channels: vec!["127.0.0.1:7777".into()],
        ofd_name: "ДЕМО ОФД / DEMO OFD (simulator)".into(),
        receipt_check_url: "http://127.0.0.1:7778/check".into(),
        protocol_version: "2.0.3".into(),
        utc_offset_minutes: 300,
        taxation_type: 101,
        default_vat_group: "16".into(),
        // Astana, Бәйтерек.
        location: Some("51.128207,71.430411".into()),
        discount_limit_cashier: None,
        discount_limit_manager: None,
        default_lang: None,
    }
}

/// `LATITUDE,LONGITUDE` in decimal degrees → millionths of a degree, the unit the
/// operator's clients use (spec §3.7, gap 5). Both are non-negative: 2.0.4 sends them
/// as uint32, and all of Kazakhstan lies north and east of 0°.
pub fn location_millionths(text: &str) -> Result<(u32, u32), ApiError> {
    let bad = || {
        ApiError::validation(format!(
            "location '{text}' must be LATITUDE,LONGITUDE in degrees, like 51.128207,71.430411"
        ))
    };
    let (lat, lon) = text.split_once(',').ok_or_else(bad)?;
    let degrees = |part: &str, max: u32| -> Result<u32, ApiError> {
        let (whole, fraction) = part.trim().split_once('.').unwrap_or((part.trim(), ""));
        if fraction.len() > 6 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let whole: u32 = whole.parse().map_err(|_| bad())?;
        let fraction: u32 = format!("{fraction:0<6}").parse().map_err(|_| bad())?;
        let value = whole
            .checked_mul(1_000_000)
            .and_then(|w| w.checked_add(fraction))
            .ok_or_else(bad)?;
        if value > max * 1_000_000 {
            return Err(bad());
        }
        Ok(value)
    };
    Ok((degrees(lat, 90)?, degrees(lon, 180)?))
}

/// Applies `changes` (field → new value) to `current`. Returns the new settings and
/// the names of the fields that changed; `shift_open` refuses shift-bound fields.
pub fn apply_changes(
    current: &Settings,
    changes: &Map<String, Value>,
    shift_open: Option<u32>,
) -> Result<(Settings, Vec<String>), ApiError> {
    let mut object = match serde_json::to_value(current) {
        Ok(Value::Object(o)) => o,
        _ => return Err(ApiError::validation("settings cannot be represented")),
    };
    let mut changed = Vec::new();
    for (field, value) in changes {
        let Some(&(_, needs_closed_shift)) = CHANGEABLE.iter().find(|(f, _)| f == field) else {
            let known: Vec<&str> = CHANGEABLE.iter().map(|(f, _)| *f).collect();
            return Err(ApiError::validation(format!(
                "'{field}' cannot be changed; changeable settings: {}",
                known.join(", ")
            )));
        };
        if needs_closed_shift && let Some(number) = shift_open {
            return Err(crate::domain::shift::ShiftError::OpenShiftForbids {
                number,
                what: "changing the registration data, the operator connection or the time zone",
            }
            .into());
        }
        if object.get(field) != Some(value) {
            object.insert(field.clone(), value.clone());
            changed.push(field.clone());
        }
    }
    let updated: Settings = serde_json::from_value(Value::Object(object))
        .map_err(|e| ApiError::validation(format!("a setting has the wrong type: {e}")))?;
    validate(&updated)?;
    Ok((updated, changed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_settings_are_valid() {
        assert_eq!(validate(&demo_settings()), Ok(()));
        assert_eq!(check_iin_bin(&demo_bin()), Ok(()));
    }

    #[test]
    fn r68_operator_address_waits_for_shift_close_but_token_does_not() {
        let s = demo_settings();
        let mut address = Map::new();
        address.insert("ofd_channels".into(), serde_json::json!(["10.0.0.1:7777"]));
        assert!(apply_changes(&s, &address, Some(3)).is_err());
        assert!(apply_changes(&s, &address, None).is_ok());
        let mut token = Map::new();
        token.insert("token".into(), serde_json::json!(42));
        let (updated, changed) = apply_changes(&s, &token, Some(3)).expect("token may change");
        assert_eq!(updated.token, 42);
        assert_eq!(changed, vec!["token".to_string()]);
    }

    #[test]
    fn locations_are_degrees_north_and_east() {
        assert_eq!(
            location_millionths("51.128207,71.430411"),
            Ok((51_128_207, 71_430_411))
        );
        assert_eq!(
            location_millionths("43.25, 76.9"),
            Ok((43_250_000, 76_900_000))
        );
        for bad in ["51.1", "-43.2,76.9", "91,10", "43.1234567,76", "a,b"] {
            assert!(location_millionths(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_tills_language_is_kazakh_or_russian() {
        let mut s = demo_settings();
        for ok in ["kk", "ru"] {
            s.default_lang = Some(ok.into());
            assert_eq!(validate(&s), Ok(()), "{ok}");
        }
        s.default_lang = Some("en".into());
        assert!(validate(&s).is_err());
        assert!(
            CHANGEABLE.contains(&("default_lang", false)),
            "not fiscal: it may change with a shift open"
        );
    }

    #[test]
    fn r90_short_rnm_is_refused() {
        let mut s = demo_settings();
        s.rnm = "12345".into();
        assert!(validate(&s).is_err());
    }
}
