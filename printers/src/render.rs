//! A receipt's lines (`sauda::receipt_layout`) as the bytes one printer profile needs:
//! text in the first confirmed code table of the profile that can show the line, the
//! line drawn as raster otherwise (so Kazakh letters and ₸ print on any printer,
//! R-75), the QR code natively or as raster, then feed and cut.

use sauda::receipt_layout::Line;

use crate::bitmap::{self, Align};
use crate::encoder::Encoder;
use crate::profile::Profile;

pub struct Options {
    /// Open the drawer after printing (cash payments).
    pub drawer: bool,
}

pub fn receipt(lines: &[Line], profile: &Profile, options: &Options) -> Vec<u8> {
    let mut e = Encoder::new();
    e.init();
    // `ESC @` resets the table, so the first text line always selects one.
    let mut table = None;
    for line in lines {
        match line {
            Line::Text(t) => text(&mut e, &mut table, profile, t, false, false),
            Line::Bold(t) => text(&mut e, &mut table, profile, t, true, false),
            Line::Centered(t) => text(&mut e, &mut table, profile, t, false, true),
            Line::Rule => {
                let rule = "-".repeat(profile.chars);
                text(&mut e, &mut table, profile, &rule, false, false)
            }
            Line::Qr(data) => qr(&mut e, profile, data),
        }
    }
    finish(&mut e, profile, options.drawer);
    e.into_bytes()
}

/// Feed and cut (or feed further to a tear bar), and the drawer pulse where the
/// printer has a drawer port.
fn finish(e: &mut Encoder, profile: &Profile, drawer: bool) {
    if profile.cutter {
        e.feed(3).cut();
    } else {
        e.feed(5);
    }
    if drawer && profile.drawer {
        e.drawer();
    }
}

fn text(
    e: &mut Encoder,
    table: &mut Option<u8>,
    profile: &Profile,
    t: &str,
    bold: bool,
    center: bool,
) {
    let encoded = profile
        .text
        .iter()
        .find_map(|tt| tt.page.encode(t).map(|bytes| (tt.table, bytes)));
    match encoded {
        Some((n, bytes)) => {
            if *table != Some(n) {
                e.code_table(n);
                *table = Some(n);
            }
            e.center(center)
                .bold(bold)
                .line(&bytes)
                .bold(false)
                .center(false);
        }
        None if profile.inline_glyphs && !profile.text.is_empty() => {
            let tt = profile.text[0];
            if *table != Some(tt.table) {
                e.code_table(tt.table);
                *table = Some(tt.table);
            }
            let cell = profile.width_dots / profile.chars.max(1);
            e.center(center).bold(bold);
            let mut run = Vec::new();
            for c in t.chars() {
                match tt.page.encode_char(c) {
                    Some(b) => run.push(b),
                    None => {
                        e.text(&run);
                        run.clear();
                        e.inline_image(&bitmap::glyph_columns(c, cell, bold));
                    }
                }
            }
            e.text(&run).newline().bold(false).center(false);
        }
        None => {
            let align = if center { Align::Center } else { Align::Left };
            let px = bitmap::px_for_columns(profile.width_dots, profile.chars);
            let line = bitmap::text_line(t, profile.width_dots, px, bold, align);
            // A centred line keeps its full width: not every printer centres images.
            e.raster(&if center { line } else { line.crop_right() });
        }
    }
}

fn qr(e: &mut Encoder, profile: &Profile, data: &str) {
    // devices.md §2.2: modules of 5–6 dots on 58 mm, 6–7 on 80 mm.
    let module = if profile.width_dots >= 576 { 6 } else { 5 };
    e.feed(1);
    if profile.native_qr {
        e.center(true)
            .qr_native(data.as_bytes(), module as u8)
            .center(false);
    } else if let Some(b) = bitmap::qr(data, module, profile.width_dots) {
        // Centred by its left margin; the blank right margin is not sent.
        e.raster(&b.crop_right());
    } else {
        // Too long for a QR code: the link is printed as text instead, never dropped.
        let px = bitmap::px_for_columns(profile.width_dots, profile.chars);
        e.raster(&bitmap::text_line(
            data,
            profile.width_dots,
            px,
            false,
            Align::Left,
        ));
    }
}
