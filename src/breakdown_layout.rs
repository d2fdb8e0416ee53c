//! The shift's reports by cashier and by section as lines of text in Kazakh or Russian,
//! for the printer and the screen (the manager's reports of the brief; the same
//! counters the X and Z reports sum, split by who sold and by section, R-16/R-17).
//! Pure: it lays out totals it is given and never reads the journal.

use crate::commands::dto::HeaderOut;
use crate::journal::report::{CashierTotals, SectionReportRow};
use crate::receipt_layout::{
    Lang, Line, money, operation_title, pair, payment_label, receipts_count, t,
};
use crate::report_layout::register_header;

/// What both reports show above their rows.
pub struct BreakdownView<'a> {
    pub header: &'a HeaderOut,
    pub shift: i64,
    pub taken_at: &'a str,
}

fn title(
    v: &BreakdownView<'_>,
    kk: &'static str,
    ru: &'static str,
    lang: Lang,
    width: usize,
) -> Vec<Line> {
    let mut out = register_header(v.header, lang, width);
    out.push(Line::Bold(t(lang, kk, ru).into()));
    out.extend(pair(
        width,
        t(lang, "Ауысым", "Смена"),
        &format!("{:04}", v.shift),
    ));
    out.extend(pair(width, t(lang, "Уақыты", "Время"), v.taken_at));
    out.push(Line::Rule);
    out
}

/// `label ...... sum`, left out when the sum is zero (a report lists what happened).
fn sum_line(out: &mut Vec<Line>, width: usize, label: &str, sum: i64) {
    if sum != 0 {
        out.extend(pair(width, label, &money(sum)));
    }
}

fn nothing(out: &mut Vec<Line>, lang: Lang) {
    out.push(Line::Text(
        t(lang, "Ауысымда операция жоқ", "В смене нет операций").into(),
    ));
}

pub fn by_cashier(
    v: &BreakdownView<'_>,
    cashiers: &[CashierTotals],
    lang: Lang,
    width: usize,
) -> Vec<Line> {
    let mut out = title(
        v,
        "КАССИРЛЕР БОЙЫНША ЕСЕП",
        "ОТЧЁТ ПО КАССИРАМ",
        lang,
        width,
    );
    if cashiers.is_empty() {
        nothing(&mut out, lang);
    }
    for c in cashiers {
        out.push(Line::Bold(format!("{} (№ {})", c.name, c.cashier_id)));
        for r in c.receipts.iter().filter(|r| r.count > 0) {
            out.extend(pair(
                width,
                &format!(
                    "  {}: {}",
                    operation_title(lang, r.operation).to_lowercase(),
                    receipts_count(lang, r.count)
                ),
                &money(r.sum),
            ));
        }
        for (kind, sum) in [("cash", c.cash), ("card", c.card), ("mobile", c.mobile)] {
            sum_line(
                &mut out,
                width,
                &format!("  {}", payment_label(lang, kind)),
                sum,
            );
        }
        for (label, sum) in [
            (t(lang, "  Кассаға енгізу", "  Внесение"), c.deposits),
            (t(lang, "  Кассадан алу", "  Изъятие"), c.withdrawals),
        ] {
            sum_line(&mut out, width, label, sum);
        }
    }
    out.push(Line::Rule);
    out
}

pub fn by_section(
    v: &BreakdownView<'_>,
    rows: &[SectionReportRow],
    lang: Lang,
    width: usize,
) -> Vec<Line> {
    let mut out = title(v, "БӨЛІМДЕР БОЙЫНША ЕСЕП", "ОТЧЁТ ПО СЕКЦИЯМ", lang, width);
    if rows.is_empty() {
        nothing(&mut out, lang);
    }
    let mut section = None;
    for r in rows {
        if section != Some(&r.section) {
            out.push(Line::Bold(format!(
                "{} {}",
                t(lang, "Бөлім", "Секция"),
                r.section
            )));
            section = Some(&r.section);
        }
        out.extend(pair(
            width,
            &format!(
                "  {}: {} {}",
                operation_title(lang, r.operation).to_lowercase(),
                r.positions,
                t(lang, "позиция", "поз.")
            ),
            &money(r.amount),
        ));
        for (label, sum) in [
            (t(lang, "    Жеңілдік", "    Скидки"), r.discount),
            (t(lang, "    Үстеме", "    Наценки"), r.markup),
            (t(lang, "    оның ішінде ҚҚС", "    в т.ч. НДС"), r.vat),
        ] {
            sum_line(&mut out, width, label, sum);
        }
    }
    out.push(Line::Rule);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::report::OperationSum;
    use crate::receipt_layout::plain_text;

    fn header() -> HeaderOut {
        HeaderOut {
            demo: true,
            ..crate::report_layout::tests::header()
        }
    }

    #[test]
    fn the_cashier_report_names_each_cashier_with_receipts_payments_and_cash_moves() {
        let h = header();
        let v = BreakdownView {
            header: &h,
            shift: 3,
            taken_at: "02.03.2026 20:00:00",
        };
        let rows = [CashierTotals {
            cashier_id: 3,
            name: "Айгүл".into(),
            receipts: vec![
                OperationSum {
                    operation: 2,
                    count: 4,
                    sum: 400_000,
                },
                OperationSum {
                    operation: 3,
                    count: 1,
                    sum: 50_000,
                },
            ],
            cash: 250_000,
            card: 100_000,
            mobile: 0,
            deposits: 1_000_000,
            withdrawals: 0,
        }];
        for (lang, width, want) in [
            (
                Lang::Kk,
                48,
                [
                    "КАССИРЛЕР БОЙЫНША ЕСЕП",
                    "Айгүл (№ 3)",
                    "сату: 4 чек",
                    "4000.00",
                    "Банк картасы",
                    "Кассаға енгізу",
                    "ДЕМО",
                ],
            ),
            (
                Lang::Ru,
                32,
                [
                    "ОТЧЁТ ПО КАССИРАМ",
                    "Айгүл (№ 3)",
                    "возврат продажи: 1 чек",
                    "500.00",
                    "Наличные",
                    "Внесение",
                    "0003",
                ],
            ),
        ] {
            let text = plain_text(&by_cashier(&v, &rows, lang, width), width);
            for w in want {
                assert!(text.contains(w), "{w} missing from\n{text}");
            }
            assert!(text.lines().all(|l| l.chars().count() <= width), "{text}");
            assert!(!text.contains("Мобиль"), "a zero payment kind is left out");
        }
    }

    #[test]
    fn the_section_report_groups_operations_under_each_section_and_says_when_empty() {
        let h = header();
        let v = BreakdownView {
            header: &h,
            shift: 3,
            taken_at: "02.03.2026 20:00:00",
        };
        let row = |section: &str, operation, amount| SectionReportRow {
            section: section.into(),
            operation,
            positions: 2,
            gross: amount,
            discount: 0,
            markup: 0,
            amount,
            vat: amount * 12 / 112,
        };
        let rows = [
            row("1", 2, 112_000),
            row("1", 3, 11_200),
            row("2", 2, 5_000),
        ];
        let text = plain_text(&by_section(&v, &rows, Lang::Kk, 48), 48);
        assert_eq!(text.matches("Бөлім 1").count(), 1, "{text}");
        assert!(
            text.contains("Бөлім 2")
                && text.contains("1120.00")
                && text.contains("оның ішінде ҚҚС")
        );
        let empty = plain_text(&by_section(&v, &[], Lang::Ru, 32), 32);
        assert!(empty.contains("В смене нет операций"), "{empty}");
    }
}
