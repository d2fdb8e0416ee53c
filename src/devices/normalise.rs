//! Turns what a scanner sent into clean text and the symbology it reported
//! (devices.md §6.3 steps 1–2).
//!
//! The order matters: terminators and the configured prefix and suffix go first, then the
//! keyboard layout is repaired, and only then is the AIM identifier looked for, because a
//! `]` typed under the Russian layout arrives as `ъ` (§5.2). Separator spellings become
//! the GS byte last, so that a substitute typed through a layout is recognised too. This
//! module must not judge the content (that is `scan`'s job) and must not drop anything
//! but the framing: marking codes are kept byte for byte (devices.md §0 item 6).

use super::barcode::Symbology;
use super::layout::{KeyboardLayout, to_us};

pub const GS: char = '\u{1d}';

/// How the shop set up its scanner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScannerSetup {
    /// Characters the scanner is programmed to send before each code (besides AIM).
    pub prefix: String,
    /// Characters sent after each code, before the CR/LF/Tab terminator.
    pub suffix: String,
    /// The character the scanner sends for FNC1 in keyboard mode, for example `~` (§5.2);
    /// written as the scanner types it on US-QWERTY.
    pub gs_substitute: Option<char>,
    pub layout: KeyboardLayout,
}

impl Default for ScannerSetup {
    fn default() -> Self {
        ScannerSetup {
            prefix: String::new(),
            suffix: String::new(),
            gs_substitute: None,
            layout: KeyboardLayout::Auto,
        }
    }
}

/// A scan without its framing: the AIM identifier's symbology and the content, with
/// every FNC1 separator as `'\u{1d}'`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalised {
    pub symbology: Option<Symbology>,
    pub text: String,
}

/// Spellings of GS that arrive as text: copy-paste, web fields, logs (§6.3 step 2).
const GS_SPELLINGS: [&str; 6] = ["<GS>", "\\u001d", "\\u001D", "\\x1d", "\\x1D", "\u{241d}"];

fn is_terminator(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\t')
}

/// Cleans one raw scan as described in the module documentation.
pub fn normalise(raw: &str, setup: &ScannerSetup) -> Normalised {
    // A leftover LF of a CRLF may lead the next read from a COM port.
    let mut text = raw.trim_matches(is_terminator);
    let mut suffix_done = setup.suffix.is_empty();
    if !suffix_done && let Some(rest) = text.strip_suffix(setup.suffix.as_str()) {
        text = rest.trim_end_matches(is_terminator);
        suffix_done = true;
    }
    let mut prefix_done = setup.prefix.is_empty();
    if !prefix_done && let Some(rest) = text.strip_prefix(setup.prefix.as_str()) {
        text = rest;
        prefix_done = true;
    }
    let mut text = to_us(text, setup.layout);
    // A prefix or suffix made of letters is itself damaged by the layout.
    if !prefix_done && let Some(rest) = text.strip_prefix(setup.prefix.as_str()) {
        text = rest.to_string();
    }
    if !suffix_done && let Some(rest) = text.strip_suffix(setup.suffix.as_str()) {
        text = rest.to_string();
    }

    let symbology = aim_identifier(&text).map(str::to_string).map(|id| {
        text.replace_range(..id.len(), "");
        Symbology::from_aim(&id)
    });

    if let Some(sub) = setup.gs_substitute {
        text = text.replace(sub, "\u{1d}");
    }
    for spelling in GS_SPELLINGS {
        if text.contains(spelling) {
            text = text.replace(spelling, "\u{1d}");
        }
    }
    // FNC1 in first position is implied by `]d2`/`]C1`; a scanner without AIM may still
    // send it as a leading GS, and a trailing one ends nothing.
    let text = text.trim_matches(GS).to_string();
    Normalised { symbology, text }
}

/// The AIM identifier at the start of `text`: `]`, a symbology letter and a modifier.
fn aim_identifier(text: &str) -> Option<&str> {
    let b = text.as_bytes();
    let modifier_ok = |m: u8| m.is_ascii_digit() || m.is_ascii_uppercase();
    (b.len() >= 3 && b[0] == b']' && b[1].is_ascii_alphabetic() && modifier_ok(b[2]))
        .then(|| &text[..3])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::devices::layout::{KeyboardLayout as L, from_us};

    fn setup(prefix: &str, suffix: &str, sub: Option<char>, layout: L) -> ScannerSetup {
        ScannerSetup {
            prefix: prefix.into(),
            suffix: suffix.into(),
            gs_substitute: sub,
            layout,
        }
    }

    #[test]
    fn raw_scans_come_out_clean() {
        let dm = "0104870123456789215Wb!aT'xq,8Wg\u{1d}91EE06\u{1d}92abcd";
        let tilde = dm.replace(GS, "~");
        let plain = ScannerSetup::default();
        let sym = |id: &str| Some(Symbology::from_aim(id));
        for (raw, set, want_sym, want) in [
            (
                "]E04870123456789\r",
                plain.clone(),
                sym("]E0"),
                "4870123456789",
            ),
            (
                "\n]E04870123456789\r\n",
                plain.clone(),
                sym("]E0"),
                "4870123456789",
            ),
            ("4870123456789\t", plain.clone(), None, "4870123456789"),
            (&format!("]d2{dm}\r"), plain.clone(), sym("]d2"), dm),
            (
                &format!("]d2{tilde}\r"),
                setup("", "", Some('~'), L::Auto),
                sym("]d2"),
                dm,
            ),
            (
                &format!("{}\r", from_us(&format!("]d2{tilde}"), L::Russian)),
                setup("", "", Some('~'), L::Auto),
                sym("]d2"),
                dm,
            ),
            (
                &format!("{}\r", from_us(&format!("]d2{tilde}"), L::Kazakh)),
                setup("", "", Some('~'), L::Kazakh),
                sym("]d2"),
                dm,
            ),
            (
                &format!("]d2{}", dm.replace(GS, "<GS>")),
                plain.clone(),
                sym("]d2"),
                dm,
            ),
            (&dm.replace(GS, "\\u001d"), plain.clone(), None, dm),
            (&dm.replace(GS, "\\x1D"), plain.clone(), None, dm),
            (&dm.replace(GS, "\u{241d}"), plain.clone(), None, dm),
            (&format!("\u{1d}{dm}\r"), plain.clone(), None, dm),
            // Layout mapping leaves the GS byte alone.
            (
                &from_us(dm, L::Russian),
                setup("", "", None, L::Russian),
                None,
                dm,
            ),
            (
                "ъУ04870123456789\r",
                setup("", "", None, L::Russian),
                sym("]E0"),
                "4870123456789",
            ),
            (
                "ъУқңү.қ\"әіңғ,.үұ\r",
                plain.clone(),
                sym("]E0"),
                "4870123456789",
            ),
            (
                "@@]E04870123456789#\r\n",
                setup("@@", "#", None, L::Us),
                sym("]E0"),
                "4870123456789",
            ),
            // Prefix and suffix of letters, typed under Russian.
            (
                "ЫЫ4870123456789ЕЕ\r",
                setup("SS", "TT", None, L::Russian),
                None,
                "4870123456789",
            ),
            (
                "]e0010487012345678917",
                plain.clone(),
                sym("]e0"),
                "010487012345678917",
            ),
            ("]x", plain.clone(), None, "]x"),
            ("", plain.clone(), None, ""),
        ] {
            let got = normalise(raw, &set);
            assert_eq!(got.text, want, "{raw:?}");
            assert_eq!(got.symbology, want_sym, "{raw:?}");
        }
    }

    #[test]
    fn default_setup_guesses_the_layout() {
        let set = ScannerSetup::default();
        assert_eq!(set.layout, L::Auto);
        assert!(set.prefix.is_empty() && set.suffix.is_empty() && set.gs_substitute.is_none());
    }
}
