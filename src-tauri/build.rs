//! Embeds the built UI and the capability file, and declares the app's own commands so
//! that the capability file is what allows them (nothing is allowed by default).

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(&["call"])),
    )
    .expect("the Tauri build step failed: is ui/dist built (npm --prefix ui run build)?");
}
