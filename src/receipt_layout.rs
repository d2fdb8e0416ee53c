//! The receipt as lines of text in Kazakh or Russian, with every element the law asks
//! for (R-2: the 16 elements: the autonomous sign and "Автономды" /
//! "Автономный"; R-72: the check URL in the QR code). The electronic receipt is these
//! lines; the printer issue renders the same lines to ESC/POS.
//!
//! Pure: it reads a stored receipt and its signs and never touches the journal, the
//! network or a device. Monospace layout of a fixed width (32 or 48 columns).

use crate::domain::{Money, Quantity};
use crate::journal::record::{ReceiptPayload, Settings};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Kk,
    Ru,
}

impl Lang {
    pub fn parse(text: &str) -> Option<Lang> {
        match text.trim().to_lowercase().as_str() {
            "kk" | "kz" | "kaz" | "қаз" => Some(Lang::Kk),
            "ru" | "rus" | "рус" => Some(Lang::Ru),
            _ => None,
        }
    }
}

/// How a line is shown; the printer maps these to ESC/POS, e-mail to plain text.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", content = "text", rename_all = "snake_case")]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
pub enum Line {
    Text(String),
    Centered(String),
    Bold(String),
    /// A QR code carrying this text.
    Qr(String),
    Rule,
}

/// Everything a receipt shows that is not in its payload.
pub struct ReceiptView<'a> {
    pub settings: &'a Settings,
    pub receipt: &'a ReceiptPayload,
    /// Local date and time, as printed.
    pub created_at: String,
    /// The sign printed: the operator's, or the autonomous one.
    pub fiscal_sign: Option<String>,
    pub autonomous: bool,
    pub check_url: Option<String>,
    /// A reprint: marked as a copy, with the same fiscal data (item 84).
    pub copy: bool,
}

pub(crate) fn t(lang: Lang, kk: &'static str, ru: &'static str) -> &'static str {
    match lang {
        Lang::Kk => kk,
        Lang::Ru => ru,
    }
}

/// "N чек" / "N чек, чека, чеков": Kazakh nouns do not change after a number, Russian
/// ones take one of three forms (1, 21 чек; 2–4, 22 чека; 5–20, 25 чеков).
pub(crate) fn receipts_count(lang: Lang, n: i64) -> String {
    let word = match lang {
        Lang::Kk => "чек",
        Lang::Ru => match (n % 10, n % 100) {
            (1, m) if m != 11 => "чек",
            (2..=4, m) if !(12..=14).contains(&m) => "чека",
            _ => "чеков",
        },
    };
    format!("{n} {word}")
}

pub(crate) fn operation_title(lang: Lang, code: u8) -> &'static str {
    match code {
        0 => t(lang, "САТЫП АЛУ", "ПОКУПКА"),
        1 => t(lang, "САТЫП АЛУДЫ ҚАЙТАРУ", "ВОЗВРАТ ПОКУПКИ"),
        3 => t(lang, "САТУДЫ ҚАЙТАРУ", "ВОЗВРАТ ПРОДАЖИ"),
        _ => t(lang, "САТУ", "ПРОДАЖА"),
    }
}

pub(crate) fn payment_label(lang: Lang, kind: &str) -> &'static str {
    match kind {
        "card" => t(lang, "Банк картасы", "Банковская карта"),
        "mobile" => t(lang, "Мобильді төлем", "Мобильный платёж"),
        _ => t(lang, "Қолма-қол", "Наличные"),
    }
}

/// `left ........ right` in `width` columns; a long left part wraps above, and a right
/// part too long for a line wraps as well, its last piece to the right.
pub(crate) fn pair(width: usize, left: &str, right: &str) -> Vec<Line> {
    if left.chars().count() + right.chars().count() < width {
        return vec![Line::Text(padded(width, left, right))];
    }
    let mut out: Vec<Line> = wrap(left, width).into_iter().map(Line::Text).collect();
    let mut pieces = wrap(right, width);
    let last = pieces.pop().unwrap_or_default();
    out.extend(pieces.into_iter().map(Line::Text));
    out.push(Line::Text(format!(
        "{}{last}",
        " ".repeat(width.saturating_sub(last.chars().count()))
    )));
    out
}

/// One line `left   right`, at least one space between them.
pub(crate) fn padded(width: usize, left: &str, right: &str) -> String {
    let used = left.chars().count() + right.chars().count();
    format!(
        "{left}{}{right}",
        " ".repeat(width.saturating_sub(used).max(1))
    )
}

pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let needed =
            current.chars().count() + word.chars().count() + usize::from(!current.is_empty());
        if needed > width && !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > width {
            lines.push(word.drain(..width).collect());
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.extend(word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// `dd.mm.yyyy HH:MM:SS` in the register's time zone, as receipts and reports print it
/// (R-2 (13), R-67).
pub fn printed_time(ms: i64, settings: &Settings) -> String {
    local_stamp(crate::core::from_millis(ms).to_offset(crate::core::offset_of(settings)))
}

/// `DD.MM.YYYY hh:mm:ss` of a time already in the wanted zone, as paper shows it.
pub fn local_stamp(t: time::OffsetDateTime) -> String {
    format!(
        "{:02}.{:02}.{:04} {:02}:{:02}:{:02}",
        t.day(),
        u8::from(t.month()),
        t.year(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

pub(crate) fn money(tiyn: i64) -> String {
    Money::from_tiyn(tiyn).to_string()
}

pub fn receipt(v: &ReceiptView<'_>, lang: Lang, width: usize) -> Vec<Line> {
    let s = v.settings;
    let r = v.receipt;
    let mut out = Vec::new();
    if v.copy {
        out.push(Line::Centered(t(lang, "КӨШІРМЕ", "КОПИЯ").into()));
    }
    if r.demo {
        out.push(Line::Centered(
            t(lang, "ДЕМО — ФИСКАЛДЫҚ ЕМЕС", "ДЕМО — НЕ ФИСКАЛЬНЫЙ").into(),
        ));
    } else if v.fiscal_sign.is_some() {
        // the mark of fiscal mode, only once the operator's or the autonomous
        // sign exists; a demo document never carries it.
        out.push(Line::Centered("ФИСКАЛДЫҚ ЧЕК".into()));
    }
    // R-2 (1)–(5): who sells, where, and which register.
    out.extend(wrap(&s.org_name, width).into_iter().map(Line::Centered));
    out.extend(wrap(&s.address, width).into_iter().map(Line::Centered));
    out.extend(pair(width, t(lang, "БСН/ЖСН", "БИН/ИИН"), &s.bin));
    if s.vat_payer
        && let Some(cert) = &s.vat_certificate
    {
        out.extend(pair(width, t(lang, "ҚҚС куәлігі", "Свид. по НДС"), cert));
    }
    out.extend(pair(width, t(lang, "ЗНМ", "ЗНМ"), &s.factory_number));
    out.extend(pair(width, t(lang, "РНМ", "РНМ"), &s.rnm));
    out.push(Line::Rule);
    out.push(Line::Bold(operation_title(lang, r.operation).into()));
    // (6), (13): the number and the time.
    out.extend(pair(
        width,
        &format!("{} № {}", t(lang, "Чек", "Чек"), r.doc_no),
        &format!("{} {:04}", t(lang, "Ауысым", "Смена"), r.shift_no),
    ));
    out.extend(pair(width, t(lang, "Уақыты", "Время"), &v.created_at));
    if let Some(p) = &r.parent {
        let original = if p.doc_no > 0 {
            format!("№ {}", p.doc_no)
        } else {
            p.rnm.clone()
        };
        out.extend(pair(
            width,
            t(lang, "Бастапқы чек", "Исходный чек"),
            &original,
        ));
        if let Some(sign) = &p.fiscal_sign {
            out.extend(pair(width, t(lang, "оның ФБ", "его ФП"), sign));
        }
    }
    out.push(Line::Rule);
    // (7)–(10), (15): each position with quantity, price, sum and its VAT.
    for (i, l) in r.lines.iter().enumerate() {
        out.extend(
            wrap(&format!("{}. {}", i + 1, l.name), width)
                .into_iter()
                .map(Line::Text),
        );
        let unit = l.measure_unit();
        out.extend(pair(
            width,
            &format!(
                "  {} {} x {}",
                Quantity::from_thousandths(l.quantity),
                t(lang, unit.kazakh(), unit.russian()),
                money(l.price)
            ),
            &money(l.gross),
        ));
        // (8): the National Catalogue code; marked goods add their marking codes here.
        if let Some(ntin) = &l.ntin {
            out.extend(pair(width, t(lang, "  ҰТК коды", "  Код НКТ"), ntin));
        }
        // R-102, reading A-25: the identification part of each unit's code (GTIN and
        // serial); the crypto tail is for the operator, not for paper.
        if !l.marks.is_empty() {
            out.push(Line::Text(
                t(lang, "  Таңбалау коды:", "  Код маркировки:").to_string(),
            ));
            for code in &l.marks {
                let ident = crate::devices::marking::identification_of(code);
                // Indented like the line's other details when it fits (80 mm); a
                // 58 mm roll breaks the 31 characters over two lines.
                if ident.chars().count() + 2 <= width {
                    out.push(Line::Text(format!("  {ident}")));
                } else {
                    out.extend(wrap(&ident, width).into_iter().map(Line::Text));
                }
            }
        }
        if l.discount > 0 {
            out.extend(pair(
                width,
                t(lang, "  Жеңілдік", "  Скидка"),
                &format!("-{}", money(l.discount)),
            ));
        }
        if l.markup > 0 {
            out.extend(pair(
                width,
                t(lang, "  Үстеме", "  Наценка"),
                &money(l.markup),
            ));
        }
        if let Some(rate) = l.vat_rate {
            out.extend(pair(
                width,
                &format!(
                    "  {} {}%",
                    t(lang, "ҚҚС", "НДС"),
                    crate::domain::vat::VatRate::from_thousandths_percent(rate).percent_text()
                ),
                &money(l.vat),
            ));
        }
    }
    out.push(Line::Rule);
    // (11): the total, then VAT by rate (15) and the payments.
    out.push(Line::Bold(padded(
        width,
        t(lang, "ЖИЫНЫ", "ИТОГО"),
        &money(r.total),
    )));
    for tax in &r.taxes {
        out.extend(pair(
            width,
            &format!(
                "{} {}%",
                t(lang, "оның ішінде ҚҚС", "в т.ч. НДС"),
                crate::domain::vat::VatRate::from_thousandths_percent(tax.rate).percent_text()
            ),
            &money(tax.vat),
        ));
    }
    for p in &r.payments {
        out.extend(pair(width, payment_label(lang, &p.kind), &money(p.amount)));
    }
    if r.change > 0 {
        out.extend(pair(width, t(lang, "Қайтарым", "Сдача"), &money(r.change)));
    }
    out.extend(pair(width, t(lang, "Кассир", "Кассир"), &r.cashier.name));
    // the buyer's IIN/BIN when the buyer asked for it (on paper and in the
    // electronic receipt, which is these same lines).
    if let Some(iin) = r.buyer.iin_bin.as_deref().filter(|s| !s.trim().is_empty()) {
        out.extend(pair(
            width,
            t(lang, "Сатып алушы ЖСН/БСН", "ИИН/БИН покупателя"),
            iin,
        ));
    }
    out.push(Line::Rule);
    // (14): the fiscal sign, or the register's own in autonomous mode.
    if v.autonomous {
        out.push(Line::Bold(t(lang, "Автономды", "Автономный режим").into()));
        out.extend(pair(
            width,
            t(lang, "Дербес ФБ", "Автономный ФП"),
            v.fiscal_sign.as_deref().unwrap_or("—"),
        ));
        out.extend(
            wrap(
                t(
                    lang,
                    "Чекті кейінірек ОФД сайтынан тексеріңіз",
                    "Проверьте чек позже на сайте ОФД",
                ),
                width,
            )
            .into_iter()
            .map(Line::Text),
        );
    } else {
        out.extend(pair(
            width,
            t(lang, "Фискалдық белгі", "Фискальный признак"),
            v.fiscal_sign.as_deref().unwrap_or("—"),
        ));
    }
    // (12), (16): the operator and where to check the receipt.
    out.extend(pair(width, t(lang, "ОФД", "ОФД"), &s.ofd_name));
    out.extend(
        wrap(&s.receipt_check_url, width)
            .into_iter()
            .map(Line::Text),
    );
    if let Some(url) = &v.check_url {
        out.push(Line::Qr(url.clone()));
    }
    out
}

/// Plain text for an e-mail or a message: rules as dashes, centred lines padded, the
/// QR code as its link.
pub fn plain_text(lines: &[Line], width: usize) -> String {
    let mut out = String::new();
    for line in lines {
        match line {
            Line::Text(x) | Line::Bold(x) => out.push_str(x),
            Line::Centered(x) => {
                let pad = width.saturating_sub(x.chars().count()) / 2;
                out.push_str(&" ".repeat(pad));
                out.push_str(x);
            }
            Line::Qr(url) => out.push_str(url),
            Line::Rule => out.push_str(&"-".repeat(width)),
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::record::{BuyerPayload, LinePayload, PaymentPayload, UserRef};

    fn receipt(demo: bool) -> ReceiptPayload {
        ReceiptPayload {
            demo,
            doc_no: 7,
            shift_no: 1,
            operation: 2,
            cashier: UserRef {
                id: 2,
                name: "Айгүл".into(),
            },
            lines: vec![LinePayload {
                name: "Нан".into(),
                section: "1".into(),
                price: 25_000,
                quantity: 2_000,
                vat_rate: Some(16_000),
                gross: 50_000,
                discount: 0,
                markup: 0,
                amount: 50_000,
                vat: 6_897,
                parent_line: None,
                unit: None,
                ntin: Some("02000000012345".into()),
                barcode: None,
                marks: Vec::new(),
            }],
            subtotal: 50_000,
            discount: 0,
            markup: 0,
            total: 50_000,
            taxes: Vec::new(),
            payments: vec![PaymentPayload {
                kind: "cash".into(),
                amount: 50_000,
            }],
            taken: 50_000,
            change: 0,
            buyer: BuyerPayload::default(),
            parent: None,
        }
    }

    /// `r` laid out on the demo register, before any sign, as plain text.
    fn unsigned_text(r: &ReceiptPayload, lang: Lang, width: usize) -> String {
        let settings = crate::registration::demo_settings();
        let view = ReceiptView {
            settings: &settings,
            receipt: r,
            created_at: "02.03.2026 08:00:03".into(),
            fiscal_sign: None,
            autonomous: false,
            check_url: None,
            copy: false,
        };
        plain_text(&super::receipt(&view, lang, width), width)
    }

    fn lines(demo: bool, sign: Option<&str>, autonomous: bool) -> String {
        let settings = Settings {
            demo,
            ..crate::registration::demo_settings()
        };
        let r = receipt(demo);
        let view = ReceiptView {
            settings: &settings,
            receipt: &r,
            created_at: "02.03.2026 08:00:03".into(),
            fiscal_sign: sign.map(str::to_string),
            autonomous,
            check_url: None,
            copy: false,
        };
        plain_text(&super::receipt(&view, Lang::Kk, 48), 48)
    }

    #[test]
    fn r10_the_fiscal_mark_only_with_a_sign_and_never_on_a_demo() {
        assert!(!lines(false, None, false).contains("ФИСКАЛДЫҚ ЧЕК"));
        assert!(lines(false, Some("9001"), false).contains("ФИСКАЛДЫҚ ЧЕК"));
        assert!(lines(false, Some("68353206"), true).contains("ФИСКАЛДЫҚ ЧЕК"));
        let demo = lines(true, Some("9001"), false);
        assert!(!demo.contains("ФИСКАЛДЫҚ ЧЕК") && demo.contains("ДЕМО"));
    }

    #[test]
    fn r2_each_line_shows_its_unit_and_national_catalogue_code() {
        let text = lines(false, Some("9001"), false);
        // Written before units existed: the line reads as pieces (R-2 element 9).
        assert!(text.contains("  2 дана x 250.00"), "{text}");
        assert!(text.contains("ҰТК коды") && text.contains("02000000012345"));
        let mut r = receipt(false);
        r.lines[0].unit = Some("166".into());
        r.lines[0].quantity = 1_250;
        r.lines[0].ntin = None;
        let ru = unsigned_text(&r, Lang::Ru, 32);
        assert!(ru.contains("  1.25 кг x 250.00"), "{ru}");
        assert!(!ru.contains("Код НКТ"));
    }

    #[test]
    fn r102_marked_units_print_the_identification_part_of_their_codes() {
        let mut r = receipt(false);
        r.lines[0].marks = vec![
            "0104870024020058215Wb!aTxq,8WgE\u{1d}91EE06\u{1d}92YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY3".into(),
            "04870020020014Ab3!x9QMDEwMjAy".into(),
        ];
        for (lang, label, width) in [
            (Lang::Kk, "Таңбалау коды:", 48),
            (Lang::Ru, "Код маркировки:", 32),
        ] {
            let text = unsigned_text(&r, lang, width);
            assert!(text.contains(label), "{text}");
            assert!(text.contains("0104870024020058215Wb!aTxq,8WgE"), "{text}");
            assert!(text.contains("04870020020014Ab3!x9Q"), "{text}");
            // The crypto tail is for the operator, not for paper (reading A-25).
            assert!(
                !text.contains("YWJj") && !text.contains("MDEwMjAy"),
                "{text}"
            );
        }
    }

    #[test]
    fn r7_the_buyers_iin_prints_when_given_and_fits_58mm() {
        assert!(!lines(false, Some("9001"), false).contains("ЖСН/БСН"));
        let settings = crate::registration::demo_settings();
        let mut r = receipt(false);
        r.buyer.iin_bin = Some("870412300218".into());
        for (lang, label) in [
            (Lang::Kk, "Сатып алушы ЖСН/БСН"),
            (Lang::Ru, "ИИН/БИН покупателя"),
        ] {
            let view = ReceiptView {
                settings: &settings,
                receipt: &r,
                created_at: "02.03.2026 08:00:03".into(),
                fiscal_sign: Some("9001".into()),
                autonomous: false,
                check_url: None,
                copy: false,
            };
            let text = plain_text(&super::receipt(&view, lang, 32), 32);
            let line = text
                .lines()
                .find(|l| l.starts_with(label))
                .unwrap_or_else(|| panic!("no buyer line in {text}"));
            assert!(line.ends_with("870412300218"), "one line on 58 mm: {line}");
        }
    }

    #[test]
    fn r77_kazakh_labels_use_the_kazakh_letters() {
        let text = lines(false, Some("9001"), false);
        for label in ["БСН/ЖСН", "Уақыты", "ЖИЫНЫ", "Қолма-қол", "Фискалдық белгі"]
        {
            assert!(text.contains(label), "{label}");
        }
    }

    #[test]
    fn a_long_value_in_a_pair_wraps_instead_of_running_off_the_paper() {
        let lines = pair(32, "ОФД", "«Қазақтелеком» АҚ / АО «Казахтелеком»");
        let texts: Vec<String> = lines
            .iter()
            .map(|l| match l {
                Line::Text(t) => t.clone(),
                other => format!("{other:?}"),
            })
            .collect();
        assert!(texts.iter().all(|t| t.chars().count() <= 32), "{texts:?}");
        assert!(texts.concat().contains("«Казахтелеком»"), "{texts:?}");
    }

    #[test]
    fn russian_counts_of_receipts_take_the_right_form() {
        for (n, want) in [
            (1, "1 чек"),
            (2, "2 чека"),
            (4, "4 чека"),
            (5, "5 чеков"),
            (11, "11 чеков"),
            (12, "12 чеков"),
            (21, "21 чек"),
            (22, "22 чека"),
            (111, "111 чеков"),
        ] {
            assert_eq!(receipts_count(Lang::Ru, n), want);
        }
        assert_eq!(receipts_count(Lang::Kk, 5), "5 чек");
    }

    #[test]
    fn long_names_wrap_inside_the_width() {
        let w = wrap("Сүт өнімдері «Бородинский» өте ұзын атауы бар тауар", 20);
        assert!(
            w.len() > 1 && w.iter().all(|l| l.chars().count() <= 20),
            "{w:?}"
        );
    }
}
