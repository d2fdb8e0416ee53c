//! Money in tiyn (1 tenge = 100 tiyn) as an `i64` newtype, and the one rounding rule
//! the whole register uses.
//!
//! Floats never touch money: amounts are parsed from text straight into tiyn and every
//! product or ratio is computed in `i128` and rounded half away from zero by
//! [`div_round`]. This module does no IO and knows nothing of receipts.

use std::fmt;

/// An amount of money in tiyn. Negative values exist only inside calculations
/// (signed adjustments, revenue); documents carry non-negative amounts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(i64);

/// The largest amount the register accepts in one field: 100 billion tenge. Keeping
/// well below `i64::MAX` lets sums of thousands of lines never overflow.
pub const MAX_AMOUNT: Money = Money(10_000_000_000_000);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error(
        "'{0}' is not an amount: write tenge with at most two digits of tiyn, like 1250 or 1250.50"
    )]
    Malformed(String),
    #[error("'{0}' is negative: amounts are written without a sign")]
    Negative(String),
    #[error("'{0}' is too large: the register accepts at most 100 000 000 000 tenge")]
    TooLarge(String),
}

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_tiyn(tiyn: i64) -> Money {
        Money(tiyn)
    }

    pub const fn tiyn(self) -> i64 {
        self.0
    }

    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// Parses tenge as a cashier types them: `1250`, `1250.5`, `1250.50`, also with a
    /// comma as the decimal separator and spaces between thousands.
    pub fn parse_tenge(text: &str) -> Result<Money, AmountError> {
        let cleaned: String = text
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
            .map(|c| if c == ',' { '.' } else { c })
            .collect();
        if cleaned.starts_with('-') {
            return Err(AmountError::Negative(text.to_string()));
        }
        let malformed = || AmountError::Malformed(text.to_string());
        let (whole, fraction) = match cleaned.split_once('.') {
            Some((w, f)) => (w, f),
            None => (cleaned.as_str(), ""),
        };
        let digits_only = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if whole.is_empty() || !digits_only(whole) || !digits_only(fraction) || fraction.len() > 2 {
            return Err(malformed());
        }
        if cleaned.ends_with('.') {
            return Err(malformed());
        }
        if whole.len() > 15 {
            return Err(AmountError::TooLarge(text.to_string()));
        }
        let tenge: i64 = whole.parse().map_err(|_| malformed())?;
        let tiyn: i64 = match fraction.len() {
            0 => 0,
            1 => fraction.parse::<i64>().map_err(|_| malformed())? * 10,
            _ => fraction.parse::<i64>().map_err(|_| malformed())?,
        };
        let total = tenge
            .checked_mul(100)
            .and_then(|t| t.checked_add(tiyn))
            .ok_or_else(|| AmountError::TooLarge(text.to_string()))?;
        if total > MAX_AMOUNT.0 {
            return Err(AmountError::TooLarge(text.to_string()));
        }
        Ok(Money(total))
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money)
    }

    /// Whole tenge and tiyn of the absolute value, as the operator protocol's
    /// `Money { bills, coins }` wants them.
    pub fn tenge_and_tiyn(self) -> (u64, u32) {
        let abs = self.0.unsigned_abs();
        (abs / 100, (abs % 100) as u32)
    }
}

impl std::ops::Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl std::ops::Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl std::ops::AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl std::ops::SubAssign for Money {
    fn sub_assign(&mut self, rhs: Money) {
        self.0 -= rhs.0;
    }
}

impl std::ops::Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| a + b)
    }
}

/// `1250.50`: tenge, a dot and always two tiyn digits (the form the QR code's `s=`
/// field and the receipts use).
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let (tenge, tiyn) = self.tenge_and_tiyn();
        write!(f, "{sign}{tenge}.{tiyn:02}")
    }
}

/// Divides and rounds half away from zero: the single rounding rule of the register
/// (line sums, percentages, VAT). `denominator` must be positive.
pub fn div_round(numerator: i128, denominator: i128) -> i128 {
    debug_assert!(denominator > 0);
    let quotient = numerator / denominator;
    let remainder = numerator % denominator;
    if remainder.abs() * 2 >= denominator {
        quotient + numerator.signum()
    } else {
        quotient
    }
}

/// Splits `total` in proportion to non-negative `weights` by the largest-remainder
/// method: the parts add up to `total` exactly, ties go to the earlier weight. All
/// zero weights give all zero parts.
pub fn split_proportionally(total: i64, weights: &[i64]) -> Vec<i64> {
    let base: i128 = weights.iter().map(|&w| w.max(0) as i128).sum();
    if base == 0 {
        return vec![0; weights.len()];
    }
    let mut parts: Vec<(i64, i128)> = weights
        .iter()
        .map(|&w| {
            let exact = total as i128 * w.max(0) as i128;
            ((exact / base) as i64, exact % base)
        })
        .collect();
    let mut left = total - parts.iter().map(|p| p.0).sum::<i64>();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|&a, &b| parts[b].1.cmp(&parts[a].1).then(a.cmp(&b)));
    for index in order {
        if left == 0 {
            break;
        }
        parts[index].0 += 1;
        left -= 1;
    }
    parts.into_iter().map(|p| p.0).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_the_forms_cashiers_type() {
        let cases = [
            ("1250", 125_000),
            ("1250.5", 125_050),
            ("1250.50", 125_050),
            ("1250,05", 125_005),
            ("1 250.00", 125_000),
            ("0.01", 1),
            ("0", 0),
        ];
        for (text, tiyn) in cases {
            assert_eq!(Money::parse_tenge(text), Ok(Money(tiyn)), "{text}");
        }
    }

    #[test]
    fn refuses_what_is_not_an_amount() {
        for text in ["", "abc", "1.234", "1.", ".5", "1e5", "12.3.4", "+5", "NaN"] {
            assert!(
                matches!(Money::parse_tenge(text), Err(AmountError::Malformed(_))),
                "{text}"
            );
        }
        assert!(matches!(
            Money::parse_tenge("-5"),
            Err(AmountError::Negative(_))
        ));
        assert!(matches!(
            Money::parse_tenge("99999999999999999999"),
            Err(AmountError::TooLarge(_))
        ));
    }

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(div_round(5, 10), 1);
        assert_eq!(div_round(4, 10), 0);
        assert_eq!(div_round(-5, 10), -1);
        assert_eq!(div_round(-4, 10), 0);
        assert_eq!(div_round(15, 10), 2);
    }

    proptest! {
        #[test]
        fn proportional_parts_add_up(total in 0i64..1_000_000_000, weights in proptest::collection::vec(0i64..1_000_000, 1..10)) {
            let parts = split_proportionally(total, &weights);
            if weights.iter().any(|&w| w > 0) {
                prop_assert_eq!(parts.iter().sum::<i64>(), total);
            }
            prop_assert!(parts.iter().all(|&p| p >= 0));
        }

        #[test]
        fn display_then_parse_is_identity(tiyn in 0i64..=MAX_AMOUNT.0) {
            let money = Money(tiyn);
            prop_assert_eq!(Money::parse_tenge(&money.to_string()), Ok(money));
        }

        #[test]
        fn rounding_error_is_at_most_half(n in -1_000_000_000i128..1_000_000_000, d in 1i128..100_000) {
            let q = div_round(n, d);
            prop_assert!((q * d - n).abs() * 2 <= d);
        }
    }
}
