//! Windows print queues (devices.md §4.2): a USB receipt printer installed with its
//! driver (or "Generic / Text Only") is a queue bound to a `USB00n` port, and the bytes
//! reach it as a RAW job through the spooler, so the shop's driver stays as it is.
//! Sauda stores the queue name, not the port, because the port changes with the socket.
//!
//! The spooler path is one-way: no `DLE EOT` replies, so the queue's own state
//! (offline, paper out, door open, error) is what `ready` can check. This is the
//! project's one module with FFI; every call is a documented winspool function with
//! buffers owned here, and nothing else may use `unsafe`.
#![allow(unsafe_code)]

use windows_sys::Win32::Graphics::Printing::{
    ClosePrinter, DOC_INFO_1W, EndDocPrinter, EndPagePrinter, EnumPrintersW, GetPrinterW,
    OpenPrinterW, PRINTER_ATTRIBUTE_WORK_OFFLINE, PRINTER_ENUM_CONNECTIONS, PRINTER_ENUM_LOCAL,
    PRINTER_HANDLE, PRINTER_INFO_2W, PRINTER_INFO_4W, PRINTER_STATUS_DOOR_OPEN,
    PRINTER_STATUS_ERROR, PRINTER_STATUS_OFFLINE, PRINTER_STATUS_PAPER_OUT, StartDocPrinterW,
    StartPagePrinter, WritePrinter,
};

use crate::transport::{Transport, TransportError};

fn wide(s: &str) -> Vec<u16> {
    s.encode_utf16().chain(std::iter::once(0)).collect()
}

/// A zero-terminated UTF-16 string the spooler owns, as a `String`.
fn from_wide(p: *const u16) -> String {
    if p.is_null() {
        return String::new();
    }
    let mut len = 0;
    // SAFETY: the spooler returns zero-terminated strings inside the buffer it filled.
    unsafe {
        while *p.add(len) != 0 {
            len += 1;
        }
        String::from_utf16_lossy(std::slice::from_raw_parts(p, len))
    }
}

fn last_error(what: &str) -> std::io::Error {
    let e = std::io::Error::last_os_error();
    std::io::Error::new(e.kind(), format!("{what}: {e}"))
}

/// An open print queue; closed when dropped.
struct Queue(PRINTER_HANDLE);

impl Queue {
    fn open(name: &str) -> Result<Queue, std::io::Error> {
        let name = wide(name);
        let mut handle = PRINTER_HANDLE::default();
        // SAFETY: `name` is zero-terminated and outlives the call; `handle` is written once.
        let ok = unsafe { OpenPrinterW(name.as_ptr(), &mut handle, std::ptr::null()) };
        if ok == 0 {
            return Err(last_error("OpenPrinterW"));
        }
        Ok(Queue(handle))
    }

    /// `(Status, Attributes)` of the queue (PRINTER_INFO_2).
    fn state(&self) -> Result<(u32, u32), std::io::Error> {
        let mut needed = 0u32;
        // SAFETY: a size query with no buffer; `needed` receives the size.
        unsafe { GetPrinterW(self.0, 2, std::ptr::null_mut(), 0, &mut needed) };
        if needed == 0 {
            return Err(last_error("GetPrinterW"));
        }
        // u64 elements keep the buffer aligned for PRINTER_INFO_2W.
        let mut buf = vec![0u64; (needed as usize).div_ceil(8)];
        // SAFETY: `buf` holds `needed` bytes; the spooler fills it with one PRINTER_INFO_2W.
        let ok = unsafe { GetPrinterW(self.0, 2, buf.as_mut_ptr().cast(), needed, &mut needed) };
        if ok == 0 {
            return Err(last_error("GetPrinterW"));
        }
        // SAFETY: the call succeeded, so the buffer starts with an initialised PRINTER_INFO_2W.
        let info = unsafe { &*(buf.as_ptr() as *const PRINTER_INFO_2W) };
        Ok((info.Status, info.Attributes))
    }
}

impl Drop for Queue {
    fn drop(&mut self) {
        // SAFETY: the handle came from OpenPrinterW and is closed once.
        unsafe { ClosePrinter(self.0) };
    }
}

pub struct Spooler {
    name: String,
    queue: Queue,
}

impl Spooler {
    pub fn open(name: &str) -> Result<Spooler, TransportError> {
        let queue = Queue::open(name).map_err(|e| {
            TransportError::Connect(
                format!("spooler:{name}"),
                std::io::Error::new(
                    e.kind(),
                    format!("{e}; the queue name is the one in Windows' Printers & scanners"),
                ),
            )
        })?;
        Ok(Spooler {
            name: name.into(),
            queue,
        })
    }

    /// What keeps the queue from printing now, in the words of `PrinterStatus::blocker`.
    pub fn blocker(&self) -> Option<&'static str> {
        let (status, attributes) = self.queue.state().ok()?;
        if status & PRINTER_STATUS_PAPER_OUT != 0 {
            Some("Қағаз бітті / Закончилась бумага")
        } else if status & PRINTER_STATUS_DOOR_OPEN != 0 {
            Some("Принтер қақпағы ашық / Открыта крышка принтера")
        } else if status & PRINTER_STATUS_OFFLINE != 0
            || attributes & PRINTER_ATTRIBUTE_WORK_OFFLINE != 0
        {
            Some("Принтер желіде емес / Принтер не в сети")
        } else if status & PRINTER_STATUS_ERROR != 0 {
            Some("Принтер қатесі / Ошибка принтера")
        } else {
            None
        }
    }

    fn job(&self, bytes: &[u8]) -> Result<(), std::io::Error> {
        let mut doc_name = wide("Sauda receipt");
        let mut datatype = wide("RAW");
        let info = DOC_INFO_1W {
            pDocName: doc_name.as_mut_ptr(),
            pOutputFile: std::ptr::null_mut(),
            pDatatype: datatype.as_mut_ptr(),
        };
        // SAFETY: `info` and the strings it points to live until the job is started.
        if unsafe { StartDocPrinterW(self.queue.0, 1, &info) } == 0 {
            return Err(last_error("StartDocPrinterW"));
        }
        let result = (|| {
            // SAFETY: a job is open on this handle.
            if unsafe { StartPagePrinter(self.queue.0) } == 0 {
                return Err(last_error("StartPagePrinter"));
            }
            for chunk in bytes.chunks(32 * 1024) {
                let mut written = 0u32;
                // SAFETY: `chunk` is valid for its length; `written` receives the count.
                let ok = unsafe {
                    WritePrinter(
                        self.queue.0,
                        chunk.as_ptr().cast(),
                        chunk.len() as u32,
                        &mut written,
                    )
                };
                if ok == 0 || written as usize != chunk.len() {
                    return Err(last_error("WritePrinter"));
                }
            }
            // SAFETY: the page was started above.
            if unsafe { EndPagePrinter(self.queue.0) } == 0 {
                return Err(last_error("EndPagePrinter"));
            }
            Ok(())
        })();
        // SAFETY: the job was started above; it is ended whatever happened inside.
        unsafe { EndDocPrinter(self.queue.0) };
        result
    }
}

impl Transport for Spooler {
    fn name(&self) -> String {
        format!("spooler:{}", self.name)
    }

    fn send(&mut self, bytes: &[u8]) -> Result<(), TransportError> {
        if let Some(why) = self.blocker() {
            return Err(TransportError::Write(
                self.name(),
                std::io::Error::other(why),
            ));
        }
        self.job(bytes)
            .map_err(|e| TransportError::Write(self.name(), e))
    }

    fn ask(&mut self, _query: [u8; 3]) -> Option<u8> {
        None
    }
}

/// The names of the print queues of this computer and its connections.
pub fn queues() -> Vec<String> {
    let flags = PRINTER_ENUM_LOCAL | PRINTER_ENUM_CONNECTIONS;
    let (mut needed, mut count) = (0u32, 0u32);
    // SAFETY: a size query with no buffer.
    unsafe {
        EnumPrintersW(
            flags,
            std::ptr::null(),
            4,
            std::ptr::null_mut(),
            0,
            &mut needed,
            &mut count,
        )
    };
    if needed == 0 {
        return Vec::new();
    }
    let mut buf = vec![0u64; (needed as usize).div_ceil(8)];
    // SAFETY: `buf` holds `needed` bytes, aligned for PRINTER_INFO_4W.
    let ok = unsafe {
        EnumPrintersW(
            flags,
            std::ptr::null(),
            4,
            buf.as_mut_ptr().cast(),
            needed,
            &mut needed,
            &mut count,
        )
    };
    if ok == 0 {
        return Vec::new();
    }
    // SAFETY: on success the buffer starts with `count` initialised PRINTER_INFO_4W.
    let infos = unsafe {
        std::slice::from_raw_parts(buf.as_ptr() as *const PRINTER_INFO_4W, count as usize)
    };
    infos.iter().map(|i| from_wide(i.pPrinterName)).collect()
}
