//! The X and Z reports as lines of text in Kazakh or Russian (R-16…R-20: counters per
//! operation and payment, VAT by rate, sections, cash in and out, cash in the drawer,
//! the non-nullable totals, and for a Z its number and checksums), for the printer and
//! the screen. Pure, like `receipt_layout`, whose line model and helpers it shares.

use crate::commands::dto::HeaderOut;
use crate::journal::report::ShiftReport;
use crate::receipt_layout::{
    Lang, Line, money, operation_title, pair, payment_label, receipts_count, t, wrap,
};

/// What a report shows besides its counters.
pub struct ReportView<'a> {
    pub header: &'a HeaderOut,
    /// "X", or "Z" with its number (at least four digits).
    pub z_number: Option<&'a str>,
    pub opened_at: Option<&'a str>,
    pub taken_at: &'a str,
    pub shift_checksum: Option<&'a str>,
    pub total_checksum: Option<&'a str>,
    pub report: &'a ShiftReport,
}

/// Who and which register, on top of every report: the demo mark, the
/// organisation, its address and BIN, the factory and registration numbers.
pub fn register_header(h: &HeaderOut, lang: Lang, width: usize) -> Vec<Line> {
    let mut out = Vec::new();
    if h.demo {
        out.push(Line::Centered(
            t(lang, "ДЕМО — ФИСКАЛДЫҚ ЕМЕС", "ДЕМО — НЕ ФИСКАЛЬНЫЙ").into(),
        ));
    }
    out.extend(wrap(&h.org_name, width).into_iter().map(Line::Centered));
    out.extend(wrap(&h.address, width).into_iter().map(Line::Centered));
    out.extend(pair(width, t(lang, "БСН/ЖСН", "БИН/ИИН"), &h.bin));
    out.extend(pair(width, "ЗНМ", &h.factory_number));
    out.extend(pair(width, "РНМ", &h.rnm));
    out.push(Line::Rule);
    out
}

pub fn report(v: &ReportView<'_>, lang: Lang, width: usize) -> Vec<Line> {
    let r = v.report;
    let mut out = register_header(v.header, lang, width);
    out.push(Line::Bold(match v.z_number {
        Some(n) => format!("{} № {n}", t(lang, "Z-ЕСЕП", "Z-ОТЧЁТ")),
        None => t(lang, "X-ЕСЕП", "X-ОТЧЁТ").into(),
    }));
    out.extend(pair(
        width,
        t(lang, "Ауысым", "Смена"),
        &format!("{:04}", r.shift_no),
    ));
    if let Some(at) = v.opened_at {
        out.extend(pair(width, t(lang, "Ашылды", "Открыта"), at));
    }
    out.extend(pair(width, t(lang, "Уақыты", "Время"), v.taken_at));
    out.push(Line::Rule);
    for tk in r.tickets.iter().filter(|tk| tk.count > 0) {
        out.push(Line::Bold(operation_title(lang, tk.operation).into()));
        out.extend(pair(
            width,
            &format!("  {}", receipts_count(lang, tk.count)),
            &money(tk.sum),
        ));
        for p in tk.payments.iter().filter(|p| p.count > 0) {
            out.extend(pair(
                width,
                &format!("  {}", payment_label(lang, &p.kind)),
                &money(p.sum),
            ));
        }
        if tk.discount_sum > 0 {
            out.extend(pair(
                width,
                t(lang, "  Жеңілдік", "  Скидки"),
                &money(tk.discount_sum),
            ));
        }
        if tk.markup_sum > 0 {
            out.extend(pair(
                width,
                t(lang, "  Үстеме", "  Наценки"),
                &money(tk.markup_sum),
            ));
        }
        if tk.offline_count > 0 {
            out.extend(pair(
                width,
                t(lang, "  оның ішінде автономды", "  из них автономно"),
                &tk.offline_count.to_string(),
            ));
        }
    }
    for tax in &r.taxes {
        for op in tax.operations.iter().filter(|o| o.turnover != 0) {
            out.extend(pair(
                width,
                &format!(
                    "{} {}% ({})",
                    t(lang, "ҚҚС", "НДС"),
                    crate::domain::vat::VatRate::from_thousandths_percent(tax.rate).percent_text(),
                    operation_title(lang, op.operation).to_lowercase()
                ),
                &money(op.vat),
            ));
        }
    }
    for s in &r.sections {
        for op in s.operations.iter().filter(|o| o.count > 0) {
            out.extend(pair(
                width,
                &format!(
                    "{} {} ({})",
                    t(lang, "Бөлім", "Секция"),
                    s.section,
                    operation_title(lang, op.operation).to_lowercase()
                ),
                &money(op.sum),
            ));
        }
    }
    for p in r.money_placements.iter().filter(|p| p.count > 0) {
        let label = if p.direction == "deposit" {
            t(lang, "Кассаға енгізу", "Внесение")
        } else {
            t(lang, "Кассадан алу", "Изъятие")
        };
        out.extend(pair(
            width,
            &format!("{label} ({})", p.count),
            &money(p.sum),
        ));
    }
    out.push(Line::Rule);
    out.extend(pair(
        width,
        t(lang, "Кассадағы қолма-қол", "Наличные в кассе"),
        &money(r.cash_sum),
    ));
    out.extend(pair(width, t(lang, "Түсім", "Выручка"), &money(r.revenue)));
    for n in &r.non_nullable {
        out.extend(pair(
            width,
            &format!(
                "{} ({})",
                t(lang, "Нөлденбейтін сома", "Необнуляемая сумма"),
                operation_title(lang, n.operation).to_lowercase()
            ),
            &money(n.sum),
        ));
    }
    if let (Some(shift), Some(total)) = (v.shift_checksum, v.total_checksum) {
        out.push(Line::Rule);
        out.extend(pair(
            width,
            t(lang, "Ауысым бақылау сомасы", "КС смены"),
            &shift[..16.min(shift.len())],
        ));
        out.extend(pair(
            width,
            t(lang, "Жалпы бақылау сомасы", "Общая КС"),
            &total[..16.min(total.len())],
        ));
    }
    out
}

/// A cash-in or cash-out slip: what moved, when, by whom, and what the drawer
/// holds after it.
pub struct CashSlipView<'a> {
    pub demo: bool,
    pub org_name: &'a str,
    pub bin: &'a str,
    pub rnm: &'a str,
    pub deposit: bool,
    pub number: i64,
    pub shift: i64,
    pub taken_at: &'a str,
    pub amount: i64,
    /// After it; unknown on a reprint.
    pub in_drawer: Option<i64>,
    pub cashier: &'a str,
    pub copy: bool,
}

pub fn cash_slip(v: &CashSlipView<'_>, lang: Lang, width: usize) -> Vec<Line> {
    let mut out = Vec::new();
    if v.copy {
        out.push(Line::Centered(t(lang, "КӨШІРМЕ", "КОПИЯ").into()));
    }
    if v.demo {
        out.push(Line::Centered(
            t(lang, "ДЕМО — ФИСКАЛДЫҚ ЕМЕС", "ДЕМО — НЕ ФИСКАЛЬНЫЙ").into(),
        ));
    }
    out.extend(wrap(v.org_name, width).into_iter().map(Line::Centered));
    out.extend(pair(width, t(lang, "БСН/ЖСН", "БИН/ИИН"), v.bin));
    out.extend(pair(width, "РНМ", v.rnm));
    out.push(Line::Rule);
    out.push(Line::Bold(if v.deposit {
        t(lang, "КАССАҒА ЕНГІЗУ", "ВНЕСЕНИЕ НАЛИЧНЫХ").into()
    } else {
        t(lang, "КАССАДАН АЛУ", "ИЗЪЯТИЕ НАЛИЧНЫХ").into()
    }));
    out.extend(pair(
        width,
        &format!("{} № {}", t(lang, "Құжат", "Документ"), v.number),
        &format!("{} {:04}", t(lang, "Ауысым", "Смена"), v.shift),
    ));
    out.extend(pair(width, t(lang, "Уақыты", "Время"), v.taken_at));
    out.extend(pair(width, t(lang, "Сомасы", "Сумма"), &money(v.amount)));
    if let Some(cash) = v.in_drawer {
        out.extend(pair(
            width,
            t(lang, "Кассадағы қолма-қол", "Наличные в кассе"),
            &money(cash),
        ));
    }
    out.extend(pair(width, t(lang, "Кассир", "Кассир"), v.cashier));
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The register of the layout tests.
    pub(crate) fn header() -> HeaderOut {
        HeaderOut {
            demo: false,
            org_name: "ЖШС «Сауда»".into(),
            address: "Астана".into(),
            bin: "990101000014".into(),
            factory_number: "SAUDA-0001".into(),
            rnm: "600400300200".into(),
            kkm_id: "1".into(),
            vat_payer: false,
            default_lang: "kk".into(),
        }
    }
    use crate::journal::report::{PaymentTotals, TicketTotals};
    use crate::receipt_layout::plain_text;

    #[test]
    fn r16_r19_a_z_report_shows_its_number_counters_cash_and_checksums() {
        let report = ShiftReport {
            shift_no: 7,
            tickets: vec![TicketTotals {
                operation: 2,
                count: 3,
                sum: 150_000,
                payments: vec![PaymentTotals {
                    kind: "cash".into(),
                    count: 3,
                    sum: 150_000,
                }],
                offline_count: 1,
                ..TicketTotals::default()
            }],
            cash_sum: 250_000,
            revenue: 150_000,
            ..ShiftReport::default()
        };
        let header = header();
        let view = ReportView {
            header: &header,
            z_number: Some("0007"),
            opened_at: Some("02.03.2026 08:00"),
            taken_at: "02.03.2026 20:00",
            shift_checksum: Some("abcdef0123456789abcdef"),
            total_checksum: Some("0123456789abcdef0123"),
            report: &report,
        };
        let text = plain_text(&super::report(&view, Lang::Kk, 48), 48);
        for want in [
            "Z-ЕСЕП № 0007",
            "Ауысым",
            "0007",
            "3 чек",
            "1500.00",
            "оның ішінде автономды",
            "Кассадағы қолма-қол",
            "2500.00",
            "abcdef0123456789",
        ] {
            assert!(text.contains(want), "{want} missing from\n{text}");
        }
        let slip = plain_text(
            &cash_slip(
                &CashSlipView {
                    demo: false,
                    org_name: "ЖШС «Сауда»",
                    bin: "990101000014",
                    rnm: "600400300200",
                    deposit: false,
                    number: 12,
                    shift: 7,
                    taken_at: "02.03.2026 20:00:00",
                    amount: 500_000,
                    in_drawer: Some(1_250),
                    cashier: "Айгүл",
                    copy: false,
                },
                Lang::Kk,
                32,
            ),
            32,
        );
        assert!(
            slip.contains("КАССАДАН АЛУ") && slip.contains("5000.00"),
            "{slip}"
        );
        assert!(slip.lines().all(|l| l.chars().count() <= 32), "{slip}");
        let ru = plain_text(&super::report(&view, Lang::Ru, 32), 32);
        assert!(
            ru.contains("Z-ОТЧЁТ № 0007") && ru.contains("Наличные в кассе"),
            "{ru}"
        );
        assert!(ru.lines().all(|l| l.chars().count() <= 32), "{ru}");
    }
}
