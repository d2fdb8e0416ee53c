//! `sauda bench --print`: how long laying out and encoding a long receipt takes, and how
//! many bytes a typical raster receipt sends (issue 5 benchmarks), each figure next to
//! a baseline from the same run: the same receipt in KZ-1048 text mode.

use std::time::Instant;

use sauda::journal::record::{
    BuyerPayload, LinePayload, PaymentPayload, ReceiptPayload, TaxPayload, UserRef,
};
use sauda::receipt_layout::{self, Lang, ReceiptView};
use serde::Serialize;

use crate::Profile;
use crate::render::{self, Options};

#[derive(Clone, Debug, Serialize)]
pub struct PrintFigures {
    pub items: usize,
    pub raster_ms: f64,
    pub text_ms: f64,
    pub raster_to_text: f64,
    pub ten_item_raster_bytes: usize,
    pub ten_item_text_bytes: usize,
    pub ten_item_hybrid_bytes: usize,
    pub ten_item_inline_bytes: usize,
    /// The raster receipt on a serial line.
    pub seconds_at_115200: f64,
    pub seconds_at_9600: f64,
    /// The inline-glyph receipt (CP866 text, Kazakh letters as `ESC *` images) on a
    /// serial line: the mode for serial printers without a Kazakh table.
    pub inline_seconds_at_115200: f64,
    pub inline_seconds_at_9600: f64,
}

fn receipt(items: usize) -> ReceiptPayload {
    let lines: Vec<LinePayload> = (0..items)
        .map(|i| LinePayload {
            name: format!("Сүт өнімі «Құлагер» № {i}"),
            section: "1".into(),
            price: 61_050,
            quantity: 1_000,
            vat_rate: Some(16_000),
            gross: 61_050,
            discount: 0,
            markup: 0,
            amount: 61_050,
            vat: 8_421,
            parent_line: None,
            unit: Some("796".into()),
            // Since 2026 every good has its National Catalogue code (R-2 element 8).
            ntin: Some(format!("0200000{:07}", 1_000 + i)),
            barcode: None,
            marks: Vec::new(),
        })
        .collect();
    let total = 61_050 * items as i64;
    ReceiptPayload {
        demo: false,
        doc_no: 1,
        shift_no: 1,
        operation: 2,
        cashier: UserRef {
            id: 2,
            name: "Айгүл".into(),
        },
        lines,
        subtotal: total,
        discount: 0,
        markup: 0,
        total,
        taxes: vec![TaxPayload {
            rate: 16_000,
            turnover: total,
            vat: 8_421 * items as i64,
        }],
        payments: vec![PaymentPayload {
            kind: "cash".into(),
            amount: total,
        }],
        taken: total,
        change: 0,
        buyer: BuyerPayload::default(),
        parent: None,
    }
}

fn encode(r: &ReceiptPayload, profile: &Profile) -> Vec<u8> {
    let settings = sauda::registration::demo_settings();
    let view = ReceiptView {
        settings: &settings,
        receipt: r,
        created_at: "02.03.2026 08:00:03".into(),
        fiscal_sign: Some("9001".into()),
        autonomous: false,
        copy: false,
        check_url: Some(
            "https://consumer.oofd.kz?i=9001&f=600400300200&s=48840.00&t=20260302T080003".into(),
        ),
    };
    let lines = receipt_layout::receipt(&view, Lang::Kk, profile.chars);
    render::receipt(&lines, profile, &Options { drawer: true })
}

fn median_ms(rounds: usize, mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..rounds)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(|a, b| a.total_cmp(b));
    times[times.len() / 2]
}

pub fn run(quick: bool) -> PrintFigures {
    let rounds = if quick { 3 } else { 15 };
    let long = receipt(80);
    let raster_ms = median_ms(rounds, || {
        encode(&long, &Profile::generic_80());
    });
    let text_ms = median_ms(rounds, || {
        encode(&long, &Profile::epson_80());
    });
    let ten = receipt(10);
    let raster = encode(&ten, &Profile::generic_80()).len();
    let text = encode(&ten, &Profile::epson_80()).len();
    let hybrid = encode(&ten, &Profile::xprinter_80()).len();
    let inline = encode(&ten, &Profile::xprinter_80_serial()).len();
    // 8N1: ten bits on the wire per byte.
    let at = |bytes: usize, baud: f64| bytes as f64 * 10.0 / baud;
    PrintFigures {
        items: 80,
        raster_ms,
        text_ms,
        raster_to_text: raster_ms / text_ms.max(1e-9),
        ten_item_raster_bytes: raster,
        ten_item_text_bytes: text,
        ten_item_hybrid_bytes: hybrid,
        ten_item_inline_bytes: inline,
        seconds_at_115200: at(raster, 115_200.0),
        seconds_at_9600: at(raster, 9_600.0),
        inline_seconds_at_115200: at(inline, 115_200.0),
        inline_seconds_at_9600: at(inline, 9_600.0),
    }
}

pub fn print(f: &PrintFigures) {
    println!(
        "layout + encode of an {}-item receipt, Kazakh as raster with QR: {:.1} ms (goal < 20 ms); KZ-1048 text mode: {:.1} ms → ratio {:.1}",
        f.items, f.raster_ms, f.text_ms, f.raster_to_text
    );
    println!(
        "10-item Kazakh receipt: {} bytes as raster, {} hybrid (CP866 text + raster Kazakh lines), {} inline glyphs (CP866 text + ESC * letters), {} in KZ-1048 text; raster at 115200 baud {:.1} s, at 9600 baud {:.1} s; hybrid at 115200 baud {:.1} s",
        f.ten_item_raster_bytes,
        f.ten_item_hybrid_bytes,
        f.ten_item_inline_bytes,
        f.ten_item_text_bytes,
        f.seconds_at_115200,
        f.seconds_at_9600,
        f.ten_item_hybrid_bytes as f64 * 10.0 / 115_200.0
    );
    println!(
        "serial printer without a Kazakh table (inline glyphs, raster QR): {:.2} s at 115200 baud (goal < 3 s), {:.1} s at 9600 baud; ratio to KZ-1048 text {:.1}",
        f.inline_seconds_at_115200,
        f.inline_seconds_at_9600,
        f.ten_item_inline_bytes as f64 / f.ten_item_text_bytes.max(1) as f64
    );
}
