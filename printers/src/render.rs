//! A receipt's lines (`sauda::receipt_layout`) as the bytes one printer profile needs:
//! text in KZ-1048 where the profile has a confirmed table and the line fits it, the
//! line drawn as raster otherwise (so Kazakh letters and ₸ print on any printer,
//! R-75), the QR code natively or as raster, then feed and cut.

use sauda::receipt_layout::Line;

use crate::bitmap::{self, Align};
use crate::codepage;
use crate::encoder::Encoder;
use crate::profile::Profile;

pub struct Options {
    /// Open the drawer after printing (cash payments).
    pub drawer: bool,
}

pub fn receipt(lines: &[Line], profile: &Profile, options: &Options) -> Vec<u8> {
    let mut e = Encoder::new();
    e.init();
    if profile.text_kz1048 {
        e.code_table(codepage::KZ1048_TABLE);
    }
    for line in lines {
        match line {
            Line::Text(t) => text(&mut e, profile, t, false, false),
            Line::Bold(t) => text(&mut e, profile, t, true, false),
            Line::Centered(t) => text(&mut e, profile, t, false, true),
            Line::Rule => text(&mut e, profile, &"-".repeat(profile.chars), false, false),
            Line::Qr(data) => qr(&mut e, profile, data),
        }
    }
    e.feed(3).cut();
    if options.drawer {
        e.drawer();
    }
    e.into_bytes()
}

fn text(e: &mut Encoder, profile: &Profile, t: &str, bold: bool, center: bool) {
    let encoded = profile.text_kz1048.then(|| codepage::encode(t)).flatten();
    match encoded {
        Some(bytes) => {
            e.center(center)
                .bold(bold)
                .line(&bytes)
                .bold(false)
                .center(false);
        }
        None => {
            let align = if center { Align::Center } else { Align::Left };
            let px = bitmap::px_for_columns(profile.width_dots, profile.chars);
            e.raster(&bitmap::text_line(t, profile.width_dots, px, bold, align));
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
        e.raster(&b);
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
