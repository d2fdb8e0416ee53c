//! The electronic receipt and sending it again (R-9, item 84): any stored
//! receipt, laid out from the journal in Kazakh or Russian with the sign it got (the
//! operator's, or the autonomous one with "Автономды", R-60) and its check URL. The
//! shells deliver it (the buyer's e-mail or phone, a QR on the customer display); the
//! operator also delivers it when the buyer's contacts travel with the receipt.
//!
//! Reads only: a receipt sent again is the same receipt, nothing is journaled.

use serde::{Deserialize, Serialize};

use super::dto::BuyerIn;
use crate::core::Core;
use crate::error::ApiError;
use crate::journal::record::ReceiptPayload;
use crate::receipt_layout::{self, Lang, Line, ReceiptView};
use crate::users::Caller;

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct ElectronicIn {
    pub number: i64,
    /// kk (default) or ru.
    pub lang: Option<String>,
    /// Where to send it; the contacts given at the sale when absent.
    pub to: Option<BuyerIn>,
    /// Characters per line: 48 (80 mm paper, e-mail) or 32 (58 mm paper).
    pub columns: Option<usize>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct ElectronicOut {
    pub number: i64,
    pub lang: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub subject: String,
    /// The receipt as plain text.
    pub text: String,
    /// The receipt-check URL its QR code carries.
    pub check_url: Option<String>,
    /// That URL as a QR code (SVG), for the buyer to scan from the screen with a phone:
    /// an electronic receipt handed over without an e-mail or a phone number.
    pub qr_svg: Option<String>,
    pub autonomous: bool,
    /// The same receipt as lines for a printer (`sauda-printers` renders them).
    pub lines: Vec<Line>,
}

pub fn electronic(
    core: &Core,
    _caller: &Caller,
    input: ElectronicIn,
) -> Result<ElectronicOut, ApiError> {
    let lang = match input.lang.as_deref() {
        None => Lang::Kk,
        Some(text) => Lang::parse(text)
            .ok_or_else(|| ApiError::validation(format!("language '{text}' is not kk or ru")))?,
    };
    let width = match input.columns {
        None => 48,
        Some(c @ (32 | 42 | 48)) => c,
        Some(other) => {
            return Err(ApiError::validation(format!(
                "{other} characters per line: use 32 (58 mm) or 48 (80 mm)"
            )));
        }
    };
    let st = core.lock();
    let (receipt, lines, check_url, autonomous) = laid_out(&st, input.number, lang, width, false)?;
    let to = input.to.unwrap_or_default();
    let email = to
        .email
        .or_else(|| receipt.buyer.email.clone())
        .filter(|e| !e.trim().is_empty());
    let phone = to
        .phone
        .or_else(|| receipt.buyer.phone.clone())
        .filter(|p| !p.trim().is_empty());
    if let Some(e) = &email
        && !e.contains('@')
    {
        return Err(ApiError::validation(format!(
            "'{e}' is not an e-mail address"
        )));
    }
    let subject = format!("Чек № {} — {}", receipt.doc_no, st.settings.org_name);
    Ok(ElectronicOut {
        number: receipt.doc_no,
        lang: match lang {
            Lang::Kk => "kk".into(),
            Lang::Ru => "ru".into(),
        },
        email,
        phone,
        subject,
        text: receipt_layout::plain_text(&lines, width),
        qr_svg: check_url.as_deref().and_then(qr_svg),
        check_url,
        autonomous,
        lines,
    })
}

/// `text` as a QR code in SVG: one square per dark module, a 4-module quiet zone, no
/// scripts or links, so the page can show it as it is. `None` if it does not fit a QR.
pub(crate) fn qr_svg(text: &str) -> Option<String> {
    use std::fmt::Write;
    let code =
        qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M).ok()?;
    let n = code.width();
    let colors = code.to_colors();
    let size = n + 8;
    let mut path = String::with_capacity(colors.len() * 6);
    for (i, color) in colors.iter().enumerate() {
        if *color == qrcode::Color::Dark {
            let _ = write!(path, "M{} {}h1v1h-1z", i % n + 4, i / n + 4);
        }
    }
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>"
    ))
}

/// Receipt `number` laid out from the journal with the sign it got: the receipt, its
/// lines, its check URL and whether it was autonomous.
pub(crate) fn laid_out(
    st: &crate::core::State,
    number: i64,
    lang: Lang,
    width: usize,
    copy: bool,
) -> Result<(ReceiptPayload, Vec<Line>, Option<String>, bool), ApiError> {
    let (seq, created_at, receipt) = super::receipts::find(st, number)?;
    let signs = crate::link::signs_of(st.store.conn(), seq)?;
    let fiscal_sign = signs.printed_sign();
    let check_url = signs.qr.clone().or_else(|| {
        fiscal_sign
            .as_ref()
            .map(|s| crate::link::check_url(&st.settings, s, receipt.total, created_at))
    });
    let view = ReceiptView {
        settings: &st.settings,
        receipt: &receipt,
        created_at: receipt_layout::printed_time(created_at, &st.settings),
        fiscal_sign,
        autonomous: signs.autonomous.is_some(),
        check_url: check_url.clone(),
        copy,
    };
    let lines = receipt_layout::receipt(&view, lang, width);
    Ok((
        receipt.clone(),
        lines,
        check_url,
        signs.autonomous.is_some(),
    ))
}

#[cfg(test)]
mod tests {
    use super::qr_svg;

    /// The squares of the SVG, drawn back into a picture, read as the URL (rqrr).
    #[test]
    fn the_qr_svg_reads_back_as_the_check_url() {
        let url = "https://consumer.oofd.kz?i=4001&f=010101012345&s=1450.00&t=20261123T185900";
        let svg = qr_svg(url).expect("fits");
        assert!(svg.starts_with("<svg ") && !svg.contains("<script"));
        let size: usize = svg
            .split("viewBox=\"0 0 ")
            .nth(1)
            .and_then(|r| r.split(' ').next())
            .and_then(|n| n.parse().ok())
            .expect("size");
        let path = svg.split(" d=\"").nth(1).expect("path");
        let path = path.split('"').next().expect("path");
        let scale = 4;
        let mut dark = vec![false; size * size];
        for square in path.split('M').filter(|s| !s.is_empty()) {
            let xy: Vec<usize> = square
                .trim_end_matches("h1v1h-1z")
                .split(' ')
                .map(|v| v.parse().expect("number"))
                .collect();
            dark[xy[1] * size + xy[0]] = true;
        }
        let side = size * scale;
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| {
            if dark[(y / scale) * size + x / scale] {
                0
            } else {
                255
            }
        });
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1);
        let (_, content) = grids[0].decode().expect("decodes");
        assert_eq!(content, url);
    }
}
