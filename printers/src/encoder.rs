//! ESC/POS commands as bytes (devices.md §1.2, §1.5, §2.1). Pure: it appends to a
//! buffer the caller writes to any transport; it never talks to a device.

use crate::bitmap::Bitmap;

/// `GS v 0` bands stay at most 255 rows (`yH = 0`), which every OEM manual allows.
pub const BAND_ROWS: usize = 255;

#[derive(Debug, Default)]
pub struct Encoder {
    out: Vec<u8>,
}

impl Encoder {
    pub fn new() -> Encoder {
        Encoder::default()
    }

    /// `ESC @`, then `FS .` so Chinese-market firmware leaves double-byte mode, and
    /// the USA international set.
    pub fn init(&mut self) -> &mut Self {
        self.out
            .extend_from_slice(&[0x1B, 0x40, 0x1C, 0x2E, 0x1B, 0x52, 0x00]);
        self
    }

    pub fn code_table(&mut self, n: u8) -> &mut Self {
        self.out.extend_from_slice(&[0x1B, 0x74, n]);
        self
    }

    pub fn center(&mut self, on: bool) -> &mut Self {
        self.out.extend_from_slice(&[0x1B, 0x61, u8::from(on)]);
        self
    }

    pub fn bold(&mut self, on: bool) -> &mut Self {
        self.out.extend_from_slice(&[0x1B, 0x45, u8::from(on)]);
        self
    }

    /// Encoded text and a line feed.
    pub fn line(&mut self, encoded: &[u8]) -> &mut Self {
        self.out.extend_from_slice(encoded);
        self.out.push(0x0A);
        self
    }

    /// Encoded text without ending the line.
    pub fn text(&mut self, encoded: &[u8]) -> &mut Self {
        self.out.extend_from_slice(encoded);
        self
    }

    pub fn newline(&mut self) -> &mut Self {
        self.out.push(0x0A);
        self
    }

    /// A 24-dot image inside the current line (`ESC * 33 nL nH`, columns of 3 bytes):
    /// unlike `GS v 0` it can sit between characters.
    pub fn inline_image(&mut self, columns: &[u8]) -> &mut Self {
        let n = columns.len() / 3;
        self.out
            .extend_from_slice(&[0x1B, 0x2A, 33, (n & 0xFF) as u8, (n >> 8) as u8]);
        self.out.extend_from_slice(&columns[..n * 3]);
        self
    }

    /// A picture as `GS v 0` bands of at most [`BAND_ROWS`] rows.
    pub fn raster(&mut self, bitmap: &Bitmap) -> &mut Self {
        let mut row = 0;
        while row < bitmap.height {
            let band = bitmap.rows(row, BAND_ROWS);
            let xb = band.row_bytes();
            self.out.extend_from_slice(&[
                0x1D,
                0x76,
                0x30,
                0x00,
                (xb & 0xFF) as u8,
                (xb >> 8) as u8,
                (band.height & 0xFF) as u8,
                (band.height >> 8) as u8,
            ]);
            self.out.extend_from_slice(&band.bits);
            row += band.height.max(1);
        }
        self
    }

    /// A QR code drawn by the printer: model 2, error correction M, `module` dots.
    pub fn qr_native(&mut self, data: &[u8], module: u8) -> &mut Self {
        let store = data.len() + 3;
        self.out
            .extend_from_slice(&[0x1D, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00]);
        self.out
            .extend_from_slice(&[0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43, module]);
        self.out
            .extend_from_slice(&[0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x45, 0x31]);
        self.out.extend_from_slice(&[
            0x1D,
            0x28,
            0x6B,
            (store & 0xFF) as u8,
            (store >> 8) as u8,
            0x31,
            0x50,
            0x30,
        ]);
        self.out.extend_from_slice(data);
        self.out
            .extend_from_slice(&[0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30]);
        self
    }

    pub fn feed(&mut self, lines: u8) -> &mut Self {
        self.out.extend_from_slice(&[0x1B, 0x64, lines]);
        self
    }

    /// Feed to the cutter and cut partially (`GS V 66 0`, Sauda's default).
    pub fn cut(&mut self) -> &mut Self {
        self.out.extend_from_slice(&[0x1D, 0x56, 0x42, 0x00]);
        self
    }

    /// Open the cash drawer on pin 2 (`ESC p 0 25 250`).
    pub fn drawer(&mut self) -> &mut Self {
        self.out.extend_from_slice(&[0x1B, 0x70, 0x00, 0x19, 0xFA]);
        self
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// devices.md §1.5: an 80 mm text line is `1D 76 30 00 48 00 18 00` + 1 728 bytes.
    #[test]
    fn raster_headers_match_the_worked_examples() {
        let mut e = Encoder::new();
        e.raster(&Bitmap::new(576, 24));
        let bytes = e.into_bytes();
        assert_eq!(
            &bytes[..8],
            &[0x1D, 0x76, 0x30, 0x00, 0x48, 0x00, 0x18, 0x00]
        );
        assert_eq!(bytes.len(), 8 + 1_728);
    }

    #[test]
    fn tall_pictures_go_in_bands_of_at_most_255_rows() {
        let mut e = Encoder::new();
        e.raster(&Bitmap::new(384, 600));
        let bytes = e.into_bytes();
        assert_eq!(bytes.len(), 3 * 8 + 48 * 600);
        assert_eq!(&bytes[4..8], &[0x30, 0x00, 0xFF, 0x00]);
    }

    /// devices.md §2.1: the store length counts cn, fn and m.
    #[test]
    fn native_qr_follows_the_gs_k_sequence() {
        let mut e = Encoder::new();
        e.qr_native(&[b'x'; 80], 5);
        let bytes = e.into_bytes();
        assert_eq!(
            &bytes[25..33],
            &[0x1D, 0x28, 0x6B, 0x53, 0x00, 0x31, 0x50, 0x30]
        );
        assert_eq!(
            &bytes[bytes.len() - 8..],
            &[0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30]
        );
    }
}
