//! The command line of `sauda`: what a service engineer or a script types. Parsing
//! only; every action goes through the core's `dispatch`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "sauda",
    version,
    about = "Sauda cash register (АБК): register, sell, report, verify"
)]
pub struct Cli {
    /// The register's data folder (one folder per register).
    #[arg(long, global = true, env = "SAUDA_DATA", default_value = "sauda-data")]
    pub data: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Register a new cash register in the data folder (a demo one with --demo).
    Init(InitArgs),
    /// Manage the people who work the register.
    #[command(subcommand)]
    User(UserCommand),
    /// Register a sale (or, with --buy, a purchase).
    Sale(SaleArgs),
    /// Show a stored receipt as its electronic receipt (to send it again, R-9).
    Receipt(ReceiptArgs),
    /// Return goods of an earlier receipt.
    Return(ReturnArgs),
    /// Return goods of a receipt another register issued (typed from the paper receipt).
    ReturnForeign(ReturnForeignArgs),
    /// Put cash into the drawer.
    CashIn(CashArgs),
    /// Take cash out of the drawer.
    CashOut(CashArgs),
    /// X report: the open shift so far, without closing it.
    X(ShiftReportArgs),
    /// Z report: close the shift.
    Z(ShiftReportArgs),
    /// Reports by cashier or by section.
    Report(ReportArgs),
    /// The register's state: shift, deadline, cash, integrity.
    Status(PinArgs),
    /// Show or change settings (changes need a closed shift, except the token).
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// Check the fiscal accumulator; exit 1 and name the first bad record if damaged.
    Verify(JsonArg),
    /// Write every record of a period as JSON lines (format in docs/export-format.md).
    Export(ExportArgs),
    /// Rebuild report projections from the journal.
    Rebuild(PinArgs),
    /// Measure the journal's speed against baselines taken in the same run.
    Bench(BenchArgs),
    /// Print every command of the core's command table with its role.
    Commands,
    /// The embedded demo in one process: the operator simulator in-process, a fresh DEMO
    /// register in --data linked to it, and a short working day with an outage.
    Demo(DemoArgs),
    /// The operator (ОФД) link: status, test, replay of the autonomous queue.
    #[command(subcommand)]
    Link(LinkCommand),
    /// Printer profiles and the printers this computer can reach; --scan probes the
    /// network on TCP 9100, --test prints the test page.
    Printers(PrintersArgs),
    /// The shop's catalogue: import and export CSV (columns in docs/catalogue-csv.md),
    /// find goods.
    #[command(subcommand)]
    Catalogue(CatalogueCommand),
    /// Serve the cashier's web UI, the inspector's workstation and the command API
    /// (HTTP on loopback, HTTPS on the network); with --demo, a fresh DEMO register in
    /// --data with the operator simulator, a virtual printer and a demo inspector.
    Serve(ServeArgs),
    /// The tax inspector's accounts and the access log of the server.
    #[command(subcommand)]
    Inspector(InspectorCommand),
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Plain HTTP for a browser on this computer (the till's own UI, tests); only a
    /// loopback address is allowed: anything reachable from the network needs HTTPS.
    /// 127.0.0.1:8080 when neither this nor a --config file names one.
    #[arg(long, env = "SAUDA_LISTEN")]
    pub listen: Option<String>,
    /// HTTPS for the tax inspector and thin clients on the network, e.g. 0.0.0.0:8443.
    /// With --demo it defaults to 127.0.0.1:8443 (or any free port if that is taken).
    #[arg(long, env = "SAUDA_TLS_LISTEN")]
    pub tls_listen: Option<String>,
    /// The server's certificate (PEM); without it a self-signed one is generated in the
    /// state folder on first start and its fingerprint printed for clients to pin.
    #[arg(long, env = "SAUDA_TLS_CERT", requires = "key")]
    pub cert: Option<PathBuf>,
    /// The certificate's private key (PEM).
    #[arg(long, env = "SAUDA_TLS_KEY", requires = "cert")]
    pub key: Option<PathBuf>,
    /// Extra host names or addresses the generated certificate is made for (repeatable).
    #[arg(long = "tls-name")]
    pub tls_names: Vec<String>,
    /// A server of several registers: a TOML file (docs/server.md); --data is then not
    /// used for registers.
    #[arg(long, env = "SAUDA_SERVER_CONFIG", conflicts_with = "demo")]
    pub config: Option<PathBuf>,
    /// Create a fresh DEMO register in --data (which must be empty) with the operator
    /// simulator in-process, a virtual printer that prints to PNG files, and a demo
    /// inspector account.
    #[arg(long)]
    pub demo: bool,
    /// The built web UI; by default ui/dist in the current folder or beside the program.
    #[arg(long, env = "SAUDA_UI")]
    pub ui: Option<PathBuf>,
    /// With --demo: where the simulator listens for the register (port 0: any free one).
    #[arg(long, default_value = "127.0.0.1:0")]
    pub operator: String,
    /// With --demo: where the simulator serves the receipt-check page.
    #[arg(long, default_value = "127.0.0.1:0")]
    pub check_page: String,
    /// With --demo: a line protocol to cut the simulated operator off and bring it back
    /// (`down`, `up`, …), for tests and demonstrations of autonomous mode, and
    /// `clock +HOURS` to move the demo register's clock forward.
    #[arg(long)]
    pub sim_control: Option<String>,
}

/// The tax inspector's accounts on this server and the access log.
#[derive(Subcommand, Debug)]
pub enum InspectorCommand {
    /// Add an account; the password is read from SAUDA_PASSWORD or the first line of
    /// standard input (at least 10 characters).
    Add {
        login: String,
        /// The inspector's full name, as reports show who took them.
        #[arg(long)]
        name: String,
        /// Register ids this inspector may read (repeatable); all when none is given.
        #[arg(long = "register")]
        registers: Vec<String>,
        /// First day the account works, YYYY-MM-DD (UTC).
        #[arg(long)]
        from: Option<String>,
        /// Last day the account works, YYYY-MM-DD (UTC), inclusive.
        #[arg(long)]
        until: Option<String>,
        #[command(flatten)]
        state: StateArgs,
    },
    /// List the accounts.
    List(StateArgs),
    /// Stop an account from logging in (its log stays).
    Disable {
        login: String,
        #[command(flatten)]
        state: StateArgs,
    },
    /// Set a new password (SAUDA_PASSWORD or standard input); lifts a lockout.
    Password {
        login: String,
        #[command(flatten)]
        state: StateArgs,
    },
    /// Print the access log, newest first, and check its chain.
    Log {
        /// Only this actor, e.g. inspector:ivanov.
        #[arg(long)]
        actor: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: i64,
        #[command(flatten)]
        state: StateArgs,
    },
}

#[derive(Args, Debug)]
pub struct StateArgs {
    /// The server's state folder (accounts, access log, certificate); by default the
    /// register's data folder (--data).
    #[arg(long, env = "SAUDA_STATE_DIR")]
    pub state: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct DemoArgs {
    /// Where the simulator listens for the register.
    #[arg(long, default_value = "127.0.0.1:7777")]
    pub operator: String,
    /// Where the simulator serves the receipt-check page the QR codes point to.
    #[arg(long, default_value = "127.0.0.1:7778")]
    pub check_page: String,
    /// Keep the simulator and its page running after the demo, until Ctrl-C.
    #[arg(long)]
    pub stay: bool,
}

#[derive(Subcommand, Debug)]
pub enum LinkCommand {
    /// Mode (online, autonomous, blocked), queue, 72-hour countdown, last error.
    Status(PinArgs),
    /// Send the availability message now (or replay the queue, if one waits).
    Test(PinArgs),
    /// Send the queued documents now, in order.
    Replay(PinArgs),
    /// Fetch the operator's registration data and compare them with the settings.
    Registration(PinArgs),
    /// Send the X report to the operator and show the operator's counts.
    X(PinArgs),
    /// Decide about a document the operator refused: resend it or remove it from the
    /// queue (administrator; the decision and the reason are journaled).
    Resolve {
        #[arg(long)]
        pin: String,
        /// resend or remove.
        #[arg(long)]
        action: String,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Debug)]
pub struct JsonArg {
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct PinArgs {
    #[arg(long)]
    pub pin: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// A demo register: marked DEMO on every document; no real operator.
    #[arg(long)]
    pub demo: bool,
    /// The first administrator's PIN (at least 4 digits).
    #[arg(long)]
    pub admin_pin: String,
    #[arg(long, default_value = "Administrator")]
    pub admin_name: String,
    /// Registration number with the tax authority (РНМ, at least 12 characters).
    #[arg(long)]
    pub rnm: Option<String>,
    /// The register's id at the operator (OFD id).
    #[arg(long)]
    pub kkm_id: Option<String>,
    /// The initial token from the operator's portal.
    #[arg(long)]
    pub token: Option<u32>,
    /// Operator addresses by priority: HOST:PORT[,HOST:PORT].
    #[arg(long)]
    pub ofd: Option<String>,
    #[arg(long)]
    pub ofd_name: Option<String>,
    /// Receipt-check site put in the QR code.
    #[arg(long)]
    pub check_url: Option<String>,
    /// Organisation name.
    #[arg(long)]
    pub org: Option<String>,
    /// Seller's BIN or IIN (12 digits).
    #[arg(long)]
    pub bin: Option<String>,
    /// Address of the point of sale.
    #[arg(long)]
    pub address: Option<String>,
    #[arg(long)]
    pub factory_number: Option<String>,
    /// The seller is not a VAT payer (no VAT on receipts).
    #[arg(long)]
    pub no_vat: bool,
    /// VAT registration certificate, SERIES/NUMBER.
    #[arg(long)]
    pub vat_certificate: Option<String>,
    /// Operator protocol version: 2.0.3 or 2.0.4.
    #[arg(long, default_value = "2.0.3")]
    pub protocol: String,
    /// Time zone as minutes from UTC (Kazakhstan: 300).
    #[arg(long, default_value_t = 300, allow_hyphen_values = true)]
    pub utc_offset: i32,
    /// Where the register stands: LATITUDE,LONGITUDE in degrees (sent to the operator).
    #[arg(long)]
    pub location: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Add a user (administrator's PIN needed).
    Add {
        #[arg(long)]
        pin: String,
        /// cashier, manager, admin or inspector.
        #[arg(long)]
        role: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        new_pin: String,
        #[arg(long)]
        json: bool,
    },
    /// List users.
    List {
        #[arg(long)]
        pin: String,
        #[arg(long)]
        json: bool,
    },
    /// Disable a user by id.
    Disable {
        #[arg(long)]
        pin: String,
        #[arg(long)]
        id: i64,
    },
}

#[derive(Args, Debug)]
pub struct SaleArgs {
    #[arg(long)]
    pub pin: String,
    /// 'NAME;PRICE;QTY[;VAT][;SECTION][;ADJUSTMENT]', e.g. 'Нан;250;2;16;1;-10%'.
    #[arg(long = "item", required_unless_present = "scans")]
    pub items: Vec<String>,
    /// A barcode or marking code as a scanner sends it, looked up in the catalogue
    /// (repeat per scan: each scan of a marked item's DataMatrix adds one unit).
    #[arg(long = "scan")]
    pub scans: Vec<String>,
    /// KIND:AMOUNT with KIND cash, card or mobile, e.g. cash:1000 (repeat for mixed).
    #[arg(long = "pay", required = true)]
    pub payments: Vec<String>,
    /// Discount on the whole receipt: 10% or 150.00.
    #[arg(long)]
    pub discount: Option<String>,
    /// Markup on the whole receipt: 5% or 50.00.
    #[arg(long)]
    pub markup: Option<String>,
    /// The buyer's IIN/BIN, printed on request.
    #[arg(long)]
    pub buyer_iin: Option<String>,
    /// Where to send the electronic receipt.
    #[arg(long)]
    pub email: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    /// A purchase from a person instead of a sale.
    #[arg(long)]
    pub buy: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct ReturnArgs {
    #[arg(long)]
    pub pin: String,
    /// The number of the original receipt.
    #[arg(long = "of")]
    pub original: i64,
    /// 'NAME[;PRICE];QTY' of the original to return; everything when omitted.
    #[arg(long = "item")]
    pub items: Vec<String>,
    /// LINE[:QTY]: a line of the original by number.
    #[arg(long = "line")]
    pub lines: Vec<String>,
    /// How the money goes back (KIND:AMOUNT); the original's way when omitted.
    #[arg(long = "pay")]
    pub payments: Vec<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct ShiftReportArgs {
    #[arg(long)]
    pub pin: String,
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub paper: PaperArgs,
}

/// Where and how a report is printed.
#[derive(Args, Debug)]
pub struct PaperArgs {
    /// Also print it: png:FILE, tcp:HOST:PORT, serial:DEVICE[@BAUD], usb:..., or file:PATH.
    #[arg(long)]
    pub print: Option<String>,
    /// Printer profile for --print.
    #[arg(long, default_value = "generic-80mm")]
    pub profile: String,
    /// kk or ru.
    #[arg(long, default_value = "kk")]
    pub lang: String,
}

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct ReceiptArgs {
    #[command(subcommand)]
    pub action: Option<ReceiptAction>,
    #[arg(long, required = true)]
    pub pin: Option<String>,
    /// The receipt's number.
    #[arg(required = true)]
    pub number: Option<i64>,
    /// kk or ru.
    #[arg(long, default_value = "kk")]
    pub lang: String,
    /// Send to this e-mail instead of the one given at the sale.
    #[arg(long)]
    pub email: Option<String>,
    /// Lay it out for this printer target without recording a print: png:FILE,
    /// tcp:HOST[:PORT], serial:DEVICE[@BAUD], usb:..., spooler:QUEUE or file:PATH.
    #[arg(long)]
    pub print: Option<String>,
    /// Printer profile (see `sauda printers`).
    #[arg(long, default_value = "generic-80mm")]
    pub profile: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand, Debug)]
pub enum ReceiptAction {
    /// Print receipt N (or cash slip N) on a printer, as the register does: a receipt
    /// the printer failed on is printed as the original and unblocks the register;
    /// any other is a marked copy with the same fiscal data (item 84).
    Print(ReceiptPrintArgs),
}

#[derive(Args, Debug)]
pub struct ReceiptPrintArgs {
    #[arg(long)]
    pub pin: String,
    pub number: i64,
    /// png:FILE.png or png:FOLDER, tcp:HOST[:PORT], serial:DEVICE[@BAUD], usb:/dev/usb/lp0,
    /// usb:VID:PID, spooler:QUEUE or file:PATH.
    #[arg(long)]
    pub to: String,
    /// Printer profile (see `sauda printers`).
    #[arg(long, default_value = "generic-80mm")]
    pub profile: String,
    /// kk or ru.
    #[arg(long, default_value = "kk")]
    pub lang: String,
}

#[derive(Args, Debug)]
pub struct ReturnForeignArgs {
    #[arg(long)]
    pub pin: String,
    /// The RNM of the register that issued the receipt, as printed.
    #[arg(long)]
    pub rnm: String,
    /// Its fiscal sign, as printed.
    #[arg(long)]
    pub sign: String,
    /// Its date and time, as printed: 'YYYY-MM-DD HH:MM'.
    #[arg(long)]
    pub date: String,
    /// Its total in tenge, as printed.
    #[arg(long)]
    pub total: String,
    /// The receipt says "Автономды" / "Автономный".
    #[arg(long)]
    pub offline: bool,
    /// 'NAME;PRICE;QTY[;VAT]' as printed; VAT group 12 is allowed for receipts before 2026.
    #[arg(long = "item", required = true)]
    pub items: Vec<String>,
    /// How the money goes back (KIND:AMOUNT).
    #[arg(long = "pay", required = true)]
    pub payments: Vec<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct CashArgs {
    #[arg(long)]
    pub pin: String,
    /// Amount in tenge, like 5000 or 1250.50.
    pub amount: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// by-cashier or by-section.
    pub kind: String,
    #[arg(long)]
    pub pin: String,
    /// A shift number; the open (or last) shift when omitted.
    #[arg(long)]
    pub shift: Option<i64>,
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub paper: PaperArgs,
}

#[derive(Subcommand, Debug)]
pub enum SettingsCommand {
    Show {
        #[arg(long)]
        pin: String,
    },
    /// FIELD=VALUE pairs; VALUE is JSON when it parses as JSON, else text.
    Set {
        #[arg(long)]
        pin: String,
        #[arg(required = true)]
        changes: Vec<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum CatalogueCommand {
    /// Import goods from CSV: every row is checked first; nothing is written unless all
    /// rows are valid (or --valid-only). Exit 1 when rows are bad.
    Import {
        file: PathBuf,
        /// A manager's or administrator's PIN.
        #[arg(long, env = "SAUDA_PIN")]
        pin: String,
        /// Check every row and write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Import the valid rows even when others are bad.
        #[arg(long)]
        valid_only: bool,
        #[arg(long)]
        json: bool,
    },
    /// Write the whole catalogue as CSV (UTF-8 with BOM, ';').
    Export {
        file: PathBuf,
        #[arg(long, env = "SAUDA_PIN")]
        pin: String,
    },
    /// Find goods by part of a name or code, or by a barcode.
    Find {
        text: String,
        #[arg(long, env = "SAUDA_PIN")]
        pin: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// First day, YYYY-MM-DD.
    #[arg(long)]
    pub from: String,
    /// Last day, YYYY-MM-DD, inclusive.
    #[arg(long)]
    pub to: String,
    /// Write here instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct PrintersArgs {
    /// An address or IPv4 block (e.g. 192.168.1.0/24) to probe for network printers.
    #[arg(long)]
    pub scan: Option<String>,
    /// The port probed by --scan.
    #[arg(long, default_value_t = 9100)]
    pub port: u16,
    /// Print the test page on this target (png:FILE, tcp:…, serial:…, usb:…, spooler:…).
    #[arg(long)]
    pub test: Option<String>,
    /// Printer profile for --test.
    #[arg(long, default_value = "generic-80mm")]
    pub profile: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct BenchArgs {
    #[arg(long)]
    pub json: bool,
    /// Smaller sizes, for a smoke run (not the figures for README).
    #[arg(long)]
    pub quick: bool,
    /// The operator link instead: pay → fiscal sign and replay, against the simulator.
    #[arg(long)]
    pub link: bool,
    /// Printing instead: layout and encoding time, bytes of a raster receipt.
    #[arg(long)]
    pub print: bool,
    /// The catalogue instead: CSV import, barcode lookups and name search of generated
    /// goods, built in the --data folder, which must be new or empty.
    #[arg(long)]
    pub catalogue: bool,
    /// The tax inspector's reports instead: a year of one register (about 300,000
    /// receipts; 30 days with --quick) built in a temporary folder, its period reports
    /// against a bare aggregate query.
    #[arg(long)]
    pub inspector: bool,
    /// The HTTP server instead: 50 registers, 20 clients selling at once on loopback
    /// (10 and 4 with --quick), latency per sale against the same sales in-process.
    #[arg(long)]
    pub server: bool,
}
