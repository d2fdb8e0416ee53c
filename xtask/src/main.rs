//! Project chores that are not part of the product: `cargo xtask trace` prints which
//! tests check which requirement of ../shared/spec/requirements.md (R-numbers found in
//! test names like `r15_...` or `r14_r28_...`), and which requirements have no test yet.
//! It reads source files only; it never builds or runs anything.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

fn main() -> Result<()> {
    let task = std::env::args().nth(1).unwrap_or_default();
    match task.as_str() {
        "trace" => trace(),
        _ => {
            eprintln!("usage: cargo xtask trace");
            std::process::exit(2);
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if !matches!(
                entry.file_name().to_str(),
                Some("target" | ".git" | "node_modules")
            ) {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// All R-numbers the requirements digest defines (R-1 … R-131 when it is not beside us).
fn requirement_numbers() -> Vec<u32> {
    let digest = root().join("../shared/spec/requirements.md");
    let mut numbers: Vec<u32> = std::fs::read_to_string(digest)
        .map(|text| {
            text.split("**R-")
                .skip(1)
                .filter_map(|rest| rest.split("**").next()?.parse().ok())
                .collect()
        })
        .unwrap_or_default();
    if numbers.is_empty() {
        numbers = (1..=131).collect();
    }
    numbers.sort_unstable();
    numbers.dedup();
    numbers
}

/// `fn r14_r28_z_closes…` → [14, 28].
fn numbers_in_test_name(name: &str) -> Vec<u32> {
    let mut out = Vec::new();
    for part in name.split('_') {
        match part.strip_prefix('r').and_then(|n| n.parse().ok()) {
            Some(n) => out.push(n),
            None => break,
        }
    }
    out
}

fn trace() -> Result<()> {
    let mut files = Vec::new();
    for dir in ["src", "tests", "cli", "ofd", "printers", "server"] {
        rust_files(&root().join(dir), &mut files);
    }
    let mut table: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    for file in &files {
        let text =
            std::fs::read_to_string(file).with_context(|| format!("read {}", file.display()))?;
        let relative = file
            .strip_prefix(root())
            .unwrap_or(file)
            .display()
            .to_string();
        for line in text.lines() {
            let Some(rest) = line.trim_start().strip_prefix("fn ") else {
                continue;
            };
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            for n in numbers_in_test_name(&name) {
                table
                    .entry(n)
                    .or_default()
                    .push(format!("{relative}::{name}"));
            }
        }
    }
    let all = requirement_numbers();
    for n in &all {
        if let Some(tests) = table.get(n) {
            println!("R-{n}");
            for t in tests {
                println!("    {t}");
            }
        }
    }
    let missing: Vec<String> = all
        .iter()
        .filter(|n| !table.contains_key(n))
        .map(|n| format!("R-{n}"))
        .collect();
    println!();
    println!(
        "{} of {} requirements have a test.",
        all.len() - missing.len(),
        all.len()
    );
    println!("Without a test yet: {}", missing.join(" "));
    Ok(())
}
