//! Human-readable output of the CLI: short bilingual (Kazakh / Russian) summaries of
//! receipts and reports. Machines use `--json` instead.

use sauda::commands::dto::{ReceiptOut, ReportOut};
use sauda::domain::Money;
use serde_json::Value;

pub fn tenge(tiyn: i64) -> String {
    format!("{} ₸", Money::from_tiyn(tiyn))
}

fn demo_mark(demo: bool) -> &'static str {
    if demo {
        "  [ДЕМО — фискалдық емес / ДЕМО — не фискальный]"
    } else {
        ""
    }
}

pub fn receipt(r: &ReceiptOut) {
    println!(
        "Чек / Чек № {} · ауысым / смена {:04} · {} · {}{}",
        r.number,
        r.shift,
        r.operation,
        r.created_at,
        demo_mark(r.demo)
    );
    for l in &r.lines {
        println!("  {} × {}  = {}", l.name, l.quantity, tenge(l.amount_tiyn));
    }
    println!(
        "  Барлығы / Итого {}   ҚҚС / НДС {}   Қайтарым / Сдача {}",
        tenge(r.total_tiyn),
        tenge(r.vat_tiyn),
        tenge(r.change_tiyn)
    );
    match (&r.fiscal_sign, r.autonomous) {
        (Some(sign), false) => println!("  Фискалдық белгі / Фискальный признак: {sign}"),
        (Some(sign), true) => println!(
            "  Автономды / Автономный режим · дербес фискалдық белгі / автономный фискальный признак: {sign}"
        ),
        (None, _) => println!("  Фискалдық белгі / Фискальный признак: — (no operator link)"),
    }
    if let Some(qr) = &r.qr {
        println!("  QR: {qr}");
    }
    for n in &r.notices {
        println!("  ! {}", n.message);
    }
}

pub fn link(s: &sauda::link::LinkStatus) {
    println!(
        "ОФД байланысы / Связь с ОФД: {} · протокол {} · арна / канал {} из {:?}",
        s.mode, s.protocol, s.channel, s.channels
    );
    if let Some(since) = &s.since {
        println!("  бастап / с {since}");
    }
    if let Some(reason) = &s.reason {
        println!("  {reason}");
    }
    println!(
        "  Кезекте / В очереди: {} құжат / документов{}",
        s.queued,
        s.oldest_queued
            .as_ref()
            .map(|t| format!(", ең ескісі / старейший {t}"))
            .unwrap_or_default()
    );
    if let (Some(at), Some(left)) = (&s.block_at, s.minutes_left) {
        println!(
            "  Бұғаттау / Блокировка {at} (қалды / осталось {} ч {} мин, R-61)",
            left / 60,
            left % 60
        );
    }
    if let Some(e) = &s.last_error {
        println!("  Соңғы қате / Последняя ошибка: {e}");
    }
    for m in &s.messages {
        println!("  ОФД: {m}");
    }
}

pub fn report(r: &ReportOut) {
    let title = match (&r.kind[..], &r.z_number) {
        ("Z", Some(n)) => format!("Z-есеп / Z-отчёт № {n}"),
        _ => "X-есеп / X-отчёт".to_string(),
    };
    println!("{title}{}", demo_mark(r.header.demo));
    println!(
        "  {} · БСН/БИН {} · РНМ {}",
        r.header.org_name, r.header.bin, r.header.rnm
    );
    println!(
        "  Ауысым / Смена {:04}, ашылды / открыта {}",
        r.report.shift_no,
        r.opened_at.as_deref().unwrap_or("—")
    );
    for t in &r.report.tickets {
        if t.count > 0 {
            println!(
                "  {:<12} чектер/чеков {:>5}  сомасы/сумма {}",
                sauda::journal::report::operation_name(t.operation),
                t.count,
                tenge(t.sum)
            );
        }
    }
    for p in &r.report.money_placements {
        if p.count > 0 {
            println!("  {:<12} {:>5}  {}", p.direction, p.count, tenge(p.sum));
        }
    }
    for tax in &r.report.taxes {
        let vat: i64 = tax.operations.iter().map(|o| o.vat).sum();
        println!(
            "  ҚҚС / НДС {} %: {}",
            sauda::domain::VatRate::from_thousandths_percent(tax.rate).percent_text(),
            tenge(vat)
        );
    }
    println!(
        "  Кассадағы қолма-қол / Наличные в кассе: {}",
        tenge(r.report.cash_sum)
    );
    println!("  Түсім / Выручка: {}", tenge(r.report.revenue));
    if let Some(total) = &r.total_checksum {
        println!(
            "  Бақылау сомасы / Контрольная сумма: смена {} · итог {}",
            short(r.shift_checksum.as_deref()),
            short(Some(total))
        );
    }
}

fn short(hex: Option<&str>) -> String {
    hex.map(|h| h.chars().take(16).collect())
        .unwrap_or_default()
}

pub fn json(value: &Value) {
    println!(
        "{}",
        serde_json::to_string(value).unwrap_or_else(|_| "{}".into())
    );
}
