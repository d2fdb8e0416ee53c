//! The virtual printer (devices.md §4.6): reads an ESC/POS byte stream the way a
//! printer would and draws the paper as a 1-bit picture: text through the selected code
//! table in the bundled font, raster bands copied in, QR codes regenerated from the
//! stored data. It also keeps a trace (decoded text lines, QR payloads, cuts, drawer
//! pulses) for assertions. Used by the demo and the tests; it never touches a device.
//!
//! Strict: an unknown command is an error with its byte offset, not a guess.

use crate::Profile;
use crate::bitmap::{self, Align, Bitmap};
use crate::codepage::CodePage;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    Text(String),
    Raster { width: usize, height: usize },
    Qr(String),
    Cut,
    Drawer,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum VirtualError {
    #[error("unknown command {bytes:02X?} at byte {offset}")]
    Unknown { offset: usize, bytes: Vec<u8> },
    #[error("the stream ends inside a command that starts at byte {0}")]
    Truncated(usize),
    #[error("a raster image of {0} dots is wider than the paper")]
    TooWide(usize),
    #[error("code table {0} is not one this printer profile has")]
    NoSuchTable(u8),
}

#[derive(Debug)]
pub struct Printout {
    pub paper: Bitmap,
    pub events: Vec<Event>,
}

struct Head {
    width: usize,
    page: CodePage,
    profile: Profile,
    rows: Vec<Bitmap>,
    bold: bool,
    center: bool,
    text: Vec<u8>,
    /// `ESC *` images of the current line: where they sit among the text bytes, and
    /// their columns as drawn (width in dots, 24 rows).
    images: Vec<(usize, Bitmap)>,
    qr_module: usize,
    qr_data: Vec<u8>,
    events: Vec<Event>,
}

const FEED_ROWS: usize = 30;
/// Font A: 12 dots a character.
const CHAR_DOTS: usize = 12;

impl Head {
    /// The line buffer on paper, the way the printer's font A lays it out: every
    /// character in its own 12-dot cell, `ESC *` images where they were sent among
    /// the characters, the whole line centred if asked.
    fn flush_line(&mut self) {
        let page = self.page;
        let text: Vec<char> = self.text.drain(..).map(|b| page.decode_byte(b)).collect();
        let images = std::mem::take(&mut self.images);
        let px = bitmap::px_for_columns(self.width, self.width / CHAR_DOTS);
        let used = text.len() * CHAR_DOTS + images.iter().map(|(_, b)| b.width).sum::<usize>();
        let mut x = if self.center {
            self.width.saturating_sub(used) / 2
        } else {
            0
        };
        let height = ((px * 1.25).ceil() as usize).max(bitmap::GLYPH_ROWS);
        let mut line = Bitmap::new(self.width, height);
        let mut shown = String::new();
        let mut images = images.into_iter().peekable();
        let mut buf = [0u8; 4];
        for (at, c) in text.iter().enumerate() {
            while let Some((_, image)) = images.next_if(|(pos, _)| *pos <= at) {
                line.draw(&image, x, 0);
                x += image.width;
                shown.push('\u{FFFC}');
            }
            let glyph = bitmap::text_line(
                c.encode_utf8(&mut buf),
                CHAR_DOTS,
                px,
                self.bold,
                Align::Left,
            );
            line.draw(&glyph, x, 0);
            x += CHAR_DOTS;
            shown.push(*c);
        }
        for (_, image) in images {
            line.draw(&image, x, 0);
            x += image.width;
            shown.push('\u{FFFC}');
        }
        self.rows.push(line);
        self.events.push(Event::Text(shown));
    }

    /// `ESC * m nL nH d…`: 8-dot (`m` 0, 1) or 24-dot (`m` 32, 33) columns, single
    /// density (each column two dots wide) for even `m`. Returns the bytes it took.
    fn inline_image(&mut self, bytes: &[u8], i: usize) -> Result<usize, VirtualError> {
        let head = need(bytes, i, 5)?;
        let m = head[2];
        let n = head[3] as usize + 256 * head[4] as usize;
        let (per_col, dot_rows) = match m {
            0 | 1 => (1, 3),
            32 | 33 => (3, 1),
            _ => return Err(unknown(bytes, i, 3)),
        };
        let dot_cols = if m % 2 == 0 { 2 } else { 1 };
        let data = need(bytes, i + 5, n * per_col)?;
        let mut image = Bitmap::new(n * dot_cols, per_col * 8 * dot_rows);
        for col in 0..n {
            for bit in 0..per_col * 8 {
                if data[col * per_col + bit / 8] & (0x80 >> (bit % 8)) != 0 {
                    for dx in 0..dot_cols {
                        for dy in 0..dot_rows {
                            image.set(col * dot_cols + dx, bit * dot_rows + dy);
                        }
                    }
                }
            }
        }
        self.images.push((self.text.len(), image));
        Ok(5 + n * per_col)
    }
}

fn need(bytes: &[u8], at: usize, n: usize) -> Result<&[u8], VirtualError> {
    bytes.get(at..at + n).ok_or(VirtualError::Truncated(at))
}

/// Prints `bytes` on a printer of `profile` (its paper width and its code tables).
pub fn print(bytes: &[u8], profile: &Profile) -> Result<Printout, VirtualError> {
    let width = profile.width_dots;
    let mut h = Head {
        width,
        page: CodePage::Kz1048,
        profile: profile.clone(),
        rows: Vec::new(),
        bold: false,
        center: false,
        text: Vec::new(),
        images: Vec::new(),
        qr_module: 3,
        qr_data: Vec::new(),
        events: Vec::new(),
    };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            0x0A => {
                h.flush_line();
                i += 1;
            }
            0x1B => {
                let cmd = need(bytes, i, 2)?[1];
                match cmd {
                    0x40 => {
                        h.bold = false;
                        h.center = false;
                        i += 2;
                    }
                    0x52 => i += 3,
                    0x74 => {
                        let n = need(bytes, i, 3)?[2];
                        h.page = h.profile.page_of(n).ok_or(VirtualError::NoSuchTable(n))?;
                        i += 3;
                    }
                    0x61 => {
                        h.center = need(bytes, i, 3)?[2] & 1 == 1;
                        i += 3;
                    }
                    0x45 => {
                        h.bold = need(bytes, i, 3)?[2] & 1 == 1;
                        i += 3;
                    }
                    0x64 => {
                        let n = need(bytes, i, 3)?[2] as usize;
                        h.rows.push(Bitmap::new(width, n * FEED_ROWS));
                        i += 3;
                    }
                    0x2A => i += h.inline_image(bytes, i)?,
                    0x70 => {
                        need(bytes, i, 5)?;
                        h.events.push(Event::Drawer);
                        i += 5;
                    }
                    _ => return Err(unknown(bytes, i, 2)),
                }
            }
            0x1C => {
                if need(bytes, i, 2)?[1] != 0x2E {
                    return Err(unknown(bytes, i, 2));
                }
                i += 2;
            }
            0x1D => {
                let cmd = need(bytes, i, 2)?[1];
                match cmd {
                    0x56 => {
                        let m = need(bytes, i, 3)?[2];
                        i += if matches!(m, 0x41 | 0x42) { 4 } else { 3 };
                        need(bytes, i - 1, 1)?;
                        h.events.push(Event::Cut);
                    }
                    0x76 => {
                        let head = need(bytes, i, 8)?;
                        let xb = head[4] as usize + 256 * head[5] as usize;
                        let rows = head[6] as usize + 256 * head[7] as usize;
                        if xb * 8 > width.div_ceil(8) * 8 {
                            return Err(VirtualError::TooWide(xb * 8));
                        }
                        let data = need(bytes, i + 8, xb * rows)?;
                        let mut band = Bitmap::new(width, rows);
                        for y in 0..rows {
                            for x in 0..xb * 8 {
                                if data[y * xb + x / 8] & (0x80 >> (x % 8)) != 0 {
                                    band.set(x, y);
                                }
                            }
                        }
                        h.rows.push(band);
                        h.events.push(Event::Raster {
                            width: xb * 8,
                            height: rows,
                        });
                        i += 8 + xb * rows;
                    }
                    0x28 if need(bytes, i, 3)?[2] == 0x6B => {
                        let head = need(bytes, i, 7)?;
                        let len = head[3] as usize + 256 * head[4] as usize;
                        let body = need(bytes, i + 5, len)?;
                        // A short or odd body is refused, never indexed past its end.
                        if len < 3 {
                            return Err(VirtualError::Truncated(i));
                        }
                        match (body[0], body[1]) {
                            (0x31, 0x43) => h.qr_module = (body[2] as usize).clamp(1, 16),
                            (0x31, 0x50) => h.qr_data = body[3.min(len)..].to_vec(),
                            (0x31, 0x51) => {
                                let data = String::from_utf8_lossy(&h.qr_data).into_owned();
                                if let Some(q) = bitmap::qr(&data, h.qr_module, width) {
                                    h.rows.push(q);
                                }
                                h.events.push(Event::Qr(data));
                            }
                            _ => {}
                        }
                        i += 5 + len;
                    }
                    _ => return Err(unknown(bytes, i, 2)),
                }
            }
            0x00..=0x1F => return Err(unknown(bytes, i, 1)),
            _ => {
                h.text.push(b);
                i += 1;
            }
        }
    }
    if !h.text.is_empty() || !h.images.is_empty() {
        h.flush_line();
    }
    let height = h.rows.iter().map(|r| r.height).sum();
    let mut paper = Bitmap::new(width, height);
    let mut top = 0;
    for r in &h.rows {
        let rb = r.row_bytes().min(paper.row_bytes());
        for y in 0..r.height {
            let to = (top + y) * paper.row_bytes();
            let from = y * r.row_bytes();
            paper.bits[to..to + rb].copy_from_slice(&r.bits[from..from + rb]);
        }
        top += r.height;
    }
    Ok(Printout {
        paper,
        events: h.events,
    })
}

fn unknown(bytes: &[u8], offset: usize, n: usize) -> VirtualError {
    VirtualError::Unknown {
        offset,
        bytes: bytes[offset..(offset + n).min(bytes.len())].to_vec(),
    }
}

/// The paper as a PNG with a white margin, black ink.
pub fn png(paper: &Bitmap) -> Vec<u8> {
    let margin = 16;
    let (w, h) = (paper.width + 2 * margin, paper.height + 2 * margin);
    let mut img = image::GrayImage::from_pixel(w as u32, h as u32, image::Luma([255]));
    for y in 0..paper.height {
        for x in 0..paper.width {
            if paper.get(x, y) {
                img.put_pixel((x + margin) as u32, (y + margin) as u32, image::Luma([0]));
            }
        }
    }
    let mut out = std::io::Cursor::new(Vec::new());
    // Encoding an in-memory grey picture to PNG cannot fail short of running out of memory.
    let _ = img.write_to(&mut out, image::ImageFormat::Png);
    out.into_inner()
}
