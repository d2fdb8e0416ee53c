//! How much a person may take off a sale: each role has a limit, a percentage of what
//! is discounted (a line's own discount against the line, the receipt's discounts
//! against the receipt), so a cashier cannot give away goods and a manager's larger
//! discounts are a deliberate step. Markups are not limited. Pure: no IO, no serde.

use super::money::Money;
use super::quantity::Quantity;
use super::receipt::{Adjustment, AdjustmentValue, Receipt};

/// A limit in thousandths of a percent (10 % = 10_000).
pub type LimitMilli = u32;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DiscountLimitError {
    #[error(
        "line {line}: the discount is {given} of the line, more than the {limit} your role may give: ask a manager"
    )]
    Line {
        line: usize,
        given: PercentText,
        limit: PercentText,
    },
    #[error(
        "the receipt's discounts are {given} of the sale, more than the {limit} your role may give: ask a manager"
    )]
    Receipt {
        given: PercentText,
        limit: PercentText,
    },
}

/// A share in thousandths of a percent, shown as "12.5 %".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PercentText(pub u64);

impl std::fmt::Display for PercentText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Thousandths print like a quantity: no trailing zeros.
        let milli = i64::try_from(self.0).unwrap_or(i64::MAX);
        write!(f, "{} %", Quantity::from_thousandths(milli))
    }
}

/// `part` of `whole` in thousandths of a percent, rounded up so that a hair over the
/// limit is over it.
fn share(part: Money, whole: Money) -> u64 {
    if whole.tiyn() <= 0 {
        return 0;
    }
    let (p, w) = (part.tiyn().max(0) as u128, whole.tiyn() as u128);
    (p * 100_000).div_ceil(w) as u64
}

/// Checks a computed receipt against `limit`. `receipt_adjustment` is what the person
/// entered for the whole receipt; the lines carry their own entries.
pub fn check(
    receipt: &Receipt,
    receipt_adjustment: Option<Adjustment>,
    limit: LimitMilli,
) -> Result<(), DiscountLimitError> {
    let limit_text = PercentText(u64::from(limit));
    for (i, line) in receipt.lines.iter().enumerate() {
        let own = match line.input.adjustment {
            Some(Adjustment::Discount(AdjustmentValue::Percent(p))) => u64::from(p),
            Some(Adjustment::Discount(AdjustmentValue::Fixed(m))) => share(m, line.gross),
            _ => 0,
        };
        if own > u64::from(limit) {
            return Err(DiscountLimitError::Line {
                line: i + 1,
                given: PercentText(own),
                limit: limit_text,
            });
        }
    }
    let on_receipt = matches!(receipt_adjustment, Some(Adjustment::Discount(_)));
    let total = share(receipt.discount, receipt.subtotal);
    if on_receipt && total > u64::from(limit) {
        return Err(DiscountLimitError::Receipt {
            given: PercentText(total),
            limit: limit_text,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::receipt::{
        LineInput, Operation, Payment, PaymentKind, ReceiptInput, calculate,
    };
    use crate::domain::{MeasureUnit, Taxation};

    fn sale(line: Option<Adjustment>, whole: Option<Adjustment>) -> Receipt {
        let item = |adjustment| LineInput {
            name: "Нан".into(),
            price: Money::from_tiyn(100_000),
            quantity: Quantity::ONE,
            taxation: Taxation::NoVat,
            section: "1".into(),
            adjustment,
            unit: MeasureUnit::Piece,
            ntin: None,
            barcode: None,
            marks: Vec::new(),
        };
        calculate(
            ReceiptInput {
                operation: Operation::Sell,
                lines: vec![item(line), item(None)],
                adjustment: whole,
                // Cash over the total: the change is not what is tested here.
                payments: vec![Payment {
                    kind: PaymentKind::Cash,
                    amount: Money::from_tiyn(1_000_000),
                }],
            },
            false,
        )
        .expect("a valid sale")
    }

    const TEN: LimitMilli = 10_000;

    #[test]
    fn within_the_limit_passes_and_beyond_it_names_the_line_and_the_share() {
        let pct = |p| Some(Adjustment::Discount(AdjustmentValue::Percent(p)));
        assert_eq!(check(&sale(pct(10_000), None), None, TEN), Ok(()));
        assert_eq!(
            check(&sale(pct(12_500), None), None, TEN),
            Err(DiscountLimitError::Line {
                line: 1,
                given: PercentText(12_500),
                limit: PercentText(u64::from(TEN))
            })
        );
        // 150 off a 1000 line is 15 %.
        let fixed = Some(Adjustment::Discount(AdjustmentValue::Fixed(
            Money::from_tiyn(15_000),
        )));
        assert!(matches!(
            check(&sale(fixed, None), None, TEN),
            Err(DiscountLimitError::Line {
                given: PercentText(15_000),
                ..
            })
        ));
        // A receipt discount of 20 % is over; 10 % spread over the lines is not.
        let whole = pct(20_000);
        assert!(matches!(
            check(&sale(None, whole), whole, TEN),
            Err(DiscountLimitError::Receipt { .. })
        ));
        assert_eq!(check(&sale(None, pct(10_000)), pct(10_000), TEN), Ok(()));
        // Markups are not limited.
        let markup = Some(Adjustment::Markup(AdjustmentValue::Percent(90_000)));
        assert_eq!(check(&sale(markup, markup), markup, TEN), Ok(()));
        assert_eq!(PercentText(12_500).to_string(), "12.5 %");
    }
}
