//! The `paper:` protocol of the desktop window: the pictures the virtual printer made
//! (`N.png` for document N, `report-K.png`), read from its folder so the payment and
//! return screens show the paper as the browser does under `/paper/`.
//!
//! Read-only, and only plain file names in that one folder: a request can never reach
//! another file.

use std::path::{Path, PathBuf};

use tauri::http::{Response, StatusCode, header};

/// The answer to `paper://localhost/NAME` (`http://paper.localhost/NAME` on Windows).
pub fn answer(folder: Option<&Path>, uri_path: &str) -> Response<Vec<u8>> {
    match folder.and_then(|f| picture(f, uri_path)) {
        Some(path) => match std::fs::read(&path) {
            Ok(bytes) => Response::builder()
                .header(header::CONTENT_TYPE, "image/png")
                // A reprint replaces a document's picture with the copy.
                .header(header::CACHE_CONTROL, "no-store")
                .body(bytes)
                .unwrap_or_else(|_| not_found()),
            Err(_) => not_found(),
        },
        None => not_found(),
    }
}

/// The file a request names, when it is a plain `.png` name inside the folder.
fn picture(folder: &Path, uri_path: &str) -> Option<PathBuf> {
    let name = uri_path.trim_start_matches('/');
    let plain = !name.is_empty()
        && name.ends_with(".png")
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        && !name.contains("..");
    plain.then(|| folder.join(name))
}

fn not_found() -> Response<Vec<u8>> {
    let mut response = Response::new(Vec::new());
    *response.status_mut() = StatusCode::NOT_FOUND;
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_png_names_inside_the_folder_are_served() {
        let dir = tempfile::tempdir().expect("temporary folder");
        std::fs::write(dir.path().join("7.png"), b"\x89PNG").expect("a picture");
        let ok = answer(Some(dir.path()), "/7.png");
        assert_eq!(ok.status(), StatusCode::OK);
        assert_eq!(ok.body(), b"\x89PNG");
        for bad in [
            "/8.png",
            "/../7.png",
            "/a/7.png",
            "/7.txt",
            "/",
            "/%2e%2e/7.png",
        ] {
            assert_eq!(
                answer(Some(dir.path()), bad).status(),
                StatusCode::NOT_FOUND,
                "{bad}"
            );
        }
        assert_eq!(answer(None, "/7.png").status(), StatusCode::NOT_FOUND);
    }
}
