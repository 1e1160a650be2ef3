//! The stamp of a version whose event columns passed the per-event check.
//!
//! Checking every event on each open costs one pass over the three event columns, about a
//! tenth of a funnel. An import checks the version it wrote once, before making it live,
//! and leaves `checked.json` beside it: the identity of each checked file (size, inode,
//! device, modification and change times). A later open skips the per-event check when
//! every file still has that identity and last changed before the stamp was written.
//!
//! Any write to a file moves its change time, which no user call can set back, so an
//! edited, replaced or copied column is checked again. A file whose change time is not
//! before the stamp's own modification time is not trusted either: both may fall in one
//! clock tick (git's "racily clean" entries), and then a later edit in that tick would
//! keep the recorded identity.

use std::collections::BTreeMap;
use std::fs::Metadata;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::StoreError;
use super::write::write_synced;

/// The stamp's file name inside a version directory.
const STAMP: &str = "checked.json";

/// What identifies one file's contents without reading them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct FileIdentity {
    len: u64,
    inode: u64,
    device: u64,
    /// Modification time: seconds and nanoseconds since the epoch.
    modified: (i64, i64),
    /// Status change time, as `modified`.
    changed: (i64, i64),
}

impl FileIdentity {
    /// The identity in `meta` (`None` where the platform has no inodes and change times).
    fn of(meta: &Metadata) -> Option<Self> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some(Self {
                len: meta.len(),
                inode: meta.ino(),
                device: meta.dev(),
                modified: (meta.mtime(), meta.mtime_nsec()),
                changed: (meta.ctime(), meta.ctime_nsec()),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            None
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Stamp {
    /// Per file name: its identity when the check passed.
    files: BTreeMap<String, FileIdentity>,
}

/// Writes the stamp of the files `names` of `version_dir`, which have just passed the
/// check; nothing where the platform has no file identities.
pub(crate) fn write_stamp(version_dir: &Path, names: &[&str]) -> Result<(), StoreError> {
    let mut files = BTreeMap::new();
    for &name in names {
        let path = version_dir.join(name);
        let meta = std::fs::metadata(&path).map_err(|source| StoreError::Io { path, source })?;
        let Some(identity) = FileIdentity::of(&meta) else {
            return Ok(());
        };
        files.insert(name.to_owned(), identity);
    }
    let path = version_dir.join(STAMP);
    let json = serde_json::to_vec_pretty(&Stamp { files }).map_err(|e| StoreError::Io {
        path: path.clone(),
        source: e.into(),
    })?;
    write_synced(&path, &json)
}

/// Whether the stamp in `version_dir` vouches for every one of `files` (name and the
/// metadata it was opened with). A missing or unreadable stamp vouches for nothing.
pub(crate) fn vouches(version_dir: &Path, files: &[(&str, &Metadata)]) -> bool {
    let path = version_dir.join(STAMP);
    let (Ok(text), Ok(stamp_meta)) = (std::fs::read(&path), std::fs::metadata(&path)) else {
        return false;
    };
    let Ok(stamp) = serde_json::from_slice::<Stamp>(&text) else {
        return false;
    };
    let Some(written) = FileIdentity::of(&stamp_meta).map(|s| s.modified) else {
        return false;
    };
    files.iter().all(|(name, meta)| {
        let now = FileIdentity::of(meta);
        now.is_some_and(|now| stamp.files.get(*name) == Some(&now) && now.changed < written)
    })
}

#[cfg(all(test, unix))]
mod tests {
    use std::fs::{self, File, FileTimes};
    use std::io::Write;
    use std::time::{Duration, SystemTime};

    use super::{STAMP, vouches, write_stamp};

    /// Moves the stamp's modification time a second ahead, out of the files' clock tick.
    fn age_files(dir: &std::path::Path) {
        let later = SystemTime::now() + Duration::from_secs(1);
        File::options()
            .write(true)
            .open(dir.join(STAMP))
            .and_then(|f| f.set_times(FileTimes::new().set_modified(later)))
            .unwrap();
    }

    fn opened(dir: &std::path::Path, name: &str) -> fs::Metadata {
        File::open(dir.join(name))
            .and_then(|f| f.metadata())
            .unwrap()
    }

    #[test]
    fn a_stamp_vouches_for_unchanged_files_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path();
        fs::write(path.join("a"), b"12345678").unwrap();
        fs::write(path.join("b"), b"abcd").unwrap();
        write_stamp(path, &["a", "b"]).unwrap();
        let ok = |names: &[&str]| {
            let metas: Vec<_> = names.iter().map(|n| opened(path, n)).collect();
            let files: Vec<_> = names.iter().copied().zip(&metas).collect();
            vouches(path, &files)
        };
        // Files changed in the stamp's clock tick are not trusted; a second later they are.
        let racy = ok(&["a", "b"]);
        age_files(path);
        assert!(ok(&["a", "b"]), "racy before aging: {racy}");
        // A file the stamp does not name is not vouched for.
        fs::write(path.join("c"), b"x").unwrap();
        assert!(!ok(&["a", "c"]));
        // An edit in place, even of the same size and with the old modification time put
        // back, changes the change time.
        let before = opened(path, "a").modified().unwrap();
        let mut f = File::options().write(true).open(path.join("a")).unwrap();
        f.write_all(b"87654321").unwrap();
        f.set_times(FileTimes::new().set_modified(before)).unwrap();
        drop(f);
        assert!(!ok(&["a", "b"]));
        assert!(ok(&["b"]));
        // A file replaced by another one (a new inode) is not the stamped one.
        fs::write(path.join("b2"), b"abcd").unwrap();
        fs::rename(path.join("b2"), path.join("b")).unwrap();
        assert!(!ok(&["b"]));
    }

    #[test]
    fn a_missing_or_broken_stamp_vouches_for_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path();
        fs::write(path.join("a"), b"1").unwrap();
        let meta = opened(path, "a");
        assert!(!vouches(path, &[("a", &meta)]));
        fs::write(path.join(STAMP), b"{ not json").unwrap();
        age_files(path);
        assert!(!vouches(path, &[("a", &meta)]));
    }
}
