//! The test page a service engineer prints when setting a printer up: the width
//! ruler (are there as many characters a line as the profile says?), every Kazakh
//! letter, ₸ and № (do they print as letters, not "?", in this profile's mode?), the
//! Russian alphabet, bold and centred text, and a QR code a phone should read. A profile's
//! text tables and `inline_glyphs` are meant to be set only after this page looked right.
//!
//! Pure: lines only; printing them is the caller's.

use sauda::receipt_layout::Line;

use crate::Profile;

pub fn lines(profile: &Profile, target: &str, printed_at: &str) -> Vec<Line> {
    let ruler: String = (1..=profile.chars)
        .map(|i| char::from(b'0' + (i % 10) as u8))
        .collect();
    let mode = if profile.text.is_empty() {
        "raster".to_string()
    } else {
        let tables: Vec<String> = profile
            .text
            .iter()
            .map(|t| format!("{:?} = ESC t {}", t.page, t.table))
            .collect();
        format!(
            "{}{}",
            tables.join(", "),
            if profile.inline_glyphs {
                " + ESC *"
            } else {
                ""
            }
        )
    };
    vec![
        Line::Centered("СЫНАҚ БЕТІ / ТЕСТОВАЯ СТРАНИЦА".into()),
        Line::Text(format!("Sauda {}", env!("CARGO_PKG_VERSION"))),
        Line::Text(format!("profile: {}", profile.name)),
        Line::Text(format!("printer: {target}")),
        Line::Text(format!("text: {mode}")),
        Line::Text(printed_at.into()),
        Line::Rule,
        Line::Text(ruler),
        Line::Text("ӘәҒғҚқҢңӨөҰұҮүҺһІі ₸ №".into()),
        Line::Text("Қазақстан Республикасы, Өскемен".into()),
        Line::Text("АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ".into()),
        Line::Text("абвгдеёжзийклмнопрстуфхцчшщъыьэюя".into()),
        Line::Text("0123456789 ABCXYZ abcxyz .,:;-+*/=%()".into()),
        Line::Bold("ЖИЫНЫ / ИТОГО          1 234.56".into()),
        Line::Centered("ортада / по центру".into()),
        Line::Rule,
        Line::Qr(format!("SAUDA TEST {}", profile.name)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{self, Options};
    use crate::virtual_printer::{self, Event};

    #[test]
    fn the_test_page_prints_on_every_built_in_profile_with_its_ruler_and_qr() {
        for profile in Profile::built_in() {
            let lines = lines(&profile, "png:test", "23.11.2026 10:00:00");
            let bytes = render::receipt(&lines, &profile, &Options { drawer: false });
            let out = virtual_printer::print(&bytes, &profile)
                .unwrap_or_else(|e| panic!("{}: {e}", profile.name));
            assert!(
                out.events
                    .contains(&Event::Qr(format!("SAUDA TEST {}", profile.name)))
                    || !profile.native_qr,
                "{}",
                profile.name
            );
            match &lines[7] {
                Line::Text(r) => assert_eq!(r.chars().count(), profile.chars),
                other => panic!("{other:?}"),
            }
        }
    }
}
