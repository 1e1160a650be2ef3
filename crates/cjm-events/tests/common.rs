//! Helpers shared by the test modules.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use cjm_events::import::ImportOptions;

/// Every file under `dir` (by path relative to it) with its bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(
                    path.strip_prefix(dir).unwrap().to_owned(),
                    std::fs::read(&path).unwrap(),
                );
            }
        }
    }
    out
}

/// The pieces, one after the other, as one gzip stream.
pub fn gzip(pieces: impl IntoIterator<Item = Vec<u8>>) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    for piece in pieces {
        encoder.write_all(&piece).unwrap();
    }
    encoder.finish().unwrap()
}

/// Import options with `--strict`: any bad row fails the import.
pub fn strict() -> ImportOptions {
    ImportOptions {
        strict: true,
        ..ImportOptions::default()
    }
}
