//! A receipt through the encoder and back through the virtual printer: the text that
//! comes out is the text that went in (KZ-1048 text mode and raster mode), the QR code
//! carries the check URL, the paper is as wide as the profile, and the cut comes last.

use sauda::receipt_layout::Line;
use sauda_printers::Profile;
use sauda_printers::render::{self, Options};
use sauda_printers::virtual_printer::{self, Event};

fn lines() -> Vec<Line> {
    vec![
        Line::Centered("ДЕМО ДҮКЕН".into()),
        Line::Text("Қант 1 дана x 1000.00       1000.00".into()),
        Line::Bold("ЖИЫНЫ                     1000.00".into()),
        Line::Rule,
        Line::Text("Барлығы 1000 ₸".into()),
        Line::Qr(
            "http://127.0.0.1:7778/check?i=9001&f=DEMO00000001&s=1000.00&t=20260302T080003".into(),
        ),
    ]
}

#[test]
fn r75_kz1048_text_mode_prints_kazakh_letters_and_falls_back_to_raster_for_the_tenge_sign() {
    let bytes = render::receipt(&lines(), &Profile::epson_80(), &Options { drawer: true });
    let out = virtual_printer::print(&bytes, &Profile::epson_80()).expect("valid ESC/POS");
    let texts: Vec<&str> = out
        .events
        .iter()
        .filter_map(|e| match e {
            Event::Text(t) => Some(t.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(texts[0], "ДЕМО ДҮКЕН");
    assert!(texts[1].starts_with("Қант"));
    assert!(
        !texts.iter().any(|t| t.contains('₸')),
        "₸ is not in KZ-1048: that line goes as raster"
    );
    assert!(out.events.contains(&Event::Qr(
        "http://127.0.0.1:7778/check?i=9001&f=DEMO00000001&s=1000.00&t=20260302T080003".into()
    )));
    let tail: Vec<&Event> = out.events.iter().rev().take(2).collect();
    assert_eq!(tail, [&Event::Drawer, &Event::Cut]);
}

#[test]
fn r75_raster_mode_prints_every_line_as_a_picture_on_58_mm() {
    let bytes = render::receipt(&lines(), &Profile::generic_58(), &Options { drawer: false });
    assert!(
        !bytes.contains(&0x8D) || bytes.windows(3).any(|w| w == [0x1D, 0x76, 0x30]),
        "no code-page text on a generic printer"
    );
    let out = virtual_printer::print(&bytes, &Profile::generic_58()).expect("valid ESC/POS");
    assert!(out.events.iter().all(|e| !matches!(e, Event::Text(_))));
    assert!(out.events.iter().all(|e| match e {
        Event::Raster { width, .. } => *width <= 384,
        _ => true,
    }));
    assert_eq!(out.paper.width, 384);
    assert!(out.paper.height > 6 * 24);
}

#[test]
fn unknown_commands_are_reported_with_their_offset() {
    let err =
        virtual_printer::print(&[0x41, 0x1B, 0x99], &Profile::generic_80()).expect_err("unknown");
    assert_eq!(
        err,
        virtual_printer::VirtualError::Unknown {
            offset: 1,
            bytes: vec![0x1B, 0x99]
        }
    );
    assert!(
        virtual_printer::print(&[0x1D, 0x76, 0x30, 0x00, 0x48], &Profile::generic_80()).is_err()
    );
    // A QR command whose body is too short for its function is refused, not indexed.
    let short = [0x1D, 0x28, 0x6B, 0x02, 0x00, 0x31, 0x43];
    assert!(virtual_printer::print(&short, &Profile::generic_80()).is_err());
    let module_zero = [0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43, 0x00];
    assert!(
        virtual_printer::print(&module_zero, &Profile::generic_80()).is_ok(),
        "module 0 is read as 1"
    );
}

/// a phone can read the printed QR code, and it says exactly the check URL.
fn decoded_qr(paper: &sauda_printers::bitmap::Bitmap) -> Vec<String> {
    let margin = 8;
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(
        paper.width + 2 * margin,
        paper.height + 2 * margin,
        |x, y| {
            let inside = x >= margin && y >= margin;
            if inside && paper.get(x - margin, y - margin) {
                0
            } else {
                255
            }
        },
    );
    img.detect_grids()
        .into_iter()
        .filter_map(|g| g.decode().ok().map(|(_, text)| text))
        .collect()
}

#[test]
fn r72_r74_the_printed_qr_code_reads_back_as_the_check_url_raster_and_native() {
    let url = "http://127.0.0.1:7778/check?i=9001&f=DEMO00000001&s=1000.00&t=20260302T080003";
    for profile in Profile::built_in() {
        let bytes = render::receipt(&lines(), &profile, &Options { drawer: false });
        let out = virtual_printer::print(&bytes, &profile).expect("valid ESC/POS");
        assert_eq!(
            decoded_qr(&out.paper),
            vec![url.to_string()],
            "{}",
            profile.name
        );
    }
}

#[test]
fn hybrid_mode_sends_russian_lines_as_cp866_text_and_kazakh_lines_as_raster() {
    let lines = vec![
        Line::Text("Итого                    1000.00".into()),
        Line::Text("Қолма-қол                1000.00".into()),
    ];
    let bytes = render::receipt(&lines, &Profile::xprinter_80(), &Options { drawer: false });
    let out = virtual_printer::print(&bytes, &Profile::xprinter_80()).expect("valid ESC/POS");
    assert_eq!(
        out.events[0],
        Event::Text("Итого                    1000.00".into()),
        "CP866 text, decoded back"
    );
    assert!(
        matches!(out.events[1], Event::Raster { .. }),
        "{:?}",
        out.events
    );
    // A table the profile does not have is an error, not a guess.
    assert!(virtual_printer::print(&[0x1B, 0x74, 53], &Profile::xprinter_80()).is_err());
}

/// Issue 5: Kazakh on a serial printer without a Kazakh table. The letters CP866 lacks
/// go as `ESC *` images inside the text line; every one of the 18 letters and ₸ comes
/// out as its own drawn glyph (not a replacement box, not its Russian base letter).
#[test]
fn r75_inline_glyph_mode_keeps_the_line_as_text_and_draws_every_kazakh_letter() {
    let profile = Profile::xprinter_80_serial();
    let letters = "ӘәҒғҚқҢңӨөҰұҮүҺһІі₸";
    let line = format!("Сүт {letters} 1000.00");
    let bytes = render::receipt(
        &[Line::Text(line.clone())],
        &profile,
        &Options { drawer: false },
    );
    assert!(
        !bytes.windows(3).any(|w| w == [0x1D, 0x76, 0x30]),
        "no raster line"
    );
    let images = bytes.windows(3).filter(|w| *w == [0x1B, 0x2A, 33]).count();
    assert_eq!(
        images,
        1 + letters.chars().count(),
        "ү of Сүт and each letter"
    );
    let out = virtual_printer::print(&bytes, &profile).expect("valid ESC/POS");
    let expected: String = line
        .chars()
        .map(|c| {
            if sauda_printers::codepage::CodePage::Pc866
                .encode_char(c)
                .is_some()
            {
                c
            } else {
                '\u{FFFC}'
            }
        })
        .collect();
    assert_eq!(out.events[0], Event::Text(expected));
    // Each image is the letter's own glyph: none blank, none equal to another letter's.
    let glyphs: Vec<Vec<u8>> = letters
        .chars()
        .map(|c| sauda_printers::bitmap::glyph_columns(c, 12, false))
        .collect();
    for (i, g) in glyphs.iter().enumerate() {
        assert!(g.iter().any(|&b| b != 0), "letter {i} leaves ink");
        assert_eq!(
            glyphs.iter().filter(|h| *h == g).count(),
            1,
            "letter {i} is not drawn like another"
        );
        // І і are drawn like Latin I i in every font; the others have a Russian base.
        let base = "АаГгКкНнОоУуУуХх??$".chars().nth(i).unwrap_or('?');
        assert_ne!(
            g,
            &sauda_printers::bitmap::glyph_columns(base, 12, false),
            "letter {i} differs from {base}"
        );
    }
    // The paper shows ink where the letters are: the line is not blank after the text.
    let ink_right_of_text = (4 * 12..(4 + 19) * 12).any(|x| (0..24).any(|y| out.paper.get(x, y)));
    assert!(ink_right_of_text);
}

#[test]
fn a_printer_without_cutter_or_drawer_gets_neither_command() {
    let profile = Profile::by_name("generic-58mm-nocut").expect("built-in profile");
    let bytes = render::receipt(&lines(), &profile, &Options { drawer: true });
    let out = virtual_printer::print(&bytes, &profile).expect("valid ESC/POS");
    assert!(
        !out.events
            .iter()
            .any(|e| matches!(e, Event::Cut | Event::Drawer))
    );
}
