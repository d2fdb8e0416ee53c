//! VAT included in the price: rates, tax groups and the per-line VAT amount.
//!
//! Rates travel as thousandths of a percent (16 % = 16000), exactly as the operator
//! protocol carries them, so no conversion can lose precision. The table of groups is
//! configurable; the defaults follow the 2026 Tax Code (16 % standard, 10 % and 5 %
//! reduced, 0 %, exempt) and keep the pre-2026 12 % only for returns of old receipts.
//! Pure: no IO, no serde.

use super::money::{Money, div_round};

/// A VAT rate in thousandths of a percent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VatRate(u32);

impl VatRate {
    pub const STANDARD: VatRate = VatRate(16_000);
    pub const LEGACY_12: VatRate = VatRate(12_000);

    pub const fn from_thousandths_percent(value: u32) -> VatRate {
        VatRate(value)
    }

    pub const fn thousandths_percent(self) -> u32 {
        self.0
    }

    /// The VAT contained in a gross amount that already includes it:
    /// `gross × rate / (100 % + rate)`, rounded half away from zero.
    pub fn included_in(self, gross: Money) -> Money {
        let rate = self.0 as i128;
        Money::from_tiyn(div_round(gross.tiyn() as i128 * rate, 100_000 + rate) as i64)
    }

    /// `16`, `12.5`: the rate as printed.
    pub fn percent_text(self) -> String {
        let whole = self.0 / 1000;
        let frac = self.0 % 1000;
        if frac == 0 {
            whole.to_string()
        } else {
            format!("{whole}.{}", format!("{frac:03}").trim_end_matches('0'))
        }
    }
}

/// How a line is taxed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Taxation {
    /// VAT at this rate, included in the price (0 % is a rate, not an exemption).
    Vat(VatRate),
    /// Exempt from VAT, or the seller is not a VAT payer.
    NoVat,
}

/// One entry of the register's tax table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaxGroup {
    /// What the cashier or a catalogue row writes: `16`, `10`, `exempt`.
    pub code: String,
    pub taxation: Taxation,
    /// False for a rate kept only so that old receipts can be returned (12 % since 2026).
    pub for_new_sales: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TaxError {
    #[error("unknown VAT group '{given}': use one of {known}")]
    Unknown { given: String, known: String },
    #[error(
        "VAT {0} % is no longer charged on new sales (it applies only to returns of receipts issued before 2026); use 16"
    )]
    OnlyForReturns(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaxTable {
    groups: Vec<TaxGroup>,
}

impl Default for TaxTable {
    fn default() -> Self {
        let vat = |code: &str, rate: u32, for_new_sales| TaxGroup {
            code: code.to_string(),
            taxation: Taxation::Vat(VatRate(rate)),
            for_new_sales,
        };
        TaxTable {
            groups: vec![
                vat("16", 16_000, true),
                vat("10", 10_000, true),
                vat("5", 5_000, true),
                vat("0", 0, true),
                TaxGroup {
                    code: "exempt".to_string(),
                    taxation: Taxation::NoVat,
                    for_new_sales: true,
                },
                vat("12", 12_000, false),
            ],
        }
    }
}

impl TaxTable {
    pub fn new(groups: Vec<TaxGroup>) -> TaxTable {
        TaxTable { groups }
    }

    pub fn groups(&self) -> &[TaxGroup] {
        &self.groups
    }

    /// Finds the group for a code. `for_return` admits groups kept only for returns.
    /// `none` and `без ндс` are accepted as synonyms of `exempt`.
    pub fn resolve(&self, code: &str, for_return: bool) -> Result<Taxation, TaxError> {
        let wanted = code.trim().trim_end_matches('%').trim().to_lowercase();
        let wanted = match wanted.as_str() {
            "none" | "без ндс" | "ққс жоқ" | "no" => "exempt".to_string(),
            _ => wanted,
        };
        let group = self
            .groups
            .iter()
            .find(|g| g.code == wanted)
            .ok_or_else(|| TaxError::Unknown {
                given: code.to_string(),
                known: self
                    .groups
                    .iter()
                    .map(|g| g.code.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })?;
        if !group.for_new_sales && !for_return {
            return Err(TaxError::OnlyForReturns(group.code.clone()));
        }
        Ok(group.taxation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn vat_included_in_price() {
        assert_eq!(
            VatRate::STANDARD.included_in(Money::from_tiyn(11_600)),
            Money::from_tiyn(1_600)
        );
        // 100.00 at 16 % -> 13.793... -> 13.79
        assert_eq!(
            VatRate::STANDARD.included_in(Money::from_tiyn(10_000)),
            Money::from_tiyn(1_379)
        );
        assert_eq!(
            VatRate(0).included_in(Money::from_tiyn(10_000)),
            Money::ZERO
        );
        assert_eq!(VatRate(12_500).percent_text(), "12.5");
    }

    #[test]
    fn legacy_rate_only_for_returns() {
        let table = TaxTable::default();
        assert!(matches!(
            table.resolve("12", false),
            Err(TaxError::OnlyForReturns(_))
        ));
        assert_eq!(
            table.resolve("12", true),
            Ok(Taxation::Vat(VatRate::LEGACY_12))
        );
        assert_eq!(
            table.resolve("16%", false),
            Ok(Taxation::Vat(VatRate::STANDARD))
        );
        assert_eq!(table.resolve("none", false), Ok(Taxation::NoVat));
        assert!(matches!(
            table.resolve("20", false),
            Err(TaxError::Unknown { .. })
        ));
    }

    proptest! {
        #[test]
        fn vat_never_exceeds_the_gross_amount(gross in 0i64..10_000_000_000, rate in 0u32..100_000) {
            let vat = VatRate(rate).included_in(Money::from_tiyn(gross));
            prop_assert!(vat.tiyn() >= 0 && vat.tiyn() <= gross);
            // The net amount times (1 + rate) gives the gross back within rounding.
            let net = gross - vat.tiyn();
            let back = net as i128 * (100_000 + rate as i128);
            prop_assert!((back - gross as i128 * 100_000).abs() <= (100_000 + rate as i128));
        }
    }
}
