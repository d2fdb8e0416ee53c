//! What a printer model can do (devices.md §0 decision 1): head width, characters per
//! line, whether a confirmed KZ-1048 code table may be used for text, and whether it
//! draws QR codes itself. Profiles are data; the encoder never guesses a model.

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    pub name: &'static str,
    /// Printable dots across the paper: 384 on 58 mm, 576 on 80 mm (devices.md §1.1).
    pub width_dots: usize,
    /// Characters of font A per line: 32 on 58 mm, 48 on 80 mm.
    pub chars: usize,
    /// Text in KZ-1048 (`ESC t 53`) after a person confirmed a test page; raster
    /// otherwise, which prints Kazakh on every printer (devices.md §1.5).
    pub text_kz1048: bool,
    /// `GS ( k` QR codes; a raster QR otherwise.
    pub native_qr: bool,
}

impl Profile {
    /// Any 80 mm ESC/POS printer: raster text and raster QR work everywhere.
    pub const GENERIC_80: Profile = Profile {
        name: "generic-80mm",
        width_dots: 576,
        chars: 48,
        text_kz1048: false,
        native_qr: false,
    };
    /// Any 58 mm ESC/POS printer.
    pub const GENERIC_58: Profile = Profile {
        name: "generic-58mm",
        width_dots: 384,
        chars: 32,
        text_kz1048: false,
        native_qr: false,
    };
    /// Epson TM-T20/T88 family: KZ-1048 table 53 and native QR.
    pub const EPSON_80: Profile = Profile {
        name: "epson-tm-80mm",
        width_dots: 576,
        chars: 48,
        text_kz1048: true,
        native_qr: true,
    };

    pub const ALL: [Profile; 3] = [Profile::GENERIC_80, Profile::GENERIC_58, Profile::EPSON_80];

    pub fn by_name(name: &str) -> Option<Profile> {
        Profile::ALL.into_iter().find(|p| p.name == name)
    }
}
