//! Repository rules that a compiler does not check: every Rust file opens with a `//!`
//! paragraph saying what it is for (ARCHITECTURE.md, "How we write code").

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() {
            if !matches!(name.to_str(), Some("target" | ".git" | "node_modules")) {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_rust_file_opens_with_a_module_comment() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["src", "tests", "cli", "xtask"] {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 20);
    let missing: Vec<String> = files
        .iter()
        .filter(|f| {
            std::fs::read_to_string(f).map_or(true, |text| !text.trim_start().starts_with("//!"))
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "files without a //! module comment: {missing:?}"
    );
}

/// the АБК ships the inspector's workstation and its manual, in both
/// languages the law asks of what people read.
#[test]
fn r83_r86_the_inspector_workstation_and_its_manual_ship() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let page = std::fs::read_to_string(root.join("ui/inspector.html")).expect("ui/inspector.html");
    assert!(page.contains("Салық инспекторының жұмыс орны"));
    let manual = std::fs::read_to_string(root.join("docs/inspector-manual.md"))
        .expect("docs/inspector-manual.md");
    for heading in ["## Қазақша", "## Русский", "Кіру", "Вход", "Экспорт"]
    {
        assert!(manual.contains(heading), "the manual has {heading}");
    }
}
