//! Writing a store version aside and switching `CURRENT` to it atomically.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::checked::write_stamp;
use super::manifest::{FORMAT_NAME, FORMAT_VERSION};
use super::open::EVENT_COLUMNS;
use super::{
    AttributeInfo, AttributeKind, Manifest, OwnedAttribute, OwnedValues, SourceInfo, Store,
    StoreData, StoreError, TimeSpan,
};
use crate::import::time::format_utc;
use crate::journeys::OwnedStrDict;

/// Name of the file that names the live version.
pub(crate) const CURRENT: &str = "CURRENT";
const CURRENT_TMP: &str = "CURRENT.tmp";

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_owned(),
        source,
    }
}

/// The live version's directory name, if `dir` holds a store.
pub(crate) fn current_version(dir: &Path) -> Result<Option<String>, StoreError> {
    let path = dir.join(CURRENT);
    match fs::read_to_string(&path) {
        Ok(text) => {
            let name = text.trim();
            if !is_version_name(name) {
                return Err(StoreError::Corrupt {
                    path,
                    message: format!("CURRENT names {name:?}, not a version directory"),
                });
            }
            Ok(Some(name.to_owned()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io(&path)(e)),
    }
}

fn is_version_name(name: &str) -> bool {
    name.len() == 7 && name.starts_with('v') && name[1..].bytes().all(|c| c.is_ascii_digit())
}

/// Writes `data` as a new version of the store in `dir` and makes it the live one.
pub(crate) fn write_version(
    dir: &Path,
    data: &StoreData,
    sources: Vec<SourceInfo>,
) -> Result<Manifest, StoreError> {
    fs::create_dir_all(dir).map_err(io(dir))?;
    let old = current_version(dir)?;
    remove_abandoned_versions(dir, old.as_deref())?;
    let number = old
        .as_deref()
        .map_or(0, |v| v[1..].parse::<u32>().unwrap_or(0))
        + 1;
    let name = format!("v{:06}", number % 1_000_000);
    let version_dir = dir.join(&name);
    fs::create_dir(&version_dir).map_err(io(&version_dir))?;

    let mut files = ColumnFiles::default();
    files.add("case_offsets.u64", bytemuck::cast_slice(&data.case_offsets));
    files.dict("case_ids", &data.case_ids);
    files.add("activity.u32", bytemuck::cast_slice(&data.activity));
    files.add("timestamp_us.i64", bytemuck::cast_slice(&data.timestamp_us));
    files.dict("activity_names", &data.activity_names);
    let event_attributes = files.attributes("event_attr", &data.event_attributes);
    let case_attributes = files.attributes("case_attr", &data.case_attributes);
    files.write(&version_dir)?;

    let span = data
        .timestamp_us
        .iter()
        .fold(None, |acc: Option<(i64, i64)>, &t| {
            Some(acc.map_or((t, t), |(lo, hi)| (lo.min(t), hi.max(t))))
        });
    let manifest = Manifest {
        format: FORMAT_NAME.to_owned(),
        version: FORMAT_VERSION,
        events: data.activity.len() as u64,
        cases: data.case_ids.view().len() as u64,
        activities: data.activity_names.view().len() as u64,
        case_id_bytes: data.case_ids.view().bytes.len() as u64,
        activity_name_bytes: data.activity_names.view().bytes.len() as u64,
        time_span: span.map(|(first_us, last_us)| TimeSpan {
            first_us,
            last_us,
            first: format_utc(first_us),
            last: format_utc(last_us),
        }),
        event_attributes,
        case_attributes,
        sources,
    };
    let json = serde_json::to_vec_pretty(&manifest).map_err(|e| StoreError::Io {
        path: version_dir.join("manifest.json"),
        source: e.into(),
    })?;
    write_synced(&version_dir.join("manifest.json"), &json)?;
    // The written version is checked once, here, before it goes live; its stamp spares
    // later opens that pass over every event.
    Store::open_version(dir, &version_dir)?;
    write_stamp(&version_dir, &EVENT_COLUMNS)?;
    sync_dir(&version_dir)?;

    // The switch: after this rename the new version is live.
    let tmp = dir.join(CURRENT_TMP);
    write_synced(&tmp, format!("{name}\n").as_bytes())?;
    fs::rename(&tmp, dir.join(CURRENT)).map_err(io(dir))?;
    sync_dir(dir)?;

    if let Some(old) = old {
        // The old version is no longer referenced; failing to delete it loses nothing.
        let _ = fs::remove_dir_all(dir.join(old));
    }
    Ok(manifest)
}

/// Deletes version directories left by killed imports (any but the live one).
fn remove_abandoned_versions(dir: &Path, live: Option<&str>) -> Result<(), StoreError> {
    for entry in fs::read_dir(dir).map_err(io(dir))? {
        let entry = entry.map_err(io(dir))?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if is_version_name(name) && Some(name) != live {
            let path = entry.path();
            fs::remove_dir_all(&path).map_err(io(&path))?;
        }
    }
    let _ = fs::remove_file(dir.join(CURRENT_TMP));
    Ok(())
}

/// Writes a file whole and syncs it. The bytes go out in writes of [`HUGE_PAGE`] at
/// offsets that are multiples of it, so that the page cache can hold the file in folios
/// of that size, which a mapping of it (2 MB aligned by the kernel) then maps whole: a
/// query faults a column in with a few hundred entries instead of hundreds of thousands,
/// and unmaps it as quickly (see `open`).
pub(crate) fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let mut file = File::create(path).map_err(io(path))?;
    for chunk in bytes.chunks(HUGE_PAGE) {
        file.write_all(chunk).map_err(io(path))?;
    }
    file.sync_all().map_err(io(path))
}

/// The size of a huge page on x86-64 and most arm64 kernels.
pub(crate) const HUGE_PAGE: usize = 2 << 20;

fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    File::open(dir).and_then(|d| d.sync_all()).map_err(io(dir))
}

/// The files of a version, gathered to be written together.
#[derive(Default)]
struct ColumnFiles<'a> {
    files: Vec<(String, &'a [u8])>,
}

impl<'a> ColumnFiles<'a> {
    fn add(&mut self, file: &str, bytes: &'a [u8]) {
        self.files.push((file.to_owned(), bytes));
    }

    fn dict(&mut self, stem: &str, dict: &'a OwnedStrDict) {
        let view = dict.view();
        let offsets: &[u64] = if view.offsets.is_empty() {
            &[0]
        } else {
            view.offsets
        };
        self.add(
            &format!("{stem}.offsets.u64"),
            bytemuck::cast_slice(offsets),
        );
        self.add(&format!("{stem}.utf8"), view.bytes);
    }

    fn attributes(&mut self, prefix: &str, attributes: &'a [OwnedAttribute]) -> Vec<AttributeInfo> {
        let mut infos = Vec::with_capacity(attributes.len());
        for (i, attribute) in attributes.iter().enumerate() {
            let stem = format!("{prefix}_{i}");
            let (kind, bytes, distinct): (_, &[u8], _) = match &attribute.values {
                OwnedValues::Int(v) => (AttributeKind::Int, bytemuck::cast_slice(v), None),
                OwnedValues::Float(v) => (AttributeKind::Float, bytemuck::cast_slice(v), None),
                OwnedValues::Bool(v) => (AttributeKind::Bool, v, None),
                OwnedValues::Time(v) => (AttributeKind::Time, bytemuck::cast_slice(v), None),
                OwnedValues::Text { codes, dict } => {
                    self.dict(&format!("{stem}.dict"), dict);
                    let distinct = dict.view().len() as u64;
                    (
                        AttributeKind::Text,
                        bytemuck::cast_slice(codes),
                        Some(distinct),
                    )
                }
            };
            self.add(&format!("{stem}.{}", kind.extension()), bytes);
            infos.push(AttributeInfo {
                name: attribute.name.clone(),
                kind,
                file: stem,
                distinct,
            });
        }
        infos
    }

    /// Writes and syncs every file into `dir`, on two threads: each file, the largest
    /// first, goes to the thread with fewer bytes so far.
    fn write(&self, dir: &Path) -> Result<(), StoreError> {
        let mut by_size: Vec<&(String, &[u8])> = self.files.iter().collect();
        by_size.sort_by_key(|(_, bytes)| std::cmp::Reverse(bytes.len()));
        let mut shares: [Vec<&(String, &[u8])>; 2] = Default::default();
        let mut loads = [0usize; 2];
        for file in by_size {
            let lighter = usize::from(loads[1] < loads[0]);
            loads[lighter] += file.1.len();
            shares[lighter].push(file);
        }
        let write_share = |share: &[&(String, &[u8])]| {
            share
                .iter()
                .try_for_each(|(name, bytes)| write_synced(&dir.join(name), bytes))
        };
        std::thread::scope(|scope| {
            let other = scope.spawn(|| write_share(&shares[1]));
            let mine = write_share(&shares[0]);
            let theirs = other
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            mine.and(theirs)
        })
    }
}

/// The path of the live version directory of the store in `dir`.
pub(crate) fn live_dir(dir: &Path) -> Result<PathBuf, StoreError> {
    match current_version(dir)? {
        Some(name) => Ok(dir.join(name)),
        None => Err(StoreError::NotAStore(dir.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::{HUGE_PAGE, write_synced};

    #[test]
    fn files_written_in_huge_page_writes_keep_every_byte() {
        let dir = tempfile::tempdir().expect("temp dir");
        for len in [0, 1, HUGE_PAGE - 1, HUGE_PAGE, 2 * HUGE_PAGE + 12_345] {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 7 + i / 4099) as u8).collect();
            let path = dir.path().join(format!("column_{len}"));
            write_synced(&path, &bytes).expect("written");
            assert_eq!(
                std::fs::read(&path).expect("read back"),
                bytes,
                "{len} bytes"
            );
        }
    }
}
