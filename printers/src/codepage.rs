//! KZ-1048 (STRK1048-2002, IANA "KZ-1048"): Windows-1251 with 16 positions replaced by
//! Kazakh letters (devices.md §1.4). Selected on Epson-family firmware with `ESC t 53`.
//! The table is the Unicode consortium's KZ1048.TXT, as Python's `kz1048` codec has it.
//!
//! CP866 (Russian only) serves printers without a Kazakh table: lines that need no
//! Kazakh letter go as text, the others as raster (devices.md §1.5, hybrid mode).
//!
//! `encode` refuses text with characters outside the table (e.g. ₸): the caller prints
//! such lines as raster instead of guessing.

/// Bytes 0x80–0xFF; U+FFFD marks 0x98, which the code page leaves undefined.
const HIGH: [char; 128] = [
    '\u{0402}', '\u{0403}', '\u{201A}', '\u{0453}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{20AC}', '\u{2030}', '\u{0409}', '\u{2039}', '\u{040A}', '\u{049A}', '\u{04BA}', '\u{040F}',
    '\u{0452}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{FFFD}', '\u{2122}', '\u{0459}', '\u{203A}', '\u{045A}', '\u{049B}', '\u{04BB}', '\u{045F}',
    '\u{00A0}', '\u{04B0}', '\u{04B1}', '\u{04D8}', '\u{00A4}', '\u{04E8}', '\u{00A6}', '\u{00A7}',
    '\u{0401}', '\u{00A9}', '\u{0492}', '\u{00AB}', '\u{00AC}', '\u{00AD}', '\u{00AE}', '\u{04AE}',
    '\u{00B0}', '\u{00B1}', '\u{0406}', '\u{0456}', '\u{04E9}', '\u{00B5}', '\u{00B6}', '\u{00B7}',
    '\u{0451}', '\u{2116}', '\u{0493}', '\u{00BB}', '\u{04D9}', '\u{04A2}', '\u{04A3}', '\u{04AF}',
    '\u{0410}', '\u{0411}', '\u{0412}', '\u{0413}', '\u{0414}', '\u{0415}', '\u{0416}', '\u{0417}',
    '\u{0418}', '\u{0419}', '\u{041A}', '\u{041B}', '\u{041C}', '\u{041D}', '\u{041E}', '\u{041F}',
    '\u{0420}', '\u{0421}', '\u{0422}', '\u{0423}', '\u{0424}', '\u{0425}', '\u{0426}', '\u{0427}',
    '\u{0428}', '\u{0429}', '\u{042A}', '\u{042B}', '\u{042C}', '\u{042D}', '\u{042E}', '\u{042F}',
    '\u{0430}', '\u{0431}', '\u{0432}', '\u{0433}', '\u{0434}', '\u{0435}', '\u{0436}', '\u{0437}',
    '\u{0438}', '\u{0439}', '\u{043A}', '\u{043B}', '\u{043C}', '\u{043D}', '\u{043E}', '\u{043F}',
    '\u{0440}', '\u{0441}', '\u{0442}', '\u{0443}', '\u{0444}', '\u{0445}', '\u{0446}', '\u{0447}',
    '\u{0448}', '\u{0449}', '\u{044A}', '\u{044B}', '\u{044C}', '\u{044D}', '\u{044E}', '\u{044F}',
];

/// CP866 bytes 0x80–0xFF: Russian letters and box drawing, none of the Kazakh ones.
const PC866_HIGH: [char; 128] = [
    '\u{0410}', '\u{0411}', '\u{0412}', '\u{0413}', '\u{0414}', '\u{0415}', '\u{0416}', '\u{0417}',
    '\u{0418}', '\u{0419}', '\u{041A}', '\u{041B}', '\u{041C}', '\u{041D}', '\u{041E}', '\u{041F}',
    '\u{0420}', '\u{0421}', '\u{0422}', '\u{0423}', '\u{0424}', '\u{0425}', '\u{0426}', '\u{0427}',
    '\u{0428}', '\u{0429}', '\u{042A}', '\u{042B}', '\u{042C}', '\u{042D}', '\u{042E}', '\u{042F}',
    '\u{0430}', '\u{0431}', '\u{0432}', '\u{0433}', '\u{0434}', '\u{0435}', '\u{0436}', '\u{0437}',
    '\u{0438}', '\u{0439}', '\u{043A}', '\u{043B}', '\u{043C}', '\u{043D}', '\u{043E}', '\u{043F}',
    '\u{2591}', '\u{2592}', '\u{2593}', '\u{2502}', '\u{2524}', '\u{2561}', '\u{2562}', '\u{2556}',
    '\u{2555}', '\u{2563}', '\u{2551}', '\u{2557}', '\u{255D}', '\u{255C}', '\u{255B}', '\u{2510}',
    '\u{2514}', '\u{2534}', '\u{252C}', '\u{251C}', '\u{2500}', '\u{253C}', '\u{255E}', '\u{255F}',
    '\u{255A}', '\u{2554}', '\u{2569}', '\u{2566}', '\u{2560}', '\u{2550}', '\u{256C}', '\u{2567}',
    '\u{2568}', '\u{2564}', '\u{2565}', '\u{2559}', '\u{2558}', '\u{2552}', '\u{2553}', '\u{256B}',
    '\u{256A}', '\u{2518}', '\u{250C}', '\u{2588}', '\u{2584}', '\u{258C}', '\u{2590}', '\u{2580}',
    '\u{0440}', '\u{0441}', '\u{0442}', '\u{0443}', '\u{0444}', '\u{0445}', '\u{0446}', '\u{0447}',
    '\u{0448}', '\u{0449}', '\u{044A}', '\u{044B}', '\u{044C}', '\u{044D}', '\u{044E}', '\u{044F}',
    '\u{0401}', '\u{0451}', '\u{0404}', '\u{0454}', '\u{0407}', '\u{0457}', '\u{040E}', '\u{045E}',
    '\u{00B0}', '\u{2219}', '\u{00B7}', '\u{221A}', '\u{2116}', '\u{00A4}', '\u{25A0}', '\u{00A0}',
];

/// The code pages Sauda can print text in; the `ESC t` number is the profile's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CodePage {
    /// Kazakh: every letter of the alphabet.
    Kz1048,
    /// Russian only: for the lines of a Kazakh-less printer that need no Kazakh letter.
    Pc866,
}

impl CodePage {
    fn high(self) -> &'static [char; 128] {
        match self {
            CodePage::Kz1048 => &HIGH,
            CodePage::Pc866 => &PC866_HIGH,
        }
    }

    pub fn encode_char(self, c: char) -> Option<u8> {
        if (c as u32) < 0x80 {
            return Some(c as u8);
        }
        self.high()
            .iter()
            .position(|&h| h == c && h != '\u{FFFD}')
            .map(|i| 0x80 + i as u8)
    }

    /// The whole text, or `None` if any character is missing from the table.
    pub fn encode(self, text: &str) -> Option<Vec<u8>> {
        text.chars().map(|c| self.encode_char(c)).collect()
    }

    pub fn decode_byte(self, b: u8) -> char {
        if b < 0x80 {
            b as char
        } else {
            self.high()[(b - 0x80) as usize]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// devices.md §1.4: every Kazakh-specific letter and its KZ-1048 byte.
    #[test]
    fn r75_every_kazakh_letter_has_its_kz1048_byte() {
        let table = [
            ('Ә', 0xA3),
            ('ә', 0xBC),
            ('Ғ', 0xAA),
            ('ғ', 0xBA),
            ('Қ', 0x8D),
            ('қ', 0x9D),
            ('Ң', 0xBD),
            ('ң', 0xBE),
            ('Ө', 0xA5),
            ('ө', 0xB4),
            ('Ұ', 0xA1),
            ('ұ', 0xA2),
            ('Ү', 0xAF),
            ('ү', 0xBF),
            ('Һ', 0x8E),
            ('һ', 0x9E),
            ('І', 0xB2),
            ('і', 0xB3),
        ];
        for (c, b) in table {
            assert_eq!(CodePage::Kz1048.encode_char(c), Some(b), "{c}");
            assert_eq!(CodePage::Kz1048.decode_byte(b), c);
        }
    }

    #[test]
    fn russian_and_ascii_stay_where_cp1251_has_them_and_the_tenge_sign_is_refused() {
        assert_eq!(
            CodePage::Kz1048.encode("Аа Яя Ёё №"),
            Some(vec![
                0xC0, 0xE0, 0x20, 0xDF, 0xFF, 0x20, 0xA8, 0xB8, 0x20, 0xB9
            ])
        );
        assert_eq!(CodePage::Kz1048.encode("500 ₸"), None);
        for page in [CodePage::Kz1048, CodePage::Pc866] {
            for b in 0u8..=255 {
                let c = page.decode_byte(b);
                if c != '\u{FFFD}' {
                    assert_eq!(page.encode_char(c), Some(b), "{page:?} {b:02X}");
                }
            }
        }
        assert_eq!(
            CodePage::Pc866.encode("Итого"),
            Some(vec![0x88, 0xE2, 0xAE, 0xA3, 0xAE])
        );
        assert_eq!(
            CodePage::Pc866.encode("Қант"),
            None,
            "no Kazakh letters in CP866"
        );
    }
}
