//! Quantities in thousandths of a unit (1000 = one piece, 250 = 250 g of a kilogram
//! item), the precision the operator protocol carries. No floats, no IO.

use std::fmt;

use super::money::{Money, div_round};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quantity(i64);

/// No line may sell more than a million units: beyond that an input is a typo.
pub const MAX_QUANTITY: Quantity = Quantity(1_000_000_000);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuantityError {
    #[error("'{0}' is not a quantity: write a number with at most three decimals, like 2 or 0.250")]
    Malformed(String),
    #[error("quantity '{0}' must be greater than zero")]
    NotPositive(String),
    #[error("quantity '{0}' is too large: at most 1 000 000 per line")]
    TooLarge(String),
}

impl Quantity {
    pub const ONE: Quantity = Quantity(1000);

    pub const fn from_thousandths(thousandths: i64) -> Quantity {
        Quantity(thousandths)
    }

    pub const fn thousandths(self) -> i64 {
        self.0
    }

    pub fn parse(text: &str) -> Result<Quantity, QuantityError> {
        let cleaned = text.trim().replace(',', ".");
        let malformed = || QuantityError::Malformed(text.to_string());
        if cleaned.starts_with('-') {
            return Err(QuantityError::NotPositive(text.to_string()));
        }
        let (whole, fraction) = cleaned.split_once('.').unwrap_or((cleaned.as_str(), ""));
        let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if whole.is_empty() || !digits(whole) || !digits(fraction) || fraction.len() > 3 {
            return Err(malformed());
        }
        if cleaned.ends_with('.') {
            return Err(malformed());
        }
        if whole.len() > 9 {
            return Err(QuantityError::TooLarge(text.to_string()));
        }
        let whole: i64 = whole.parse().map_err(|_| malformed())?;
        let mut frac: i64 = if fraction.is_empty() {
            0
        } else {
            fraction.parse().map_err(|_| malformed())?
        };
        for _ in fraction.len()..3 {
            frac *= 10;
        }
        let value = whole * 1000 + frac;
        if value == 0 {
            return Err(QuantityError::NotPositive(text.to_string()));
        }
        if value > MAX_QUANTITY.0 {
            return Err(QuantityError::TooLarge(text.to_string()));
        }
        Ok(Quantity(value))
    }

    /// Price × quantity, rounded to the tiyn half away from zero.
    pub fn times(self, price: Money) -> Money {
        Money::from_tiyn(div_round(price.tiyn() as i128 * self.0 as i128, 1000) as i64)
    }
}

/// `2`, `0.25`, `1.5`: no trailing zeros, as printed on receipts.
impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = self.0 / 1000;
        let frac = self.0 % 1000;
        if frac == 0 {
            write!(f, "{whole}")
        } else {
            let digits = format!("{frac:03}");
            write!(f, "{whole}.{}", digits.trim_end_matches('0'))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_and_prints() {
        for (text, value, printed) in [
            ("2", 2000, "2"),
            ("0.25", 250, "0.25"),
            ("1,5", 1500, "1.5"),
            ("0.001", 1, "0.001"),
        ] {
            let q = Quantity::parse(text).expect("valid quantity");
            assert_eq!(q.thousandths(), value);
            assert_eq!(q.to_string(), printed);
        }
        assert!(Quantity::parse("0").is_err());
        assert!(Quantity::parse("1.2345").is_err());
        assert!(Quantity::parse("-1").is_err());
        assert!(Quantity::parse("two").is_err());
    }

    #[test]
    fn line_amount_rounds_to_the_tiyn() {
        // 0.333 kg at 999.99 tenge = 332.99667 tenge -> 333.00
        let q = Quantity::parse("0.333").expect("valid");
        assert_eq!(q.times(Money::from_tiyn(99_999)), Money::from_tiyn(33_300));
    }

    proptest! {
        #[test]
        fn display_then_parse_is_identity(t in 1i64..=MAX_QUANTITY.0) {
            let q = Quantity(t);
            prop_assert_eq!(Quantity::parse(&q.to_string()), Ok(q));
        }
    }
}
