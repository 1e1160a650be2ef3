//! Opening a store: map its column files and check them before any kernel reads them.

use std::fs::File;
use std::path::{Path, PathBuf};

use bytemuck::Pod;
use memmap2::{Mmap, MmapOptions};

use super::checked;
use super::manifest::{FORMAT_NAME, FORMAT_VERSION};
use super::write::{current_version, live_dir};
use super::{AttributeInfo, AttributeKind, Manifest, StoreError};
use crate::journeys::{AttributeColumn, ColumnValues, Journeys, StrDict};
use crate::kernels::in_parallel;

/// The bytes of one column file, mapped read-only (empty files are not mapped).
struct Column {
    map: Option<Mmap>,
    /// The file's metadata when it was opened.
    meta: std::fs::Metadata,
}

impl Column {
    /// Maps the file. Pages are read in as they are first touched: by [`Store::check`]
    /// for the event columns, on two threads (by the first kernel when the import's stamp
    /// vouches for them).
    fn open(path: &Path) -> Result<Column, StoreError> {
        let io = |source| StoreError::Io {
            path: path.to_owned(),
            source,
        };
        let file = File::open(path).map_err(io)?;
        let meta = file.metadata().map_err(io)?;
        if meta.len() == 0 {
            return Ok(Column { map: None, meta });
        }
        // SAFETY: the store never modifies a file of a version in place: imports write a new
        // version directory and switch to it, so the mapped bytes stay as they were written
        // (unless something outside cjm edits the file, which the store's docs forbid).
        let map = unsafe { MmapOptions::new().map(&file) }.map_err(io)?;
        advise_huge_pages(&map);
        Ok(Column {
            map: Some(map),
            meta,
        })
    }

    fn bytes(&self) -> &[u8] {
        self.map.as_deref().unwrap_or(&[])
    }

    /// The values, after [`checked`] has vouched for size and alignment.
    fn values<T: Pod>(&self) -> &[T] {
        bytemuck::try_cast_slice(self.bytes()).unwrap_or(&[])
    }
}

/// Asks that the pages of a large column be read in as huge folios, which the mapping then
/// takes whole (the import writes columns so that their cached pages are such folios
/// already; see `write::write_synced`). A kernel without huge pages declines: no harm.
#[cfg(target_os = "linux")]
fn advise_huge_pages(map: &Mmap) {
    if map.len() >= super::write::HUGE_PAGE {
        let _ = map.advise(memmap2::Advice::HugePage);
    }
}

#[cfg(not(target_os = "linux"))]
fn advise_huge_pages(_: &Mmap) {}

/// A mapped string dictionary.
struct Dict {
    offsets: Column,
    bytes: Column,
}

impl Dict {
    fn view(&self) -> StrDict<'_> {
        StrDict {
            offsets: self.offsets.values(),
            bytes: self.bytes.bytes(),
        }
    }
}

struct Attribute {
    info: AttributeInfo,
    values: Column,
    dict: Option<Dict>,
}

impl Attribute {
    fn view(&self) -> AttributeColumn<'_> {
        let values = match self.info.kind {
            AttributeKind::Int => ColumnValues::Int(self.values.values()),
            AttributeKind::Float => ColumnValues::Float(self.values.values()),
            AttributeKind::Bool => ColumnValues::Bool(self.values.bytes()),
            AttributeKind::Time => ColumnValues::Time(self.values.values()),
            AttributeKind::Text => ColumnValues::Text {
                codes: self.values.values(),
                dict: self.dict.as_ref().map_or(
                    StrDict {
                        offsets: &[0],
                        bytes: &[],
                    },
                    Dict::view,
                ),
            },
        };
        AttributeColumn {
            name: &self.info.name,
            values,
        }
    }
}

/// An open, checked journey store; borrow its events with [`Store::journeys`].
pub struct Store {
    dir: PathBuf,
    version_dir: PathBuf,
    manifest: Manifest,
    case_offsets: Column,
    case_ids: Dict,
    activity: Column,
    timestamp_us: Column,
    activity_names: Dict,
    event_attributes: Vec<Attribute>,
    case_attributes: Vec<Attribute>,
    /// Whether the import's stamp vouched for the event columns, so that opening skipped
    /// the per-event check (see [`super::checked`]).
    vouched: bool,
}

/// The files the per-event check reads, which the import's stamp vouches for.
pub(crate) const EVENT_COLUMNS: [&str; 3] =
    ["case_offsets.u64", "activity.u32", "timestamp_us.i64"];

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("version_dir", &self.version_dir)
            .field("events", &self.manifest.events)
            .field("cases", &self.manifest.cases)
            .finish()
    }
}

impl Store {
    /// Opens the store in `dir`: maps its live version and checks it.
    pub fn open(dir: impl AsRef<Path>) -> Result<Store, StoreError> {
        let dir = dir.as_ref();
        // An import may switch versions between reading CURRENT and opening the files;
        // then the old files are gone and CURRENT names a new version: read it again.
        let mut attempts = 0;
        loop {
            let version_dir = live_dir(dir)?;
            match Store::open_version(dir, &version_dir) {
                Err(StoreError::Io { source, .. })
                    if source.kind() == std::io::ErrorKind::NotFound
                        && attempts < 3
                        && current_version(dir)?.map(|v| dir.join(v))
                            != Some(version_dir.clone()) =>
                {
                    attempts += 1;
                }
                other => return other,
            }
        }
    }

    /// Opens and checks the version in `version_dir` of the store in `dir`.
    pub(crate) fn open_version(dir: &Path, version_dir: &Path) -> Result<Store, StoreError> {
        let manifest_path = version_dir.join("manifest.json");
        let text = std::fs::read(&manifest_path).map_err(|source| StoreError::Io {
            path: manifest_path.clone(),
            source,
        })?;
        let manifest: Manifest =
            serde_json::from_slice(&text).map_err(|e| StoreError::Corrupt {
                path: manifest_path.clone(),
                message: format!("manifest is not valid: {e}"),
            })?;
        if manifest.format != FORMAT_NAME {
            return Err(StoreError::Corrupt {
                path: manifest_path,
                message: format!("format is {:?}, expected {FORMAT_NAME:?}", manifest.format),
            });
        }
        if manifest.version != FORMAT_VERSION {
            return Err(StoreError::Version {
                path: manifest_path,
                found: manifest.version,
                supported: FORMAT_VERSION,
            });
        }
        let column = |name: &str| Column::open(&version_dir.join(name));
        let dict = |stem: &str| -> Result<Dict, StoreError> {
            Ok(Dict {
                offsets: column(&format!("{stem}.offsets.u64"))?,
                bytes: column(&format!("{stem}.utf8"))?,
            })
        };
        let attributes = |infos: &[AttributeInfo]| -> Result<Vec<Attribute>, StoreError> {
            infos
                .iter()
                .map(|info| {
                    if info.file.contains(['/', '\\']) || info.file.starts_with('.') {
                        return Err(StoreError::Corrupt {
                            path: manifest_path.clone(),
                            message: format!("attribute file name {:?} is not allowed", info.file),
                        });
                    }
                    Ok(Attribute {
                        info: info.clone(),
                        values: column(&format!("{}.{}", info.file, info.kind.extension()))?,
                        dict: match info.kind {
                            AttributeKind::Text => Some(dict(&format!("{}.dict", info.file))?),
                            _ => None,
                        },
                    })
                })
                .collect()
        };
        let mut store = Store {
            dir: dir.to_owned(),
            version_dir: version_dir.to_owned(),
            case_offsets: column("case_offsets.u64")?,
            case_ids: dict("case_ids")?,
            activity: column("activity.u32")?,
            timestamp_us: column("timestamp_us.i64")?,
            activity_names: dict("activity_names")?,
            event_attributes: attributes(&manifest.event_attributes)?,
            case_attributes: attributes(&manifest.case_attributes)?,
            manifest,
            vouched: false,
        };
        let [offsets, activity, timestamps] = EVENT_COLUMNS;
        store.vouched = checked::vouches(
            version_dir,
            &[
                (offsets, &store.case_offsets.meta),
                (activity, &store.activity.meta),
                (timestamps, &store.timestamp_us.meta),
            ],
        );
        store.check()?;
        Ok(store)
    }

    /// The store's directory (as given to [`Store::open`]).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// What the live version holds.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// Whether opening trusted the import's check of every event instead of checking again
    /// (the event columns are the files the import checked; see [`super::checked`]).
    pub fn vouched(&self) -> bool {
        self.vouched
    }

    /// The kernel view of all journeys, borrowed from the mapped files.
    pub fn journeys(&self) -> Journeys<'_> {
        Journeys {
            case_offsets: self.case_offsets.values(),
            case_ids: self.case_ids.view(),
            activity: self.activity.values(),
            timestamp_us: self.timestamp_us.values(),
            activity_names: self.activity_names.view(),
            event_attributes: self.event_attributes.iter().map(Attribute::view).collect(),
            case_attributes: self.case_attributes.iter().map(Attribute::view).collect(),
        }
    }

    /// Checks every file against the manifest and the store invariants a kernel relies on:
    /// file sizes, case offsets, dictionary offsets, activity codes in range and time order
    /// within cases. It reads the three event columns once (on two threads, unless the
    /// import's stamp vouches for them) and nothing else per event: attribute values and
    /// dictionary text are read defensively instead (a code beyond its dictionary reads as
    /// missing, text that is not UTF-8 as empty).
    fn check(&self) -> Result<(), StoreError> {
        let m = &self.manifest;
        let corrupt = self.corrupt();
        let offsets: &[u64] = checked(
            &self.case_offsets,
            m.cases + 1,
            "case_offsets.u64",
            &corrupt,
        )?;
        let activity: &[u32] = checked(&self.activity, m.events, "activity.u32", &corrupt)?;
        let timestamps: &[i64] =
            checked(&self.timestamp_us, m.events, "timestamp_us.i64", &corrupt)?;
        if offsets.first() != Some(&0) || offsets.last() != Some(&m.events) {
            return Err(corrupt(
                "case_offsets.u64",
                "must run from 0 to the event count".into(),
            ));
        }
        if !self.vouched {
            self.check_events(offsets, activity, timestamps)?;
        }
        check_dict(&self.case_ids, m.cases, "case_ids", &corrupt)?;
        check_dict(
            &self.activity_names,
            m.activities,
            "activity_names",
            &corrupt,
        )?;
        let sets = [
            (&self.event_attributes, m.events),
            (&self.case_attributes, m.cases),
        ];
        for (attributes, rows) in sets {
            for attribute in attributes {
                let file = format!(
                    "{}.{}",
                    attribute.info.file,
                    attribute.info.kind.extension()
                );
                let width = attribute.info.kind.width();
                if attribute.values.bytes().len() as u64 != rows * width {
                    return Err(corrupt(
                        &file,
                        format!("expected {rows} values of {width} bytes"),
                    ));
                }
                if let Some(dict) = &attribute.dict {
                    let stem = format!("{}.dict", attribute.info.file);
                    check_dict(dict, attribute.info.distinct.unwrap_or(0), &stem, &corrupt)?;
                    let _: &[u32] = checked(&attribute.values, rows, &file, &corrupt)?;
                } else if width > 1 {
                    let _: &[u64] = checked(&attribute.values, rows, &file, &corrupt)?;
                }
            }
        }
        Ok(())
    }
}

impl Store {
    /// The per-event part of [`Store::check`] over columns of checked sizes: offsets in
    /// order, time order within cases, activity codes in range.
    fn check_events(
        &self,
        offsets: &[u64],
        activity: &[u32],
        timestamps: &[i64],
    ) -> Result<(), StoreError> {
        let m = &self.manifest;
        let corrupt = self.corrupt();
        // The event columns in two halves that meet at a case boundary, side by side.
        let cases = offsets.len() - 1;
        let middle = offsets.partition_point(|&o| o < m.events / 2).min(cases);
        let halves = [0..middle, middle..cases].map(|half| {
            move || EventsCheck::of(&offsets[half.start..=half.end], activity, timestamps)
        });
        let found = in_parallel(halves);
        if found.iter().any(|f| !f.offsets_ordered) {
            return Err(corrupt("case_offsets.u64", "offsets decrease".into()));
        }
        if found.iter().any(|f| !f.time_ordered) {
            return Err(corrupt(
                "timestamp_us.i64",
                "events of a case are not in time order".into(),
            ));
        }
        let codes = found.iter().map(|f| f.highest_code).max().unwrap_or(0);
        if m.events > 0 && u64::from(codes) >= m.activities {
            return Err(corrupt(
                "activity.u32",
                "an activity code is out of range".into(),
            ));
        }
        Ok(())
    }

    /// The error for a file of this version that breaks the store's invariants.
    fn corrupt(&self) -> impl Fn(&str, String) -> StoreError + '_ {
        |file: &str, message: String| StoreError::Corrupt {
            path: self.version_dir.join(file),
            message,
        }
    }

    /// Reads every dictionary and attribute value that [`Store::open`] leaves to be read
    /// defensively (dictionary offsets in order on character boundaries of UTF-8 text, and
    /// text codes within their dictionaries), and every event when opening trusted the
    /// import's stamp instead. `cjm stats` runs it.
    pub fn verify(&self) -> Result<(), StoreError> {
        let corrupt = self.corrupt();
        if self.vouched {
            self.check_events(
                self.case_offsets.values(),
                self.activity.values(),
                self.timestamp_us.values(),
            )?;
        }
        verify_dict(&self.case_ids, "case_ids", &corrupt)?;
        verify_dict(&self.activity_names, "activity_names", &corrupt)?;
        for attribute in self.event_attributes.iter().chain(&self.case_attributes) {
            let Some(dict) = &attribute.dict else {
                continue;
            };
            verify_dict(dict, &format!("{}.dict", attribute.info.file), &corrupt)?;
            let distinct = attribute.info.distinct.unwrap_or(0);
            let codes: &[u32] = attribute.values.values();
            if codes
                .iter()
                .any(|&c| c != u32::MAX && u64::from(c) >= distinct)
            {
                let file = format!(
                    "{}.{}",
                    attribute.info.file,
                    attribute.info.kind.extension()
                );
                return Err(corrupt(&file, "a text code is out of range".into()));
            }
        }
        Ok(())
    }
}

/// What [`Store::check`] finds in the events of a run of cases.
struct EventsCheck {
    offsets_ordered: bool,
    time_ordered: bool,
    highest_code: u32,
}

impl EventsCheck {
    /// Checks the cases that `offsets` bounds (offsets already known to lie within the
    /// event columns): the offsets do not decrease, every case's timestamps run in order,
    /// and the highest activity code.
    fn of(offsets: &[u64], activity: &[u32], timestamps: &[i64]) -> EventsCheck {
        let offsets_ordered = non_decreasing(offsets);
        if !offsets_ordered {
            return EventsCheck {
                offsets_ordered,
                time_ordered: false,
                highest_code: 0,
            };
        }
        let bounds = |o: Option<&u64>| o.map_or(0, |&o| o as usize);
        let events = bounds(offsets.first())..bounds(offsets.last());
        let timestamps = timestamps.get(events.clone()).unwrap_or(&[]);
        let inner_starts = offsets
            .get(1..offsets.len().saturating_sub(1))
            .unwrap_or(&[]);
        let start = events.start as u64;
        let at_starts: usize = inner_starts
            .iter()
            .map(|&o| {
                let i = (o - start) as usize;
                match (timestamps.get(i.wrapping_sub(1)), timestamps.get(i)) {
                    (Some(before), Some(t)) => usize::from(t < before),
                    _ => 0,
                }
            })
            .sum();
        EventsCheck {
            offsets_ordered,
            time_ordered: time_descents(timestamps) == at_starts,
            highest_code: activity
                .get(events)
                .unwrap_or(&[])
                .iter()
                .copied()
                .max()
                .unwrap_or(0),
        }
    }
}

/// Whether no value is smaller than the one before it.
fn non_decreasing<T: Copy + PartialOrd>(values: &[T]) -> bool {
    descents(values) == 0
}

/// How many values are smaller than the one before them (written to vectorise).
fn descents<T: Copy + PartialOrd>(values: &[T]) -> usize {
    let after = values.get(1..).unwrap_or(&[]);
    after
        .iter()
        .zip(values)
        .map(|(b, a)| usize::from(b < a))
        .sum()
}

/// [`descents`] of timestamps, by the sign of each difference where no value is within
/// 2^62 of either end of `i64` (timestamps of any year from 0 to 9999 are far inside): a
/// subtraction and a shift vectorise on every x86-64, a 64-bit comparison does not.
fn time_descents(values: &[i64]) -> usize {
    let Some(&first) = values.first() else {
        return 0;
    };
    // Bits 63 and 62 of a value are equal when it lies in [-2^62, 2^62).
    let wide = |x: i64| (x ^ (x << 1)) as u64;
    let (signs, wides) = values[1..]
        .iter()
        .zip(values)
        .fold((0u64, wide(first)), |(signs, wides), (&b, &a)| {
            (signs + (b.wrapping_sub(a) as u64 >> 63), wides | wide(b))
        });
    if wides >> 63 == 0 {
        signs as usize
    } else {
        descents(values)
    }
}

/// The column as `&[T]` if it holds exactly `len` values.
fn checked<'a, T: Pod>(
    column: &'a Column,
    len: u64,
    file: &str,
    corrupt: &dyn Fn(&str, String) -> StoreError,
) -> Result<&'a [T], StoreError> {
    let width = std::mem::size_of::<T>() as u64;
    let bytes = column.bytes();
    if bytes.len() as u64 != len.saturating_mul(width) {
        return Err(corrupt(
            file,
            format!(
                "{} bytes, expected {len} values of {width} bytes",
                bytes.len()
            ),
        ));
    }
    if len == 0 {
        return Ok(&[]);
    }
    bytemuck::try_cast_slice(bytes)
        .map_err(|e| corrupt(file, format!("cannot be read as numbers: {e}")))
}

/// Checks a dictionary's file sizes and that its offsets span its text. The offsets in
/// between and the UTF-8 are checked per string as it is read ([`StrDict::get`]), so opening
/// never reads a large dictionary (the case ids) that a query does not use.
fn check_dict(
    dict: &Dict,
    len: u64,
    stem: &str,
    corrupt: &dyn Fn(&str, String) -> StoreError,
) -> Result<(), StoreError> {
    let offsets_file = format!("{stem}.offsets.u64");
    let offsets: &[u64] = checked(&dict.offsets, len + 1, &offsets_file, corrupt)?;
    let bytes = dict.bytes.bytes();
    if offsets.first() != Some(&0) || offsets.last() != Some(&(bytes.len() as u64)) {
        return Err(corrupt(
            &offsets_file,
            "offsets do not span the text file".into(),
        ));
    }
    Ok(())
}

/// Checks the offsets and text of a dictionary whose sizes [`check_dict`] vouched for.
fn verify_dict(
    dict: &Dict,
    stem: &str,
    corrupt: &dyn Fn(&str, String) -> StoreError,
) -> Result<(), StoreError> {
    let offsets_file = format!("{stem}.offsets.u64");
    let offsets: &[u64] = dict.offsets.values();
    if !non_decreasing(offsets) {
        return Err(corrupt(&offsets_file, "offsets decrease".into()));
    }
    let text = std::str::from_utf8(dict.bytes.bytes())
        .map_err(|e| corrupt(&format!("{stem}.utf8"), format!("not UTF-8: {e}")))?;
    if offsets.iter().any(|&o| !text.is_char_boundary(o as usize)) {
        return Err(corrupt(
            &offsets_file,
            "an offset splits a character".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{descents, time_descents};

    #[test]
    fn time_descents_count_as_comparisons_do() {
        let near = [0, 5, 5, -3, 7, 1 << 61, -(1 << 62), (1 << 62) - 1, 2];
        let far = [
            0,
            i64::MAX,
            i64::MIN,
            3,
            -(1 << 62) - 1,
            1 << 62,
            1,
            i64::MIN,
        ];
        for values in [&near[..], &far[..], &[], &[4]] {
            for start in 0..values.len().max(1) {
                let values = values.get(start..).unwrap_or(&[]);
                assert_eq!(time_descents(values), descents(values), "{values:?}");
            }
        }
        // Differences that overflow `i64` are still counted right.
        assert_eq!(time_descents(&[i64::MIN, i64::MAX, i64::MIN]), 1);
    }
}
