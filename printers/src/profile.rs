//! What a printer model can do (devices.md §0 decision 1): head width, characters per
//! line, which code tables (by their `ESC t` number on that firmware) may be used for
//! text, and whether it draws QR codes itself. Profiles are data; the encoder never
//! guesses a model.

use crate::codepage::CodePage;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    pub name: &'static str,
    /// Printable dots across the paper: 384 on 58 mm, 576 on 80 mm (devices.md §1.1).
    pub width_dots: usize,
    /// Characters of font A per line: 32 on 58 mm, 48 on 80 mm.
    pub chars: usize,
    /// Code tables confirmed on a printed test page, with their `ESC t` number on this
    /// firmware (devices.md §1.3), in order of preference. A line no table can show is
    /// drawn as raster, which prints Kazakh on every printer (devices.md §1.5).
    pub text: &'static [(CodePage, u8)],
    /// `GS ( k` QR codes; a raster QR otherwise.
    pub native_qr: bool,
}

impl Profile {
    /// Any 80 mm ESC/POS printer: raster text and raster QR work everywhere.
    pub const GENERIC_80: Profile = Profile {
        name: "generic-80mm",
        width_dots: 576,
        chars: 48,
        text: &[],
        native_qr: false,
    };
    /// Any 58 mm ESC/POS printer.
    pub const GENERIC_58: Profile = Profile {
        name: "generic-58mm",
        width_dots: 384,
        chars: 32,
        text: &[],
        native_qr: false,
    };
    /// Epson TM-T20/T88 family: KZ-1048 table 53 and native QR.
    pub const EPSON_80: Profile = Profile {
        name: "epson-tm-80mm",
        width_dots: 576,
        chars: 48,
        text: &[(CodePage::Kz1048, 53)],
        native_qr: true,
    };
    /// POS-5890 / Xprinter-class 80 mm firmware: PC866 is table 17, no Kazakh table
    /// (devices.md §1.3), so Kazakh lines are raster and the rest text (hybrid).
    pub const XPRINTER_80: Profile = Profile {
        name: "xprinter-80mm",
        width_dots: 576,
        chars: 48,
        text: &[(CodePage::Pc866, 17)],
        native_qr: false,
    };

    pub const ALL: [Profile; 4] = [
        Profile::GENERIC_80,
        Profile::GENERIC_58,
        Profile::EPSON_80,
        Profile::XPRINTER_80,
    ];

    /// The code page a table number means on this printer.
    pub fn page_of(&self, table: u8) -> Option<CodePage> {
        self.text.iter().find(|(_, n)| *n == table).map(|(p, _)| *p)
    }

    pub fn by_name(name: &str) -> Option<Profile> {
        Profile::ALL.into_iter().find(|p| p.name == name)
    }
}
