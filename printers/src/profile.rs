//! What a printer model can do (devices.md §0 decision 1): head width, characters per
//! line, which code tables (by their `ESC t` number on that firmware) may be used for
//! text, and whether it draws QR codes itself. Profiles are data: the built-in ones are
//! the TOML files in `printers/profiles/`, and a shop can add its own file for a model
//! the list lacks. The encoder never guesses a model.

use serde::Deserialize;

use crate::codepage::CodePage;

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub name: String,
    /// Printable dots across the paper: 384 on 58 mm, 576 on 80 mm (devices.md §1.1).
    pub width_dots: usize,
    /// Characters of font A per line: 32 on 58 mm, 48 on 80 mm.
    pub chars: usize,
    /// Code tables confirmed on a printed test page, with their `ESC t` number on this
    /// firmware (devices.md §1.3), in order of preference. A line no table can show is
    /// drawn as raster, which prints Kazakh on every printer (devices.md §1.5).
    pub text: Vec<TextTable>,
    /// `GS ( k` QR codes; a raster QR otherwise.
    pub native_qr: bool,
    /// Letters the text tables lack (Kazakh, ₸) go as small `ESC *` images inside a text
    /// line instead of drawing the whole line as raster: a tenth of the bytes, which is
    /// what keeps a Kazakh receipt under 3 s on a 115 200 baud serial printer (issue 5).
    /// Set only after a test page showed the letters in line with the text.
    #[serde(default)]
    pub inline_glyphs: bool,
    /// Has a cutter (`GS V`); without one the paper is fed out to be torn off.
    #[serde(default = "yes")]
    pub cutter: bool,
    /// Has a cash-drawer port (`ESC p`) that is kicked on cash payments.
    #[serde(default = "yes")]
    pub drawer: bool,
}

fn yes() -> bool {
    true
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextTable {
    pub page: CodePage,
    pub table: u8,
}

#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("printer profile {0}: {1}")]
    Invalid(String, String),
    #[error("cannot read printer profile {0}: {1}")]
    Read(String, std::io::Error),
}

/// The built-in profiles, compiled in from `printers/profiles/`.
const BUILT_IN: [(&str, &str); 6] = [
    (
        "generic-80mm.toml",
        include_str!("../profiles/generic-80mm.toml"),
    ),
    (
        "generic-58mm.toml",
        include_str!("../profiles/generic-58mm.toml"),
    ),
    (
        "epson-tm-80mm.toml",
        include_str!("../profiles/epson-tm-80mm.toml"),
    ),
    (
        "xprinter-80mm.toml",
        include_str!("../profiles/xprinter-80mm.toml"),
    ),
    (
        "xprinter-80mm-serial.toml",
        include_str!("../profiles/xprinter-80mm-serial.toml"),
    ),
    (
        "generic-58mm-nocut.toml",
        include_str!("../profiles/generic-58mm-nocut.toml"),
    ),
];

impl Profile {
    pub fn parse(source: &str, text: &str) -> Result<Profile, ProfileError> {
        let p: Profile = toml::from_str(text)
            .map_err(|e| ProfileError::Invalid(source.into(), e.to_string()))?;
        let invalid = |why: &str| Err(ProfileError::Invalid(source.into(), why.into()));
        if p.width_dots == 0 || !p.width_dots.is_multiple_of(8) || p.width_dots > 832 {
            return invalid(
                "width_dots must be a multiple of 8 up to 832 (384 for 58 mm, 576 for 80 mm)",
            );
        }
        if p.chars < 24 || p.chars > 64 {
            return invalid("chars must be between 24 and 64 (32 for 58 mm, 48 for 80 mm)");
        }
        Ok(p)
    }

    /// A profile from a TOML file (a model the built-in list lacks).
    pub fn from_file(path: &std::path::Path) -> Result<Profile, ProfileError> {
        let shown = path.display().to_string();
        let text =
            std::fs::read_to_string(path).map_err(|e| ProfileError::Read(shown.clone(), e))?;
        Profile::parse(&shown, &text)
    }

    pub fn built_in() -> Vec<Profile> {
        BUILT_IN
            .iter()
            .filter_map(|(file, text)| match Profile::parse(file, text) {
                Ok(p) => Some(p),
                Err(e) => {
                    // The files are checked by a test; a broken one is left out, not fatal.
                    tracing::error!("{e}");
                    None
                }
            })
            .collect()
    }

    pub fn by_name(name: &str) -> Option<Profile> {
        Profile::built_in().into_iter().find(|p| p.name == name)
    }

    fn named(name: &str) -> Profile {
        Profile::by_name(name).unwrap_or(Profile {
            name: name.into(),
            width_dots: 576,
            chars: 48,
            text: Vec::new(),
            native_qr: false,
            inline_glyphs: false,
            cutter: true,
            drawer: true,
        })
    }

    /// Any 80 mm ESC/POS printer: raster text and raster QR work everywhere.
    pub fn generic_80() -> Profile {
        Profile::named("generic-80mm")
    }

    /// Any 58 mm ESC/POS printer.
    pub fn generic_58() -> Profile {
        Profile::named("generic-58mm")
    }

    /// Epson TM-T20/T88 family: KZ-1048 text and native QR.
    pub fn epson_80() -> Profile {
        Profile::named("epson-tm-80mm")
    }

    /// POS-5890 / Xprinter-class firmware: CP866 text, raster Kazakh lines.
    pub fn xprinter_80() -> Profile {
        Profile::named("xprinter-80mm")
    }

    /// The same firmware on a serial link: CP866 text with Kazakh letters inline.
    pub fn xprinter_80_serial() -> Profile {
        Profile::named("xprinter-80mm-serial")
    }

    /// The code page a table number means on this printer.
    pub fn page_of(&self, table: u8) -> Option<CodePage> {
        self.text.iter().find(|t| t.table == table).map(|t| t.page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_profile_file_reads() {
        for (file, text) in BUILT_IN {
            Profile::parse(file, text).unwrap_or_else(|e| panic!("{e}"));
        }
        let epson = Profile::epson_80();
        assert_eq!(epson.page_of(53), Some(CodePage::Kz1048));
        assert_eq!(Profile::generic_58().width_dots, 384);
    }

    #[test]
    fn a_wrong_profile_says_what_is_wrong() {
        let bad = "name = \"x\"\nwidth_dots = 500\nchars = 48\nnative_qr = false\ntext = []\n";
        let err = Profile::parse("x.toml", bad)
            .expect_err("500 dots")
            .to_string();
        assert!(err.contains("multiple of 8"), "{err}");
        let typo = "name = \"x\"\nwidth_dots = 576\nchars = 48\nnative_qr = false\ntext = []\ncutter = 1\n";
        assert!(
            Profile::parse("x.toml", typo).is_err(),
            "unknown keys are refused"
        );
    }
}
