//! `sauda bench --server`: the HTTP server under a bounded load (issue 8): many
//! registers, clients selling at once over loopback, each sale timed from the first
//! byte of its request to the last byte of its answer; every sale that is not a 200 is
//! an error. The baseline, measured in the same run, is the same number of sales by one
//! caller on one register through `dispatch` in-process: no HTTP, no concurrency.
//!
//! Everything lives in a temporary folder and a server on 127.0.0.1:0 that stops when
//! the clients have sold their fixed number of receipts; it must never touch a shop's
//! registers. The client is a few lines of plain HTTP/1.1 over one kept-alive TCP
//! connection per client, so that what is timed is the server, not a client library.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

use sauda::commands::dispatch;
use sauda::error::{ApiError, ErrorCode};
use sauda::ports::SystemClock;
use sauda::remote_access::{AccessError, AccessStore};
use sauda::{Core, InitInput};
use serde::Serialize;
use serde_json::{Value, json};

use crate::registers::RegistersError;
use crate::{AppState, Background, Registers, ServeError, ServerOptions};

const ADMIN_PIN: &str = "1111";
const CASHIER_PIN: &str = "3333";
/// The most a client waits for one answer before it counts the sale as failed.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(30);
/// Headers larger than this are not an answer of this server.
const MAX_HEAD: usize = 64 * 1024;

/// The two-line cash receipt every client sells.
const SALE: &str = r#"{"items":[{"name":"Нан","price_tiyn":25000,"quantity_milli":2000},{"name":"Сүт","price_tiyn":61050,"quantity_milli":1000,"vat_group":"16"}],"payments":[{"kind":"cash","amount_tiyn":200000}]}"#;

#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error("the benchmark's temporary folder: {0}")]
    Folder(std::io::Error),
    #[error("a benchmark register: {0}")]
    Register(#[from] ApiError),
    #[error(transparent)]
    Registers(#[from] RegistersError),
    #[error("the benchmark's access store: {0}")]
    Access(#[from] AccessError),
    #[error(transparent)]
    Serve(#[from] ServeError),
    #[error("client {client} could not log in: {message}")]
    Login { client: usize, message: String },
    #[error("the benchmark needs at least one register, one client and one sale")]
    Empty,
}

#[derive(Clone, Debug, Serialize)]
pub struct ServerFigures {
    pub registers: usize,
    pub clients: usize,
    pub sales_per_client: usize,
    /// Sales attempted over HTTP, errors included.
    pub sales: usize,
    /// Answers other than 200, and sales lost with their connection.
    pub errors: usize,
    /// The first error's answer, to say what went wrong.
    pub first_error: Option<String>,
    pub seconds: f64,
    pub sales_per_s: f64,
    pub http_p50_ms: f64,
    pub http_p95_ms: f64,
    pub http_p99_ms: f64,
    pub http_max_ms: f64,
    /// One caller, one register, `dispatch` in-process: the baseline.
    pub in_process_p50_ms: f64,
    pub in_process_p99_ms: f64,
    pub p99_ratio: f64,
}

/// `registers` registers served on loopback, `clients` clients each selling
/// `sales_per_client` receipts on register `client % registers`.
pub fn run(
    registers: usize,
    clients: usize,
    sales_per_client: usize,
) -> Result<ServerFigures, BenchError> {
    if registers == 0 || clients == 0 || sales_per_client == 0 {
        return Err(BenchError::Empty);
    }
    let tmp = tempfile::tempdir().map_err(BenchError::Folder)?;

    // The baseline first, on a register of its own, while nothing else runs.
    let solo = register_in(&tmp.path().join("solo"))?;
    let cashier = solo.login(CASHIER_PIN)?;
    let sale: Value = serde_json::from_str(SALE)
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
    let mut in_process = Vec::with_capacity(sales_per_client);
    for _ in 0..sales_per_client {
        let t = Instant::now();
        dispatch(&solo, &cashier, "receipt_sell", sale.clone())?;
        in_process.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    drop(solo);

    let mut list = Vec::with_capacity(registers);
    for n in 1..=registers {
        let id = format!("till-{n}");
        let core = register_in(&tmp.path().join(&id))?;
        list.push((id, Arc::new(core)));
    }
    let state_dir = tmp.path().join("server");
    std::fs::create_dir_all(&state_dir).map_err(BenchError::Folder)?;
    let access = AccessStore::open(&state_dir)?;
    let options = ServerOptions {
        // Every client logs in from 127.0.0.1 at once: the per-address limit on login
        // attempts, right for a shop, would refuse most of them.
        logins_per_minute: clients + 10,
        ..ServerOptions::default()
    };
    let state = AppState::new(
        Arc::new(Registers::new(list)?),
        Arc::new(Mutex::new(access)),
        options,
    );
    let server = Background::start(state, "127.0.0.1:0", None)?;

    let start_line = Arc::new(Barrier::new(clients + 1));
    let mut threads = Vec::with_capacity(clients);
    for client in 0..clients {
        let register = format!("till-{}", client % registers + 1);
        let (addr, start_line) = (server.addr(), start_line.clone());
        threads.push(std::thread::spawn(move || {
            sell(addr, &register, sales_per_client, &start_line)
        }));
    }
    start_line.wait();
    let started = Instant::now();
    let mut latencies = Vec::with_capacity(clients * sales_per_client);
    let (mut errors, mut first_error, mut login_failure) = (0, None, None);
    for (client, thread) in threads.into_iter().enumerate() {
        match thread.join() {
            Ok(Ok(done)) => {
                latencies.extend(done.latencies_ms);
                errors += done.errors;
                first_error = first_error.or(done.first_error);
            }
            Ok(Err(message)) => {
                login_failure.get_or_insert(BenchError::Login { client, message });
            }
            Err(_) => {
                errors += sales_per_client;
                first_error.get_or_insert_with(|| format!("client {client} panicked"));
            }
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    server.stop()?;
    if let Some(failure) = login_failure {
        return Err(failure);
    }

    let (http, in_process) = (sorted(latencies), sorted(in_process));
    let sales = clients * sales_per_client;
    Ok(ServerFigures {
        registers,
        clients,
        sales_per_client,
        sales,
        errors,
        first_error,
        seconds,
        sales_per_s: (sales - errors) as f64 / seconds.max(1e-9),
        http_p50_ms: quantile(&http, 0.50),
        http_p95_ms: quantile(&http, 0.95),
        http_p99_ms: quantile(&http, 0.99),
        http_max_ms: quantile(&http, 1.0),
        in_process_p50_ms: quantile(&in_process, 0.50),
        in_process_p99_ms: quantile(&in_process, 0.99),
        p99_ratio: quantile(&http, 0.99) / quantile(&in_process, 0.99).max(1e-9),
    })
}

/// A demo register with a cashier, its key in a file in the temporary folder.
fn register_in(dir: &Path) -> Result<Core, BenchError> {
    let (core, _) = Core::init(dir, InitInput::demo(ADMIN_PIN), Arc::new(SystemClock))?;
    let admin = core.login(ADMIN_PIN)?;
    dispatch(
        &core,
        &admin,
        "user_add",
        json!({"name": "Айгүл", "role": "cashier", "pin": CASHIER_PIN}),
    )?;
    Ok(core)
}

struct ClientRun {
    latencies_ms: Vec<f64>,
    errors: usize,
    first_error: Option<String>,
}

/// One client: logs in to `register`, waits for the others, then sells `sales`
/// receipts one after another on one kept-alive connection. `Err` only when it could
/// not log in; every failed sale is counted and the client goes on.
fn sell(
    addr: SocketAddr,
    register: &str,
    sales: usize,
    start_line: &Barrier,
) -> Result<ClientRun, String> {
    let login = (|| {
        let mut http = Http::connect(addr).map_err(|e| e.to_string())?;
        let body = json!({"pin": CASHIER_PIN}).to_string();
        let (status, answer) = http
            .post("session_login", None, Some(register), &body)
            .map_err(|e| e.to_string())?;
        let token = serde_json::from_slice::<Value>(&answer)
            .ok()
            .and_then(|v| v["token"].as_str().map(str::to_string));
        match (status, token) {
            (200, Some(token)) => Ok((http, token)),
            _ => Err(format!(
                "HTTP {status}: {}",
                String::from_utf8_lossy(&answer)
            )),
        }
    })();
    // The others must not wait for a client that will never sell.
    start_line.wait();
    let (mut http, token) = login?;
    let mut run = ClientRun {
        latencies_ms: Vec::with_capacity(sales),
        errors: 0,
        first_error: None,
    };
    for _ in 0..sales {
        let t = Instant::now();
        let answer = http.post("receipt_sell", Some(&token), None, SALE);
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        match answer {
            Ok((200, _)) => run.latencies_ms.push(ms),
            Ok((status, body)) => {
                run.errors += 1;
                run.first_error.get_or_insert_with(|| {
                    format!("HTTP {status}: {}", String::from_utf8_lossy(&body))
                });
            }
            Err(e) => {
                run.errors += 1;
                run.first_error
                    .get_or_insert_with(|| format!("connection: {e}"));
                // The connection is gone or out of step: the next sale gets a new one.
                match Http::connect(addr) {
                    Ok(fresh) => http = fresh,
                    Err(_) => {
                        // No connection at all: the sales not yet made fail too.
                        let attempted = run.latencies_ms.len() + run.errors;
                        run.errors += sales - attempted;
                        break;
                    }
                }
            }
        }
    }
    Ok(run)
}

/// A minimal HTTP/1.1 client: one connection kept alive, one request at a time, answers
/// framed by `Content-Length` (the only framing this server's JSON answers use).
struct Http {
    stream: TcpStream,
    /// Bytes read past the last answer; none while the server answers in step.
    pending: Vec<u8>,
}

impl Http {
    fn connect(addr: SocketAddr) -> std::io::Result<Http> {
        let stream = TcpStream::connect(addr)?;
        // A request goes out in one write; Nagle's wait would only add latency.
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(ANSWER_TIMEOUT))?;
        Ok(Http {
            stream,
            pending: Vec::new(),
        })
    }

    fn post(
        &mut self,
        command: &str,
        token: Option<&str>,
        register: Option<&str>,
        body: &str,
    ) -> std::io::Result<(u16, Vec<u8>)> {
        let mut request = format!(
            "POST /api/{command} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        );
        if let Some(token) = token {
            request.push_str(&format!("Authorization: Bearer {token}\r\n"));
        }
        if let Some(register) = register {
            request.push_str(&format!("X-Register: {register}\r\n"));
        }
        request.push_str("\r\n");
        request.push_str(body);
        self.stream.write_all(request.as_bytes())?;
        self.answer()
    }

    /// Reads one answer: the status, then exactly `Content-Length` bytes of body.
    fn answer(&mut self) -> std::io::Result<(u16, Vec<u8>)> {
        let head_end = loop {
            if let Some(at) = find(&self.pending, b"\r\n\r\n") {
                break at + 4;
            }
            if self.pending.len() > MAX_HEAD {
                return Err(invalid("the answer's headers never end"));
            }
            self.fill()?;
        };
        let head = std::str::from_utf8(&self.pending[..head_end])
            .map_err(|_| invalid("the answer's headers are not text"))?;
        let mut lines = head.split("\r\n");
        let status: u16 = lines
            .next()
            .and_then(|line| line.split(' ').nth(1))
            .and_then(|code| code.parse().ok())
            .ok_or_else(|| invalid("the answer has no status line"))?;
        let mut length = None;
        for line in lines {
            let Some((name, value)) = line.split_once(':') else {
                continue;
            };
            let name = name.trim();
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse::<usize>().ok();
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                return Err(invalid(
                    "a chunked answer: this client reads Content-Length only",
                ));
            }
        }
        let length = length.ok_or_else(|| invalid("the answer has no Content-Length"))?;
        while self.pending.len() < head_end + length {
            self.fill()?;
        }
        let body = self.pending[head_end..head_end + length].to_vec();
        self.pending.drain(..head_end + length);
        Ok((status, body))
    }

    fn fill(&mut self) -> std::io::Result<()> {
        let mut chunk = [0u8; 8192];
        let n = self.stream.read(&mut chunk)?;
        if n == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "the server closed the connection mid-answer",
            ));
        }
        self.pending.extend_from_slice(&chunk[..n]);
        Ok(())
    }
}

fn invalid(why: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, why.to_string())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(|a, b| a.total_cmp(b));
    v
}

/// The nearest-rank quantile of sorted values; NaN for none.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

pub fn print(f: &ServerFigures) {
    println!(
        "{} registers, {} clients selling at once on loopback, {} sales each: {} sales, {} errors",
        f.registers, f.clients, f.sales_per_client, f.sales, f.errors
    );
    if let Some(e) = &f.first_error {
        println!("  first error: {e}");
    }
    println!("  {:.0} sales/s over {:.1} s", f.sales_per_s, f.seconds);
    println!(
        "per sale over HTTP: p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        f.http_p50_ms, f.http_p95_ms, f.http_p99_ms, f.http_max_ms
    );
    println!(
        "per sale in-process, one caller (baseline): p50 {:.1} ms, p99 {:.1} ms",
        f.in_process_p50_ms, f.in_process_p99_ms
    );
    println!(
        "  p99 ratio {:.1} (goal: no errors, p99 under 100 ms)",
        f.p99_ratio
    );
}
