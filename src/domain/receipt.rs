//! Receipt arithmetic: from what the cashier entered to every amount the receipt, the
//! operator and the reports carry.
//!
//! Rounding rules (property-tested below; the same rules feed the X/Z counters):
//! 1. A line's gross amount is price × quantity rounded to the tiyn, half away from zero.
//! 2. A percentage discount or markup on a line is rounded the same way; a line discount
//!    may not exceed the line's gross amount.
//! 3. A receipt-wide discount or markup is computed on the sum of the lines and then
//!    spread over the lines in proportion to their amounts by the largest-remainder
//!    method, so that the lines always add up to the receipt total to the tiyn.
//! 4. VAT is included in the price and computed per line from the line's final amount;
//!    the receipt's VAT per rate is the sum of its lines' VAT, never recomputed from a
//!    total, so the receipt, the operator and the reports agree exactly.
//! 5. Change is given only from cash: card and mobile payments never exceed the total.
//!
//! Pure: no IO, no serde, no clock.

use super::goods::MeasureUnit;
use super::money::{MAX_AMOUNT, Money, div_round, split_proportionally};
use super::quantity::Quantity;
use super::vat::{Taxation, VatRate};

/// The four operations of the operator protocol (`OperationTypeEnum`, R-78).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Operation {
    Sell,
    SellReturn,
    Buy,
    BuyReturn,
}

impl Operation {
    pub const ALL: [Operation; 4] = [
        Operation::Buy,
        Operation::BuyReturn,
        Operation::Sell,
        Operation::SellReturn,
    ];

    /// The protocol's number for the operation.
    pub const fn code(self) -> u8 {
        match self {
            Operation::Buy => 0,
            Operation::BuyReturn => 1,
            Operation::Sell => 2,
            Operation::SellReturn => 3,
        }
    }

    pub fn from_code(code: i64) -> Option<Operation> {
        Operation::ALL
            .into_iter()
            .find(|op| op.code() as i64 == code)
    }

    pub const fn is_return(self) -> bool {
        matches!(self, Operation::SellReturn | Operation::BuyReturn)
    }

    /// +1 when money comes into the drawer (sale, purchase return), −1 when it leaves.
    pub const fn cash_direction(self) -> i64 {
        match self {
            Operation::Sell | Operation::BuyReturn => 1,
            Operation::Buy | Operation::SellReturn => -1,
        }
    }

    /// The return that undoes this operation.
    pub const fn returned_as(self) -> Option<Operation> {
        match self {
            Operation::Sell => Some(Operation::SellReturn),
            Operation::Buy => Some(Operation::BuyReturn),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PaymentKind {
    Cash,
    Card,
    Mobile,
}

impl PaymentKind {
    pub const ALL: [PaymentKind; 3] = [PaymentKind::Cash, PaymentKind::Card, PaymentKind::Mobile];

    /// The protocol's `PaymentTypeEnum` value.
    pub const fn code(self) -> u8 {
        match self {
            PaymentKind::Cash => 0,
            PaymentKind::Card => 1,
            PaymentKind::Mobile => 4,
        }
    }
}

/// A percentage (thousandths of a percent: 10 % = 10000) or a fixed amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdjustmentValue {
    Percent(u32),
    Fixed(Money),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Adjustment {
    Discount(AdjustmentValue),
    Markup(AdjustmentValue),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineInput {
    pub name: String,
    pub price: Money,
    pub quantity: Quantity,
    pub taxation: Taxation,
    pub section: String,
    pub adjustment: Option<Adjustment>,
    /// R-2 element 9; the quantity counts thousandths of this unit.
    pub unit: MeasureUnit,
    /// R-2 element 8: the National Catalogue code, when the good has one.
    pub ntin: Option<String>,
    /// The GTIN the good was scanned by, sent to the operator with the line.
    pub barcode: Option<String>,
    /// The marking codes of the units, one per unit, as scanned (GS kept as `\u{1d}`):
    /// Empty for goods that are not marked.
    pub marks: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Payment {
    pub kind: PaymentKind,
    pub amount: Money,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceiptInput {
    pub operation: Operation,
    pub lines: Vec<LineInput>,
    pub adjustment: Option<Adjustment>,
    pub payments: Vec<Payment>,
}

/// A line with every amount worked out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub input: LineInput,
    /// Price × quantity.
    pub gross: Money,
    /// Discount on this line, its own plus its share of a receipt discount.
    pub discount: Money,
    /// Markup on this line, its own plus its share of a receipt markup.
    pub markup: Money,
    /// What the buyer pays for the line: gross − discount + markup.
    pub sum: Money,
    /// VAT contained in `sum` (zero without VAT).
    pub vat: Money,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TaxTotal {
    pub rate: VatRate,
    pub turnover: Money,
    pub vat: Money,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    pub operation: Operation,
    pub lines: Vec<Line>,
    /// Sum of the lines' gross amounts.
    pub subtotal: Money,
    pub discount: Money,
    pub markup: Money,
    pub total: Money,
    /// Per VAT rate, ordered by rate (lines without VAT are not listed).
    pub taxes: Vec<TaxTotal>,
    /// One entry per payment kind used, in the order cash, card, mobile.
    pub payments: Vec<Payment>,
    /// Everything the buyer handed over.
    pub taken: Money,
    pub change: Money,
}

impl Receipt {
    pub fn vat_total(&self) -> Money {
        self.taxes.iter().map(|t| t.vat).sum()
    }

    pub fn paid_with(&self, kind: PaymentKind) -> Money {
        self.payments
            .iter()
            .filter(|p| p.kind == kind)
            .map(|p| p.amount)
            .sum()
    }

    /// Cash that actually stays in (or leaves) the drawer: cash paid minus change.
    pub fn net_cash(&self) -> Money {
        self.paid_with(PaymentKind::Cash) - self.change
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReceiptError {
    #[error("the receipt has no lines: add at least one item")]
    NoLines,
    #[error("line {line}: the name is empty")]
    EmptyName { line: usize },
    #[error("line {line}: the price must be greater than zero")]
    ZeroPrice { line: usize },
    #[error(
        "line {line}: goods counted in {unit} sell in whole units: enter a whole quantity, or give the good a unit of weight, volume or length (кг, л, м)"
    )]
    WholeUnits { line: usize, unit: MeasureUnit },
    #[error("line {line}: the discount {discount} is larger than the line amount {gross}")]
    LineDiscountTooLarge {
        line: usize,
        discount: Money,
        gross: Money,
    },
    #[error("the receipt discount {discount} is larger than the receipt amount {amount}")]
    ReceiptDiscountTooLarge { discount: Money, amount: Money },
    #[error("a percentage discount cannot exceed 100 %")]
    PercentTooLarge,
    #[error("the receipt total is zero: a fiscal receipt must be for a positive amount")]
    ZeroTotal,
    #[error("the amounts are too large for one receipt")]
    TooLarge,
    #[error("a payment of zero was entered: remove it or enter the amount")]
    ZeroPayment,
    #[error("payments {paid} do not cover the total {total}: {missing} is missing")]
    Underpaid {
        paid: Money,
        total: Money,
        missing: Money,
    },
    #[error(
        "card and mobile payments {non_cash} exceed the total {total}: change can only be given from cash"
    )]
    NonCashExceedsTotal { non_cash: Money, total: Money },
    #[error(
        "a return or purchase is paid out exactly: payments {paid} differ from the total {total}"
    )]
    NotExact { paid: Money, total: Money },
    #[error(
        "line {line} carries VAT, but the seller is not registered as a VAT payer: use the group 'exempt'"
    )]
    VatForNonPayer { line: usize },
}

/// Works out every amount of a receipt (rules in the module comment).
pub fn calculate(input: ReceiptInput, vat_payer: bool) -> Result<Receipt, ReceiptError> {
    if input.lines.is_empty() {
        return Err(ReceiptError::NoLines);
    }
    let mut lines = Vec::with_capacity(input.lines.len());
    for (index, line) in input.lines.into_iter().enumerate() {
        lines.push(price_line(index + 1, line, vat_payer)?);
    }
    let after_lines: i128 = lines.iter().map(|l| l.sum.tiyn() as i128).sum();
    if after_lines > MAX_AMOUNT.tiyn() as i128 {
        return Err(ReceiptError::TooLarge);
    }
    if let Some(adjustment) = input.adjustment {
        spread_receipt_adjustment(&mut lines, adjustment, Money::from_tiyn(after_lines as i64))?;
    }
    for line in &mut lines {
        line.vat = match line.input.taxation {
            Taxation::Vat(rate) => rate.included_in(line.sum),
            Taxation::NoVat => Money::ZERO,
        };
    }
    let total: Money = lines.iter().map(|l| l.sum).sum();
    if total.is_zero() {
        return Err(ReceiptError::ZeroTotal);
    }
    let taxes = tax_totals(&lines);
    let (payments, taken, change) = settle(input.operation, &input.payments, total)?;
    Ok(Receipt {
        operation: input.operation,
        subtotal: lines.iter().map(|l| l.gross).sum(),
        discount: lines.iter().map(|l| l.discount).sum(),
        markup: lines.iter().map(|l| l.markup).sum(),
        lines,
        total,
        taxes,
        payments,
        taken,
        change,
    })
}

fn price_line(number: usize, input: LineInput, vat_payer: bool) -> Result<Line, ReceiptError> {
    if input.name.trim().is_empty() {
        return Err(ReceiptError::EmptyName { line: number });
    }
    if input.price.tiyn() <= 0 {
        return Err(ReceiptError::ZeroPrice { line: number });
    }
    if input.unit.is_countable() && input.quantity.thousandths() % 1000 != 0 {
        return Err(ReceiptError::WholeUnits {
            line: number,
            unit: input.unit,
        });
    }
    if !vat_payer && matches!(input.taxation, Taxation::Vat(_)) {
        return Err(ReceiptError::VatForNonPayer { line: number });
    }
    let gross = input.quantity.times(input.price);
    if gross > MAX_AMOUNT {
        return Err(ReceiptError::TooLarge);
    }
    let (mut discount, mut markup) = (Money::ZERO, Money::ZERO);
    match input.adjustment {
        Some(Adjustment::Discount(value)) => {
            discount = adjustment_amount(value, gross)?;
            if discount > gross {
                return Err(ReceiptError::LineDiscountTooLarge {
                    line: number,
                    discount,
                    gross,
                });
            }
        }
        Some(Adjustment::Markup(value)) => markup = adjustment_amount(value, gross)?,
        None => {}
    }
    if markup > MAX_AMOUNT {
        return Err(ReceiptError::TooLarge);
    }
    Ok(Line {
        sum: gross - discount + markup,
        input,
        gross,
        discount,
        markup,
        vat: Money::ZERO,
    })
}

fn adjustment_amount(value: AdjustmentValue, base: Money) -> Result<Money, ReceiptError> {
    match value {
        AdjustmentValue::Fixed(amount) => Ok(amount),
        AdjustmentValue::Percent(p) => {
            if p > 100_000 {
                return Err(ReceiptError::PercentTooLarge);
            }
            Ok(Money::from_tiyn(
                div_round(base.tiyn() as i128 * p as i128, 100_000) as i64,
            ))
        }
    }
}

/// Rule 3: largest-remainder allocation of a receipt-wide adjustment.
fn spread_receipt_adjustment(
    lines: &mut [Line],
    adjustment: Adjustment,
    amount: Money,
) -> Result<(), ReceiptError> {
    let (value, is_discount) = match adjustment {
        Adjustment::Discount(v) => (v, true),
        Adjustment::Markup(v) => (v, false),
    };
    if let AdjustmentValue::Percent(p) = value
        && is_discount
        && p > 100_000
    {
        return Err(ReceiptError::PercentTooLarge);
    }
    let whole = adjustment_amount(value, amount)?;
    if is_discount && whole > amount {
        return Err(ReceiptError::ReceiptDiscountTooLarge {
            discount: whole,
            amount,
        });
    }
    if whole > MAX_AMOUNT {
        return Err(ReceiptError::TooLarge);
    }
    if whole.is_zero() || amount.is_zero() {
        return Ok(());
    }
    let weights: Vec<i64> = lines.iter().map(|l| l.sum.tiyn()).collect();
    let shares = split_proportionally(whole.tiyn(), &weights);
    for (line, share) in lines.iter_mut().zip(shares) {
        let share = Money::from_tiyn(share);
        if is_discount {
            line.discount += share;
            line.sum -= share;
        } else {
            line.markup += share;
            line.sum += share;
        }
    }
    Ok(())
}

fn tax_totals(lines: &[Line]) -> Vec<TaxTotal> {
    let mut totals: Vec<TaxTotal> = Vec::new();
    for line in lines {
        if let Taxation::Vat(rate) = line.input.taxation {
            match totals.iter_mut().find(|t| t.rate == rate) {
                Some(t) => {
                    t.turnover += line.sum;
                    t.vat += line.vat;
                }
                None => totals.push(TaxTotal {
                    rate,
                    turnover: line.sum,
                    vat: line.vat,
                }),
            }
        }
    }
    totals.sort_by_key(|t| t.rate);
    totals
}

/// Rule 5, and the exact-payment rule for money the shop pays out.
fn settle(
    operation: Operation,
    payments: &[Payment],
    total: Money,
) -> Result<(Vec<Payment>, Money, Money), ReceiptError> {
    let mut merged: Vec<Payment> = Vec::new();
    for kind in PaymentKind::ALL {
        let mut amount = Money::ZERO;
        for p in payments.iter().filter(|p| p.kind == kind) {
            if p.amount.tiyn() <= 0 {
                return Err(ReceiptError::ZeroPayment);
            }
            amount = amount.checked_add(p.amount).ok_or(ReceiptError::TooLarge)?;
        }
        if !amount.is_zero() {
            merged.push(Payment { kind, amount });
        }
    }
    let taken: Money = merged.iter().map(|p| p.amount).sum();
    if taken > MAX_AMOUNT {
        return Err(ReceiptError::TooLarge);
    }
    let non_cash: Money = merged
        .iter()
        .filter(|p| p.kind != PaymentKind::Cash)
        .map(|p| p.amount)
        .sum();
    let pays_out = matches!(operation, Operation::SellReturn | Operation::Buy);
    let is_exact_only = pays_out || operation == Operation::BuyReturn;
    if is_exact_only && taken != total {
        return Err(ReceiptError::NotExact { paid: taken, total });
    }
    if taken < total {
        return Err(ReceiptError::Underpaid {
            paid: taken,
            total,
            missing: total - taken,
        });
    }
    if non_cash > total {
        return Err(ReceiptError::NonCashExceedsTotal { non_cash, total });
    }
    Ok((merged, taken, taken - total))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn line(name: &str, price: i64, qty: i64, rate: Option<u32>) -> LineInput {
        LineInput {
            name: name.into(),
            price: Money::from_tiyn(price),
            quantity: Quantity::from_thousandths(qty),
            taxation: rate.map_or(Taxation::NoVat, |r| {
                Taxation::Vat(VatRate::from_thousandths_percent(r))
            }),
            section: "1".into(),
            adjustment: None,
            // Fractions only of what is weighed; whole numbers in pieces.
            unit: if qty % 1000 == 0 {
                MeasureUnit::Piece
            } else {
                MeasureUnit::Kilogram
            },
            ntin: None,
            barcode: None,
            marks: Vec::new(),
        }
    }

    fn cash(tiyn: i64) -> Payment {
        Payment {
            kind: PaymentKind::Cash,
            amount: Money::from_tiyn(tiyn),
        }
    }

    #[test]
    fn simple_sale_with_change() {
        let receipt = calculate(
            ReceiptInput {
                operation: Operation::Sell,
                lines: vec![line("Нан", 25_000, 2000, Some(16_000))],
                adjustment: None,
                payments: vec![cash(100_000)],
            },
            true,
        )
        .expect("valid receipt");
        assert_eq!(receipt.total, Money::from_tiyn(50_000));
        assert_eq!(receipt.change, Money::from_tiyn(50_000));
        assert_eq!(receipt.vat_total(), Money::from_tiyn(6_897));
    }

    #[test]
    fn receipt_discount_is_spread_to_the_tiyn() {
        let receipt = calculate(
            ReceiptInput {
                operation: Operation::Sell,
                lines: vec![
                    line("a", 100, 1000, Some(16_000)),
                    line("b", 100, 1000, Some(16_000)),
                    line("c", 100, 1000, None),
                ],
                adjustment: Some(Adjustment::Discount(AdjustmentValue::Fixed(
                    Money::from_tiyn(100),
                ))),
                payments: vec![cash(200)],
            },
            true,
        )
        .expect("valid receipt");
        let shares: Vec<i64> = receipt.lines.iter().map(|l| l.discount.tiyn()).collect();
        assert_eq!(shares, vec![34, 33, 33]);
        assert_eq!(receipt.total, Money::from_tiyn(200));
    }

    #[test]
    fn refusals() {
        let base = ReceiptInput {
            operation: Operation::Sell,
            lines: vec![line("a", 1000, 1000, Some(16_000))],
            adjustment: None,
            payments: vec![cash(1000)],
        };
        let with = |f: &dyn Fn(&mut ReceiptInput)| {
            let mut input = base.clone();
            f(&mut input);
            calculate(input, true)
        };
        assert_eq!(with(&|r| r.lines.clear()), Err(ReceiptError::NoLines));
        assert!(matches!(
            with(&|r| r.payments = vec![cash(999)]),
            Err(ReceiptError::Underpaid { .. })
        ));
        assert!(matches!(
            with(&|r| r.payments = vec![Payment {
                kind: PaymentKind::Card,
                amount: Money::from_tiyn(2000)
            }]),
            Err(ReceiptError::NonCashExceedsTotal { .. })
        ));
        assert!(matches!(
            with(&|r| {
                r.operation = Operation::SellReturn;
                r.payments = vec![cash(2000)];
            }),
            Err(ReceiptError::NotExact { .. })
        ));
        assert!(matches!(
            with(
                &|r| r.lines[0].adjustment = Some(Adjustment::Discount(AdjustmentValue::Fixed(
                    Money::from_tiyn(1001)
                )))
            ),
            Err(ReceiptError::LineDiscountTooLarge { .. })
        ));
        assert_eq!(
            with(&|r| r.lines[0].adjustment =
                Some(Adjustment::Discount(AdjustmentValue::Percent(100_000)))),
            Err(ReceiptError::ZeroTotal)
        );
        assert_eq!(
            calculate(base.clone(), false),
            Err(ReceiptError::VatForNonPayer { line: 1 })
        );
        assert_eq!(
            with(&|r| r.payments = vec![cash(0)]),
            Err(ReceiptError::ZeroPayment)
        );
        // R-2 (9): a piece good sells in whole pieces; the same quantity by weight passes.
        let half = |unit| {
            with(&|r| {
                r.lines[0].quantity = Quantity::from_thousandths(1_500);
                r.lines[0].unit = unit;
                r.payments = vec![cash(1500)];
            })
        };
        assert_eq!(
            half(MeasureUnit::Piece),
            Err(ReceiptError::WholeUnits {
                line: 1,
                unit: MeasureUnit::Piece
            })
        );
        assert!(half(MeasureUnit::Kilogram).is_ok());
    }

    fn arb_adjustment() -> impl Strategy<Value = Option<Adjustment>> {
        prop_oneof![
            Just(None),
            (0u32..=100_000).prop_map(|p| Some(Adjustment::Discount(AdjustmentValue::Percent(p)))),
            (0u32..=50_000).prop_map(|p| Some(Adjustment::Markup(AdjustmentValue::Percent(p)))),
            (0i64..5_000).prop_map(|a| Some(Adjustment::Markup(AdjustmentValue::Fixed(
                Money::from_tiyn(a)
            )))),
        ]
    }

    fn arb_line() -> impl Strategy<Value = LineInput> {
        (
            1i64..2_000_000,
            1i64..50_000,
            prop_oneof![
                Just(None),
                Just(Some(16_000u32)),
                Just(Some(10_000)),
                Just(Some(0))
            ],
            arb_adjustment(),
        )
            .prop_map(|(price, qty, rate, adjustment)| {
                let mut l = line("x", price, qty, rate);
                l.adjustment = adjustment;
                l
            })
    }

    proptest! {
        #[test]
        fn amounts_always_add_up(
            lines in proptest::collection::vec(arb_line(), 1..12),
            adjustment in arb_adjustment(),
            extra_cash in 0i64..100_000,
        ) {
            let probe = calculate(ReceiptInput {
                operation: Operation::Sell,
                lines: lines.clone(),
                adjustment,
                payments: vec![cash(1)],
            }, true);
            let total = match probe {
                Err(ReceiptError::Underpaid { total, .. }) => total,
                Ok(r) => r.total,
                Err(_) => return Ok(()),
            };
            let receipt = calculate(ReceiptInput {
                operation: Operation::Sell,
                lines,
                adjustment,
                payments: vec![cash(total.tiyn() + extra_cash)],
            }, true).expect("paid in full");
            // Lines add up to the total, and the total to subtotal - discount + markup.
            prop_assert_eq!(receipt.lines.iter().map(|l| l.sum).sum::<Money>(), receipt.total);
            prop_assert_eq!(receipt.subtotal - receipt.discount + receipt.markup, receipt.total);
            for l in &receipt.lines {
                prop_assert!(l.sum.tiyn() >= 0);
                prop_assert_eq!(l.gross - l.discount + l.markup, l.sum);
            }
            // VAT per rate is the sum of its lines, and the turnover too.
            for tax in &receipt.taxes {
                let of_rate = receipt.lines.iter()
                    .filter(|l| l.input.taxation == Taxation::Vat(tax.rate));
                prop_assert_eq!(of_rate.clone().map(|l| l.vat).sum::<Money>(), tax.vat);
                prop_assert_eq!(of_rate.map(|l| l.sum).sum::<Money>(), tax.turnover);
                prop_assert!(tax.vat <= tax.turnover);
            }
            prop_assert_eq!(receipt.change, Money::from_tiyn(extra_cash));
            prop_assert!(receipt.change <= receipt.paid_with(PaymentKind::Cash));
        }
    }
}
