//! Shared by the targets: writes the input to a file and reads it as one import source.

use std::path::PathBuf;

use cjm_events::import::{ImportOptions, SourceFormat, check_source};

/// Reads `data` as a source of `format` (as `cjm import` would, without a store); any
/// outcome but a panic is fine. The first byte picks the options (strict, time zone),
/// so that both the skipping and the failing paths are covered.
pub fn read(data: &[u8], format: SourceFormat, name: &str) {
    let Some((&options_byte, body)) = data.split_first() else {
        return;
    };
    let dir: PathBuf = std::env::temp_dir().join(format!("cjm-events-fuzz-{}", std::process::id()));
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let path = dir.join(name);
    if std::fs::write(&path, body).is_err() {
        return;
    }
    let options = ImportOptions {
        strict: options_byte & 1 == 1,
        tz: (options_byte & 2 == 2).then(|| "Europe/Warsaw".to_owned()),
        format: Some(format),
        max_line_bytes: Some(1 << 16),
        ..ImportOptions::default()
    };
    let _ = check_source(&path, &options);
}
