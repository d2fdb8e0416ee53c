//! The receipt-check web page a buyer reaches through the receipt's QR code:
//! `GET /?i=<fiscal sign>&f=<rnm>&s=<sum>&t=<time>` (any path) shows the receipt the
//! simulator counted under that sign, in Kazakh and Russian, or 404.
//!
//! Plain HTTP/1.1 written by hand over std's TCP, one request per connection, so no
//! web framework is needed. It only reads the ledger: the receipt is rendered from the
//! exact request bytes the operator counted. It must not be mistaken for the real
//! consumer site; it checks nothing beyond "was this sign issued here".

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use super::wire::{self, Body, Ticket};
use super::{DeviceRegistration, Shared};

const MAX_HEAD: usize = 8 * 1024;

pub(crate) fn connection(shared: &Shared, mut stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
    let Some(head) = read_head(&mut stream) else {
        return;
    };
    let (status, body) = respond(shared, &head);
    let is_head = head.starts_with("HEAD ");
    let mut out = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    if !is_head {
        out.extend_from_slice(body.as_bytes());
    }
    if let Err(e) = stream.write_all(&out).and_then(|()| stream.flush()) {
        tracing::debug!("check page: answer not delivered: {e}");
    }
}

/// The request line and headers, up to the blank line.
fn read_head(stream: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") && !buf.windows(2).any(|w| w == b"\n\n") {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 || buf.len() + n > MAX_HEAD {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    String::from_utf8(buf).ok()
}

fn respond(shared: &Shared, head: &str) -> (&'static str, String) {
    let mut parts = head.lines().next().unwrap_or("").split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    if method != "GET" && method != "HEAD" {
        return ("405 Method Not Allowed", page("405", "<p>GET only.</p>"));
    }
    let query = target.split_once('?').map_or("", |(_, q)| q);
    let param = |name: &str| {
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| percent_decode(v))
    };
    let (sign, rnm) = (param("i"), param("f"));
    match sign
        .as_deref()
        .and_then(|s| find(shared, s, rnm.as_deref()))
    {
        Some((reg, sign, ticket)) => ("200 OK", page(&sign, &receipt(&reg, &sign, &ticket))),
        None => {
            let asked = escape(sign.as_deref().unwrap_or(""));
            let body = format!(
                "<h1>Чек / Чек</h1><p class=\"missing\">Чек табылмады / Чек не найден: {asked}</p>"
            );
            ("404 Not Found", page("404", &body))
        }
    }
}

/// The device and receipt counted under `sign` (on the register `rnm`, if given).
fn find(
    shared: &Shared,
    sign: &str,
    rnm: Option<&str>,
) -> Option<(DeviceRegistration, String, Ticket)> {
    let state = shared.lock();
    let mut devices: Vec<_> = state.devices.values().collect();
    devices.sort_by_key(|d| d.reg.id);
    devices
        .into_iter()
        .filter(|d| rnm.is_none_or(|r| r == d.reg.rnm))
        .find_map(|d| {
            // A receipt printed in autonomous mode carries the register's own sign in
            // its QR code: find it by that too, once it has arrived.
            let doc = d.documents.iter().find(|doc| {
                doc.ticket_number.as_deref() == Some(sign)
                    || doc
                        .offline_ticket_number
                        .is_some_and(|n| n.to_string() == sign)
            })?;
            let fiscal_sign = doc
                .ticket_number
                .clone()
                .unwrap_or_else(|| sign.to_string());
            match wire::decode_request(doc.version, &doc.request).ok()?.body {
                Body::Ticket(t) => Some((d.reg.clone(), fiscal_sign, t)),
                _ => None,
            }
        })
}

fn receipt(reg: &DeviceRegistration, sign: &str, t: &Ticket) -> String {
    let mut rows = String::new();
    for item in &t.items {
        let (qty, price) = if item.quantity > 0 {
            (quantity(item.quantity), money(item.price))
        } else {
            (String::new(), String::new())
        };
        // Discounts and stornos lower the total: show them with a minus.
        let minus = if [2, 4, 5].contains(&item.kind) {
            "−"
        } else {
            ""
        };
        rows.push_str(&format!(
            "<tr><td>{}</td><td class=\"n\">{qty}</td><td class=\"n\">{price}</td><td class=\"n\">{minus}{}</td></tr>\n",
            escape(&item.name),
            money(item.sum)
        ));
    }
    let mut payments = String::new();
    let cash_lines = [
        ("Алынды / Получено", t.taken),
        ("Қайтарым / Сдача", t.change),
    ];
    let lines = t
        .payments
        .iter()
        .map(|p| (payment_label(p.kind), Some(p.sum)));
    for (label, sum) in lines.chain(cash_lines) {
        if let Some(sum) = sum {
            payments.push_str(&format!(
                "<tr><td>{label}</td><td class=\"n\">{}</td></tr>\n",
                money(sum)
            ));
        }
    }
    let mut facts = vec![
        ("Күні мен уақыты / Дата и время", t.date_time.printed()),
        ("Фискалдық белгі / Фискальный признак", escape(sign)),
        ("ККМ тіркеу нөмірі / РНМ", escape(&reg.rnm)),
        ("ККМ сериялық нөмірі / ЗНМ", escape(&reg.serial_number)),
    ];
    if let Some(n) = t.offline_ticket_number {
        facts.push(("Офлайн нөмірі / Офлайн номер", n.to_string()));
    }
    let facts: String = facts
        .into_iter()
        .map(|(k, v)| format!("<tr><th>{k}</th><td>{v}</td></tr>\n"))
        .collect();
    format!(
        "<h1>Чек / Чек</h1>\n<p class=\"org\"><b>{}</b><br>БСН/ЖСН / БИН/ИИН: {}<br>{}</p>\n\
         <p class=\"op\">{}</p>\n\
         <table class=\"items\"><tr><th>Атауы / Наименование</th><th>Саны / Кол-во</th>\
         <th>Бағасы / Цена</th><th>Сомасы / Сумма</th></tr>\n{rows}</table>\n\
         <p class=\"total\">Барлығы / Итого: <b>{}</b></p>\n\
         <table class=\"payments\"><tr><th>Төлем / Оплата</th><th></th></tr>\n{payments}</table>\n\
         <table class=\"facts\">\n{facts}</table>",
        escape(&reg.org_title),
        escape(&reg.org_iin),
        escape(&reg.org_address),
        operation_label(t.operation),
        money(t.total),
    )
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"kk\"><head><meta charset=\"utf-8\">\
         <title>Чек / Чек {}</title><style>body{{font-family:sans-serif;max-width:40em;margin:2em auto}}\
         td.n{{text-align:right}}table{{border-collapse:collapse;width:100%}}\
         td,th{{padding:.2em .4em;text-align:left}}</style></head>\n<body>\n{body}\n</body></html>\n",
        escape(title)
    )
}

fn operation_label(op: i32) -> &'static str {
    match op {
        0 => "Сатып алу / Покупка",
        1 => "Сатып алуды қайтару / Возврат покупки",
        2 => "Сату / Продажа",
        3 => "Сатуды қайтару / Возврат продажи",
        _ => "—",
    }
}

fn payment_label(kind: i32) -> &'static str {
    match kind {
        0 => "Қолма-қол / Наличные",
        1 => "Банк картасы / Банковская карта",
        4 => "Мобильді төлем / Мобильный платёж",
        _ => "Басқа / Прочее",
    }
}

/// Tiyn as tenge with two decimals.
fn money(tiyn: i64) -> String {
    format!("{}.{:02}", tiyn / 100, (tiyn % 100).abs())
}

/// Thousandths of a unit, without trailing zeros: 2500 → "2.5".
fn quantity(q: u64) -> String {
    let (whole, frac) = (q / 1000, q % 1000);
    if frac == 0 {
        return whole.to_string();
    }
    let frac = format!("{frac:03}");
    format!("{whole}.{}", frac.trim_end_matches('0'))
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `%XX` escapes and `+` as space; a malformed escape is kept as written.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_and_quantities_read_as_printed() {
        assert_eq!(money(123_456), "1234.56");
        assert_eq!(money(5), "0.05");
        assert_eq!(quantity(1000), "1");
        assert_eq!(quantity(2500), "2.5");
        assert_eq!(quantity(1), "0.001");
    }

    #[test]
    fn text_is_escaped_and_queries_decoded() {
        assert_eq!(
            escape("<a href=\"x\">&"),
            "&lt;a href=&quot;x&quot;&gt;&amp;"
        );
        assert_eq!(percent_decode("9001"), "9001");
        assert_eq!(percent_decode("a%20b+c"), "a b c");
        assert_eq!(percent_decode("%D0%A7"), "Ч");
        assert_eq!(percent_decode("50%"), "50%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }
}
