//! 1-bit pictures the printer understands (`GS v 0`: rows of bytes, most significant
//! bit leftmost, set = black): a line of text drawn with the bundled DejaVu Sans Mono
//! (every Kazakh letter and ₸, devices.md §1.5) and a QR code drawn from its matrix.
//!
//! Text is thresholded, never dithered, so glyph edges stay sharp on thermal paper.

use std::sync::OnceLock;

/// DejaVu Sans Mono 2.37; licence in `printers/fonts/DejaVu-LICENSE.txt`.
const FONT_BYTES: &[u8] = include_bytes!("../fonts/DejaVuSansMono.ttf");

fn font() -> Option<&'static fontdue::Font> {
    static FONT: OnceLock<Option<fontdue::Font>> = OnceLock::new();
    FONT.get_or_init(|| {
        fontdue::Font::from_bytes(FONT_BYTES, fontdue::FontSettings::default()).ok()
    })
    .as_ref()
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bitmap {
    pub width: usize,
    pub height: usize,
    /// `height` rows of `row_bytes()` bytes.
    pub bits: Vec<u8>,
}

impl Bitmap {
    pub fn new(width: usize, height: usize) -> Bitmap {
        Bitmap {
            width,
            height,
            bits: vec![0; width.div_ceil(8) * height],
        }
    }

    pub fn row_bytes(&self) -> usize {
        self.width.div_ceil(8)
    }

    pub fn set(&mut self, x: usize, y: usize) {
        if x < self.width && y < self.height {
            let i = y * self.row_bytes() + x / 8;
            self.bits[i] |= 0x80 >> (x % 8);
        }
    }

    pub fn get(&self, x: usize, y: usize) -> bool {
        x < self.width
            && y < self.height
            && self.bits[y * self.row_bytes() + x / 8] & (0x80 >> (x % 8)) != 0
    }

    /// The same picture without the blank columns on its right (whole bytes kept): a
    /// left-aligned line then sends only the bytes it uses (devices.md §1.5: serial
    /// links are slow).
    pub fn crop_right(&self) -> Bitmap {
        let rb = self.row_bytes();
        let used = (0..rb)
            .rev()
            .find(|&col| (0..self.height).any(|y| self.bits[y * rb + col] != 0))
            .map_or(1, |col| col + 1);
        let mut out = Bitmap::new(used * 8, self.height);
        for y in 0..self.height {
            out.bits[y * used..(y + 1) * used].copy_from_slice(&self.bits[y * rb..y * rb + used]);
        }
        out
    }

    /// Rows `from..from + rows` as a bitmap of their own (for bands).
    pub fn rows(&self, from: usize, rows: usize) -> Bitmap {
        let rows = rows.min(self.height.saturating_sub(from));
        let rb = self.row_bytes();
        Bitmap {
            width: self.width,
            height: rows,
            bits: self.bits[from * rb..(from + rows) * rb].to_vec(),
        }
    }
}

/// Where a line of text sits in its bitmap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
}

/// One line of text `px` pixels high across `width` dots. Characters the font lacks
/// are drawn as the font's replacement box, so they are visible, never silently lost.
pub fn text_line(text: &str, width: usize, px: f32, bold: bool, align: Align) -> Bitmap {
    let height = (px * 1.25).ceil() as usize;
    let mut bitmap = Bitmap::new(width, height);
    let Some(font) = font() else {
        return bitmap;
    };
    let ascent = font
        .horizontal_line_metrics(px)
        .map_or(px * 0.8, |m| m.ascent);
    let advance = font.metrics('0', px).advance_width;
    let used = advance * text.chars().count() as f32;
    let mut pen = match align {
        Align::Left => 0.0,
        Align::Center => ((width as f32 - used) / 2.0).max(0.0),
    };
    for c in text.chars() {
        let (m, coverage) = font.rasterize(c, px);
        let left = pen + m.xmin as f32;
        let top = ascent - (m.height as f32 + m.ymin as f32);
        for gy in 0..m.height {
            for gx in 0..m.width {
                if coverage[gy * m.width + gx] >= 110 {
                    let x = (left + gx as f32).round();
                    let y = (top + gy as f32).round();
                    if x >= 0.0 && y >= 0.0 {
                        bitmap.set(x as usize, y as usize);
                        if bold {
                            bitmap.set(x as usize + 1, y as usize);
                        }
                    }
                }
            }
        }
        pen += advance;
    }
    bitmap
}

/// The font size at which `chars` characters fill `width` dots: the printers' own
/// font A is 12 × 24 dots, 48 characters on 80 mm and 32 on 58 mm.
pub fn px_for_columns(width: usize, chars: usize) -> f32 {
    let advance_per_px = font().map_or(0.6, |f| f.metrics('0', 100.0).advance_width / 100.0);
    (width as f32 / chars.max(1) as f32 / advance_per_px).floor()
}

/// Rows of an `ESC *` 24-dot image: the height of font A.
pub const GLYPH_ROWS: usize = 24;

/// One character as the data of an `ESC *` 24-dot image (`m = 33`) one font-A cell
/// wide: `cell` columns of 3 bytes, top to bottom, most significant bit on top
/// (devices.md §1.5, `ESC *`). For the letters a printer's code table lacks.
pub fn glyph_columns(c: char, cell: usize, bold: bool) -> Vec<u8> {
    // The line height of `text_line` is 1.25 px: 19 px fills the 24 rows.
    let px = px_for_columns(cell, 1).min(GLYPH_ROWS as f32 / 1.25);
    let mut buf = [0u8; 4];
    let line = text_line(c.encode_utf8(&mut buf), cell, px, bold, Align::Left);
    let mut out = vec![0u8; cell * 3];
    for x in 0..cell {
        for y in 0..GLYPH_ROWS.min(line.height) {
            if line.get(x, y) {
                out[x * 3 + y / 8] |= 0x80 >> (y % 8);
            }
        }
    }
    out
}

impl Bitmap {
    /// Ink of `other` added at (`x`, `y`); what falls outside is cut off.
    pub fn draw(&mut self, other: &Bitmap, x: usize, y: usize) {
        for oy in 0..other.height {
            for ox in 0..other.width {
                if other.get(ox, oy) {
                    self.set(x + ox, y + oy);
                }
            }
        }
    }
}

/// Whether the bundled font draws `c` (and would not fall back to its box).
pub fn has_glyph(c: char) -> bool {
    font().is_some_and(|f| f.lookup_glyph_index(c) != 0)
}

/// The QR code of `data`, `module` dots per module, with a 4-module quiet zone,
/// centred across `width` dots (R-74: error correction M, devices.md §2.2).
pub fn qr(data: &str, module: usize, width: usize) -> Option<Bitmap> {
    let code =
        qrcode::QrCode::with_error_correction_level(data.as_bytes(), qrcode::EcLevel::M).ok()?;
    let n = code.width();
    let colors = code.to_colors();
    let side = (n + 8) * module;
    let mut bitmap = Bitmap::new(width.max(side), side);
    let offset = (bitmap.width - side) / 2 + 4 * module;
    for y in 0..n {
        for x in 0..n {
            if colors[y * n + x] == qrcode::Color::Dark {
                for dy in 0..module {
                    for dx in 0..module {
                        bitmap.set(offset + x * module + dx, 4 * module + y * module + dy);
                    }
                }
            }
        }
    }
    Some(bitmap)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r75_every_kazakh_letter_and_the_tenge_sign_have_glyphs() {
        for c in "ӘәҒғҚқҢңӨөҰұҮүҺһІі₸№".chars() {
            assert!(has_glyph(c), "{c}");
        }
        let line = text_line("Ә", 64, 24.0, false, Align::Left);
        assert!(line.bits.iter().any(|&b| b != 0), "the letter leaves ink");
    }

    #[test]
    fn a_glyph_image_is_one_cell_of_three_bytes_a_column_and_differs_from_its_base_letter() {
        let qa = glyph_columns('Қ', 12, false);
        let ka = glyph_columns('К', 12, false);
        assert_eq!(qa.len(), 36);
        assert!(qa.iter().any(|&b| b != 0));
        assert_ne!(qa, ka, "the descender of Қ is drawn");
        assert_ne!(glyph_columns('і', 12, true), glyph_columns('і', 12, false));
    }

    #[test]
    fn cropping_keeps_the_ink_and_drops_blank_bytes() {
        let mut b = Bitmap::new(576, 3);
        b.set(17, 2);
        let c = b.crop_right();
        assert_eq!((c.width, c.height), (24, 3));
        assert!(c.get(17, 2));
        assert_eq!(
            Bitmap::new(64, 2).crop_right().width,
            8,
            "a blank line keeps one byte"
        );
    }

    #[test]
    fn bands_split_rows_and_keep_them() {
        let mut b = Bitmap::new(10, 5);
        b.set(9, 4);
        let band = b.rows(3, 10);
        assert_eq!((band.width, band.height), (10, 2));
        assert!(band.get(9, 1));
    }
}
