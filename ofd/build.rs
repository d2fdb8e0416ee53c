//! Compiles our own `.proto` files (written from spec/ofd-protocol.md, one folder per
//! protocol version) with protox, a pure-Rust compiler, so no `protoc` is needed.

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    for version in ["v203", "v204"] {
        let dir = PathBuf::from("proto").join(version);
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "proto"))
            .collect();
        files.sort();
        let descriptors = protox::compile(&files, [&dir])?;
        prost_build::Config::new().compile_fds(descriptors)?;
    }
    Ok(())
}
