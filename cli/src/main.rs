//! `sauda`: the register from a terminal, for service engineers, scripts and tests.
//! Every subcommand logs in with a PIN and calls the core's `dispatch`; this file only
//! parses, wires and prints. It must not implement fiscal rules itself.

mod args;
mod catalogue;
mod demo;
mod inspector;
mod parse;
mod print;
mod serve;
mod server_config;

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result, anyhow};
use clap::Parser;
use sauda::commands::dto::{ExportPage, ReceiptOut, ReportOut, VerifyOut};
use sauda::commands::{COMMANDS, dispatch};
use sauda::journal::keys::KeyStorePreference;
use sauda::ports::SystemClock;
use sauda::users::Caller;
use sauda::{Core, InitInput};
use serde_json::{Value, json};

use sauda_cli::printing;
use sauda_cli::register::{open, printer_profile};

use args::{Cli, Command, LinkCommand, SettingsCommand, UserCommand};

fn main() {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("sauda: {}", one_line(&e));
            std::process::exit(1);
        }
    }
}

fn one_line(e: &anyhow::Error) -> String {
    e.chain()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(": ")
}

pub(crate) fn call(core: &Core, pin: &str, name: &str, input: Value) -> Result<Value> {
    let caller = core.login(pin)?;
    Ok(dispatch(core, &caller, name, input)?)
}

fn run(cli: Cli) -> Result<i32> {
    let dir = cli.data.as_path();
    match cli.command {
        Command::Init(a) => init(dir, a),
        Command::User(u) => user(dir, u),
        Command::Sale(a) => {
            let core = open(dir)?;
            let mut items = a
                .items
                .iter()
                .map(|s| parse::item(s))
                .collect::<Result<Vec<_>>>()?;
            items.extend(catalogue::scanned_items(&core, &a.pin, &a.scans)?);
            let mut input = json!({
                "operation": if a.buy { "buy" } else { "sell" },
                "items": items,
                "payments": a.payments.iter().map(|s| parse::payment(s)).collect::<Result<Vec<_>>>()?,
                "buyer": {"iin_bin": a.buyer_iin, "email": a.email, "phone": a.phone},
            });
            input["adjustment"] = match (&a.discount, &a.markup) {
                (Some(_), Some(_)) => {
                    return Err(anyhow!("give either --discount or --markup, not both"));
                }
                (Some(d), None) => parse::adjustment("discount", d)?,
                (None, Some(m)) => parse::adjustment("markup", m)?,
                (None, None) => Value::Null,
            };
            let out = call(&core, &a.pin, "receipt_sell", input)?;
            show_receipt(out, a.json)
        }
        Command::Return(a) => {
            let core = open(dir)?;
            let mut items: Vec<Value> = a
                .items
                .iter()
                .map(|s| parse::return_item(s))
                .collect::<Result<_>>()?;
            for l in &a.lines {
                items.push(parse::return_line(l)?);
            }
            let payments: Vec<Value> = a
                .payments
                .iter()
                .map(|s| parse::payment(s))
                .collect::<Result<_>>()?;
            let input = json!({
                "original_number": a.original,
                "items": if items.is_empty() { Value::Null } else { Value::Array(items) },
                "payments": if payments.is_empty() { Value::Null } else { Value::Array(payments) },
            });
            let out = call(&core, &a.pin, "receipt_return", input)?;
            show_receipt(out, a.json)
        }
        Command::Receipt(args::ReceiptArgs {
            action: Some(args::ReceiptAction::Print(p)),
            ..
        }) => {
            let core = open(dir)?;
            let profile = printer_profile(&p.profile)?;
            core.attach_printer(Box::new(printing::TargetPrinter::new(&p.to, profile)?));
            let out = call(
                &core,
                &p.pin,
                "receipt_print",
                json!({"number": p.number, "lang": p.lang}),
            )?;
            println!(
                "receipt {} printed{}",
                p.number,
                if out["copy"] == true {
                    " as a copy (КӨШІРМЕ / КОПИЯ)"
                } else {
                    ""
                }
            );
            Ok(0)
        }
        Command::Receipt(a) => {
            let (Some(pin), Some(number)) = (a.pin.as_deref(), a.number) else {
                return Err(anyhow!("give the receipt's number and --pin"));
            };
            let core = open(dir)?;
            let profile = printer_profile(&a.profile)?;
            let out = call(
                &core,
                pin,
                "receipt_electronic",
                json!({"number": number, "lang": a.lang, "to": {"email": a.email},
                       "columns": profile.chars}),
            )?;
            if let Some(target) = &a.print {
                let lines: Vec<sauda::receipt_layout::Line> =
                    serde_json::from_value(out["lines"].clone())?;
                printing::print(&lines, &profile, target)?;
                return Ok(0);
            }
            if a.json {
                print::json(&out);
            } else {
                print!("{}", out["text"].as_str().unwrap_or_default());
            }
            Ok(0)
        }
        Command::ReturnForeign(a) => {
            let core = open(dir)?;
            let input = json!({
                "original": {
                    "rnm": a.rnm,
                    "fiscal_sign": a.sign,
                    "date_time": a.date,
                    "total_tiyn": parse::tiyn(&a.total)?,
                    "offline": a.offline,
                },
                "items": a.items.iter().map(|s| parse::item(s)).collect::<Result<Vec<_>>>()?,
                "payments": a.payments.iter().map(|s| parse::payment(s)).collect::<Result<Vec<_>>>()?,
            });
            let out = call(&core, &a.pin, "receipt_return_external", input)?;
            show_receipt(out, a.json)
        }
        Command::CashIn(a) => cash(dir, a, "cash_deposit"),
        Command::CashOut(a) => cash(dir, a, "cash_withdraw"),
        Command::X(a) => report(dir, &a, "report_x"),
        Command::Z(a) => report(dir, &a, "shift_close"),
        Command::Report(a) => {
            let name = match a.kind.as_str() {
                "by-cashier" => "report_by_cashier",
                "by-section" => "report_by_section",
                other => {
                    return Err(anyhow!(
                        "unknown report '{other}': use by-cashier or by-section"
                    ));
                }
            };
            let core = open(dir)?;
            let kind = name.trim_start_matches("report_");
            let text = report_on_paper(
                &core,
                &a.pin,
                kind,
                a.shift,
                &a.paper,
                (!a.json).then_some(48),
            )?;
            match text {
                Some(text) => print!("{text}"),
                None => print::json(&call(&core, &a.pin, name, json!({"shift": a.shift}))?),
            }
            Ok(0)
        }
        Command::Status(a) => {
            let core = open(dir)?;
            let out = call(&core, &a.pin, "register_status", Value::Null)?;
            if a.json {
                print::json(&out)
            } else {
                println!("{}", serde_json::to_string_pretty(&out)?)
            }
            Ok(0)
        }
        Command::Settings(s) => settings(dir, s),
        Command::Demo(a) => demo::run(demo::DemoArgs {
            dir,
            operator: &a.operator,
            check_page: &a.check_page,
            stay: a.stay,
        }),
        Command::Serve(a) => serve::run(dir, a),
        Command::Inspector(c) => inspector::run(dir, c),
        Command::Catalogue(c) => catalogue::run(&open(dir)?, c),
        Command::Printers(a) => printers(&a),
        Command::Link(l) => {
            let (pin, as_json, name, input) = match l {
                LinkCommand::Status(a) => (a.pin, a.json, "link_status", Value::Null),
                LinkCommand::Test(a) => (a.pin, a.json, "link_test", Value::Null),
                LinkCommand::Replay(a) => (a.pin, a.json, "link_replay", Value::Null),
                LinkCommand::Registration(a) => (a.pin, a.json, "link_registration", Value::Null),
                LinkCommand::X(a) => (a.pin, a.json, "link_report_x", Value::Null),
                LinkCommand::Resolve {
                    pin,
                    action,
                    reason,
                    json,
                } => (
                    pin,
                    json,
                    "link_resolve",
                    json!({"action": action, "reason": reason}),
                ),
            };
            let core = open(dir)?;
            let out = call(&core, &pin, name, input)?;
            if as_json {
                print::json(&out);
            } else if matches!(name, "link_registration" | "link_report_x") {
                println!("{}", serde_json::to_string_pretty(&out)?);
            } else {
                print::link(&serde_json::from_value(out)?);
            }
            Ok(0)
        }
        Command::Verify(a) => verify(dir, a.json),
        Command::Export(a) => export(dir, a),
        Command::Rebuild(a) => {
            let core = open(dir)?;
            let out = call(&core, &a.pin, "journal_rebuild", Value::Null)?;
            print::json(&out);
            Ok(0)
        }
        Command::Bench(a) if a.print => {
            let figures = sauda_printers::bench::run(a.quick);
            if a.json {
                print::json(&serde_json::to_value(&figures)?);
            } else {
                sauda_printers::bench::print(&figures);
            }
            Ok(0)
        }
        Command::Bench(a) if a.catalogue => {
            let goods = if a.quick { 20_000 } else { 200_000 };
            let figures = sauda::catalogue::bench::run(dir, goods)?;
            if a.json {
                print::json(&serde_json::to_value(&figures)?);
            } else {
                sauda::catalogue::bench::print(&figures);
            }
            Ok(0)
        }
        Command::Bench(a) if a.inspector => {
            let figures = sauda::commands::period_bench::run(a.quick)?;
            if a.json {
                print::json(&serde_json::to_value(&figures)?);
            } else {
                sauda::commands::period_bench::print(&figures);
            }
            Ok(0)
        }
        Command::Bench(a) if a.server => {
            let (registers, clients, sales) = if a.quick { (10, 4, 50) } else { (50, 20, 200) };
            let figures = sauda_server::bench::run(registers, clients, sales)?;
            if a.json {
                print::json(&serde_json::to_value(&figures)?);
            } else {
                sauda_server::bench::print(&figures);
            }
            Ok(0)
        }
        Command::Bench(a) if a.link => {
            let figures = sauda::link::bench::run(a.quick)?;
            if a.json {
                print::json(&serde_json::to_value(&figures)?);
            } else {
                sauda::link::bench::print(&figures);
            }
            Ok(0)
        }
        Command::Bench(a) => {
            let figures = sauda::bench::run(a.quick)?;
            if a.json {
                print::json(&serde_json::to_value(&figures)?);
            } else {
                sauda::bench::print(&figures);
            }
            Ok(0)
        }
        Command::Commands => {
            for c in COMMANDS {
                println!(
                    "{:<20} {:<12} {} -> {}",
                    c.name,
                    format!("{:?}", c.access),
                    c.input,
                    c.output
                );
            }
            Ok(0)
        }
    }
}

fn cash(dir: &Path, a: args::CashArgs, name: &str) -> Result<i32> {
    let core = open(dir)?;
    let out = call(
        &core,
        &a.pin,
        name,
        json!({"amount_tiyn": parse::tiyn(&a.amount)?}),
    )?;
    if a.json {
        print::json(&out);
    } else {
        println!(
            "{} № {}: {} · кассада / в кассе {}",
            out["direction"].as_str().unwrap_or(""),
            out["number"],
            print::tenge(out["amount_tiyn"].as_i64().unwrap_or(0)),
            print::tenge(out["cash_in_drawer_tiyn"].as_i64().unwrap_or(0))
        );
    }
    Ok(0)
}

fn show_receipt(out: Value, as_json: bool) -> Result<i32> {
    if as_json {
        print::json(&out);
    } else {
        let r: ReceiptOut = serde_json::from_value(out)?;
        print::receipt(&r);
    }
    Ok(0)
}

fn report(dir: &Path, a: &args::ShiftReportArgs, name: &str) -> Result<i32> {
    let core = open(dir)?;
    // A Z prints by itself at close on an attached printer, in --lang.
    let input = match name {
        "shift_close" => json!({"lang": a.paper.lang}),
        _ => Value::Null,
    };
    let out = call(&core, &a.pin, name, input)?;
    let r: ReportOut = serde_json::from_value(out.clone())?;
    if a.json {
        print::json(&out);
    } else {
        print::report(&r);
    }
    let (kind, shift) = match r.z_number {
        Some(_) => ("z", Some(r.report.shift_no)),
        None => ("x", None),
    };
    report_on_paper(&core, &a.pin, kind, shift, &a.paper, None)?;
    Ok(0)
}

/// Prints a report to `--print` when asked; `show`: also lay it out as text at this
/// width and return it.
fn report_on_paper(
    core: &sauda::Core,
    pin: &str,
    kind: &str,
    shift: Option<i64>,
    paper: &args::PaperArgs,
    show: Option<usize>,
) -> Result<Option<String>> {
    let lay_out = |columns: usize| {
        call(
            core,
            pin,
            "report_print",
            json!({"kind": kind, "shift": shift, "lang": paper.lang, "columns": columns}),
        )
        .and_then(|out| {
            Ok(serde_json::from_value::<Vec<sauda::receipt_layout::Line>>(
                out["lines"].clone(),
            )?)
        })
    };
    if let Some(target) = &paper.print {
        let profile = printer_profile(&paper.profile)?;
        printing::print(&lay_out(profile.chars)?, &profile, target)?;
    }
    show.map(|w| Ok(sauda::receipt_layout::plain_text(&lay_out(w)?, w)))
        .transpose()
}

/// `sauda printers`: profiles, printers found, and the test page on request.
fn printers(a: &args::PrintersArgs) -> Result<i32> {
    use sauda_printers::discovery;
    if let Some(target) = &a.test {
        let profile = printer_profile(&a.profile)?;
        // Kazakhstan has one time zone, UTC+5, since 1 March 2024.
        let offset = time::UtcOffset::from_hms(5, 0, 0).unwrap_or(time::UtcOffset::UTC);
        let now = time::OffsetDateTime::now_utc().to_offset(offset);
        let at = format!("{} (UTC+5)", sauda::receipt_layout::local_stamp(now));
        printing::print(
            &sauda_printers::test_page::lines(&profile, target, &at),
            &profile,
            target,
        )?;
        return Ok(0);
    }
    let mut found = discovery::local();
    if let Some(range) = &a.scan {
        let hosts = discovery::addresses(range).map_err(|e| anyhow!(e))?;
        found.extend(discovery::network(
            &hosts,
            a.port,
            std::time::Duration::from_millis(400),
        ));
    }
    let built_in = sauda_printers::Profile::built_in();
    let profiles: Vec<Value> = built_in
        .iter()
        .map(|p| {
            json!({"name": p.name, "width_dots": p.width_dots, "chars": p.chars,
                        "native_qr": p.native_qr, "inline_glyphs": p.inline_glyphs,
                        "cutter": p.cutter, "drawer": p.drawer})
        })
        .collect();
    if a.json {
        print::json(&json!({"profiles": profiles, "found": found}));
        return Ok(0);
    }
    println!("Profiles:");
    for p in &built_in {
        println!(
            "  {:<22} {} mm, {} characters",
            p.name,
            if p.width_dots >= 576 { 80 } else { 58 },
            p.chars
        );
    }
    println!("Printers found:");
    if found.is_empty() {
        println!("  none (a network printer needs --scan 192.168.1.0/24)");
    }
    for f in &found {
        println!("  {:<32} {}", f.target, f.description);
    }
    Ok(0)
}

fn init(dir: &Path, a: args::InitArgs) -> Result<i32> {
    let mut settings = sauda::registration::demo_settings();
    if !a.demo {
        let need = |v: &Option<String>, flag: &str| {
            v.clone().ok_or_else(|| {
                anyhow!("{flag} is required to register a real register (or use --demo)")
            })
        };
        settings.demo = false;
        settings.rnm = need(&a.rnm, "--rnm")?;
        settings.kkm_id = need(&a.kkm_id, "--kkm-id")?;
        settings.token = a.token.ok_or_else(|| {
            anyhow!("--token is required (the initial token from the operator's portal)")
        })?;
        settings.ofd_channels = need(&a.ofd, "--ofd")?
            .split(',')
            .map(|s| s.trim().to_string())
            .collect();
        settings.org_name = need(&a.org, "--org")?;
        settings.bin = need(&a.bin, "--bin")?;
        settings.address = need(&a.address, "--address")?;
        settings.factory_number = need(&a.factory_number, "--factory-number")?;
        settings.ofd_name = need(&a.ofd_name, "--ofd-name")?;
        settings.receipt_check_url = need(&a.check_url, "--check-url")?;
        settings.vat_payer = !a.no_vat;
        settings.vat_certificate = a.vat_certificate.clone();
        settings.protocol_version = a.protocol.clone();
        settings.utc_offset_minutes = a.utc_offset;
        settings.location = a.location.clone();
        settings.default_vat_group = if a.no_vat {
            "exempt".into()
        } else {
            "16".into()
        };
    }
    let (core, warnings) = Core::init(
        dir,
        InitInput {
            settings,
            admin_name: a.admin_name,
            admin_pin: a.admin_pin,
            key_store: KeyStorePreference::from_env(),
        },
        Arc::new(SystemClock),
    )?;
    for w in warnings {
        eprintln!("sauda: warning: {w}");
    }
    let s = core.settings();
    println!(
        "registered {} (РНМ {}, factory № {}) in {}{}",
        s.org_name,
        s.rnm,
        s.factory_number,
        dir.display(),
        if s.demo {
            " — DEMO register, its documents are not fiscal"
        } else {
            ""
        }
    );
    Ok(0)
}

fn user(dir: &Path, u: UserCommand) -> Result<i32> {
    let core = open(dir)?;
    match u {
        UserCommand::Add {
            pin,
            role,
            name,
            new_pin,
            json,
        } => {
            let out = call(
                &core,
                &pin,
                "user_add",
                json!({"name": name, "role": role, "pin": new_pin}),
            )?;
            if json {
                print::json(&out)
            } else {
                println!(
                    "added user {} ({}) with id {}",
                    out["name"].as_str().unwrap_or(""),
                    out["role"].as_str().unwrap_or(""),
                    out["id"]
                )
            }
        }
        UserCommand::List { pin, json } => {
            let out = call(&core, &pin, "user_list", Value::Null)?;
            if json {
                print::json(&out);
            } else if let Some(list) = out.as_array() {
                for u in list {
                    println!(
                        "{:>4}  {:<10} {:<6} {}",
                        u["id"],
                        u["role"].as_str().unwrap_or(""),
                        if u["active"] == true { "active" } else { "off" },
                        u["name"].as_str().unwrap_or("")
                    );
                }
            }
        }
        UserCommand::Disable { pin, id } => {
            call(&core, &pin, "user_disable", json!({"id": id}))?;
            println!("user {id} disabled");
        }
    }
    Ok(0)
}

fn settings(dir: &Path, s: SettingsCommand) -> Result<i32> {
    let core = open(dir)?;
    let out = match s {
        SettingsCommand::Show { pin } => call(&core, &pin, "settings_show", Value::Null)?,
        SettingsCommand::Set { pin, changes } => {
            let mut map = serde_json::Map::new();
            for c in &changes {
                let (k, v) = parse::setting(c)?;
                map.insert(k, v);
            }
            call(&core, &pin, "settings_update", json!({"changes": map}))?
        }
    };
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(0)
}

fn verify(dir: &Path, as_json: bool) -> Result<i32> {
    let core = open(dir)?;
    let out: VerifyOut = serde_json::from_value(dispatch(
        &core,
        &Caller::system(),
        "journal_verify",
        Value::Null,
    )?)?;
    if as_json {
        print::json(&serde_json::to_value(&out)?);
    } else if let Some(f) = &out.failure {
        // A key that cannot be reached says nothing about the journal itself.
        let verdict = if f.check == sauda::journal::verify::Check::Key {
            "CANNOT CHECK"
        } else {
            "DAMAGED"
        };
        println!(
            "{verdict}: {} (check: {:?}{})",
            f.message,
            f.check,
            f.seq.map(|s| format!(", record {s}")).unwrap_or_default()
        );
    } else {
        println!(
            "intact: {} records, {} closed shifts checked, last record {} ({:.3} s)",
            out.records, out.shifts_checked, out.last_seq, out.seconds
        );
    }
    Ok(if out.ok { 0 } else { 1 })
}

fn export(dir: &Path, a: args::ExportArgs) -> Result<i32> {
    let core = open(dir)?;
    let mut sink: Box<dyn Write> = match &a.out {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let mut after: Option<i64> = None;
    let mut first = true;
    let mut count = 0;
    loop {
        let page: ExportPage = serde_json::from_value(dispatch(
            &core,
            &Caller::system(),
            "journal_export",
            json!({"from": a.from, "to": a.to, "after_seq": after, "limit": 5000}),
        )?)?;
        if first {
            writeln!(
                sink,
                "{}",
                json!({
                    "format": "sauda-journal-export",
                    "version": 1,
                    "from": a.from,
                    "to": a.to,
                    "register": page.header,
                    "previous_checksum": page.previous_checksum,
                })
            )?;
            first = false;
        }
        for r in &page.records {
            writeln!(sink, "{}", serde_json::to_string(r)?)?;
            count += 1;
        }
        match page.next_after_seq {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    sink.flush()?;
    if a.out.is_some() {
        eprintln!("exported {count} records");
    }
    Ok(0)
}
