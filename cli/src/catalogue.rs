//! `sauda catalogue …` and `sauda sale --scan`: the catalogue from a terminal, so a
//! shop can script its price updates and tests can sell by barcode without the UI.
//!
//! Everything goes through the command table (`catalogue_*`); this file reads files,
//! merges repeated scans into lines and prints. It decides no rule itself.

use std::path::Path;

use anyhow::{Context, Result, anyhow};
use base64::Engine;
use sauda::Core;
use sauda::commands::dispatch;
use serde_json::{Value, json};

use crate::args::CatalogueCommand;

pub fn run(core: &Core, command: CatalogueCommand) -> Result<i32> {
    match command {
        CatalogueCommand::Import {
            file,
            pin,
            dry_run,
            valid_only,
            json,
        } => import(core, &file, &pin, dry_run, valid_only, json),
        CatalogueCommand::Export { file, pin } => {
            let out = crate::call(core, &pin, "catalogue_export", Value::Null)?;
            let csv = out["csv"].as_str().unwrap_or_default();
            std::fs::write(&file, csv)
                .with_context(|| format!("cannot write {}", file.display()))?;
            println!("{} goods written to {}", out["goods"], file.display());
            Ok(0)
        }
        CatalogueCommand::Find { text, pin, json } => {
            let out = crate::call(core, &pin, "catalogue_search", json!({ "text": text }))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&out)?);
                return Ok(0);
            }
            let goods = out["goods"].as_array().cloned().unwrap_or_default();
            for g in &goods {
                println!(
                    "{:<10} {:>12}  {}  [{}]",
                    g["code"].as_str().unwrap_or_default(),
                    crate::print::tenge(g["price_tiyn"].as_i64().unwrap_or_default()),
                    g["name_kk"].as_str().unwrap_or_default(),
                    g["barcodes"]
                        .as_array()
                        .map(|b| b
                            .iter()
                            .filter_map(Value::as_str)
                            .collect::<Vec<_>>()
                            .join(" "))
                        .unwrap_or_default()
                );
            }
            println!("{} shown of {} goods", goods.len(), out["total"]);
            Ok(0)
        }
    }
}

fn import(
    core: &Core,
    file: &Path,
    pin: &str,
    dry_run: bool,
    valid_only: bool,
    as_json: bool,
) -> Result<i32> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let input = json!({
        "content_base64": base64::engine::general_purpose::STANDARD.encode(&bytes),
        "dry_run": dry_run,
        "valid_only": valid_only,
    });
    let report = crate::call(core, pin, "catalogue_import", input)?;
    let errors = report["errors"].as_array().cloned().unwrap_or_default();
    if as_json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "{}: {} rows read as {}, {} valid, {} with errors",
            file.display(),
            report["rows"],
            report["encoding"].as_str().unwrap_or_default(),
            report["valid"],
            errors.len()
        );
        for e in &errors {
            println!(
                "  line {}: {}",
                e["line"],
                e["message"].as_str().unwrap_or_default()
            );
        }
        if report["imported"].as_bool() == Some(true) {
            println!(
                "imported: {} added, {} updated",
                report["added"], report["updated"]
            );
        } else if dry_run {
            println!("dry run: nothing was written");
        } else {
            println!(
                "nothing was written: fix the rows above, or add --valid-only to import the rest"
            );
        }
    }
    Ok(if errors.is_empty() { 0 } else { 1 })
}

/// Sale lines for `sauda sale --scan`: each scan is looked up by the core; scans of the
/// same article add to one line, and each marking code adds one unit with its code.
pub fn scanned_items(core: &Core, pin: &str, scans: &[String]) -> Result<Vec<Value>> {
    let mut items: Vec<Value> = Vec::new();
    // One login for all the scans: each would cost a PIN check and a journal write.
    let caller = core.login(pin)?;
    for text in scans {
        let out = dispatch(core, &caller, "catalogue_scan", json!({ "text": text }))?;
        let message = out["message"].as_str().unwrap_or_default().to_string();
        let Some(item) = out.get("item").filter(|i| !i.is_null()).cloned() else {
            return Err(anyhow!("--scan {text}: {message}"));
        };
        let needs = |flag: &str| out[flag].as_bool() == Some(true);
        if needs("needs_mark") || needs("needs_quantity") || needs("needs_price") {
            return Err(anyhow!("--scan {text}: {message}"));
        }
        let code = item["goods_code"].clone();
        let marks = item["marks"].as_array().cloned().unwrap_or_default();
        // Weighed lines stay apart (each has its own weight); pieces add up.
        let same = items
            .iter_mut()
            .find(|i| i["goods_code"] == code && i["unit"] == "796" && item["unit"] == "796");
        match same {
            Some(line) => {
                let quantity = line["quantity_milli"].as_i64().unwrap_or_default()
                    + item["quantity_milli"].as_i64().unwrap_or_default();
                line["quantity_milli"] = json!(quantity);
                if let Some(list) = line["marks"].as_array_mut() {
                    list.extend(marks);
                } else if !marks.is_empty() {
                    line["marks"] = Value::Array(marks);
                }
            }
            None => items.push(item),
        }
    }
    Ok(items)
}
