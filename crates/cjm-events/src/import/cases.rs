//! Case ids, interned on several threads at once.
//!
//! The ids are split into shares by bits of their hash that the shares' own tables do not
//! place entries by; each share is an [`Interner`] behind its own lock, and a case's code
//! is drawn from one counter when the case is first seen. A thread interning a block of
//! ids takes each share once, skipping shares another thread holds and coming back to
//! them last, so that two threads seldom wait for each other.
//!
//! Codes say nothing about order: when several threads intern, they follow whichever
//! thread reached a share first. Nothing written may depend on them, and nothing does:
//! the store orders cases by the bytes of their ids.

use std::borrow::Cow;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError, TryLockError};

use crate::import::interner::{Interner, hash_str, prefix};
use crate::journeys::OwnedStrDict;

/// Shares the ids are split into (a power of two): enough that a share's table of a
/// million ids fits in a core's cache while a block is interned.
const SHARES: usize = 64;

/// The share of an id with hash `hash`: bits 32 and up, which the share tables (hashbrown:
/// low bits for the slot, the top 7 for the tag) leave alone.
fn share_of(hash: u64) -> usize {
    (hash >> 32) as usize & (SHARES - 1)
}

/// Distinct case ids and their codes.
#[derive(Debug)]
pub(crate) struct CaseIds {
    shares: Vec<Mutex<Share>>,
    /// The next new case's code.
    next: AtomicU32,
}

impl Default for CaseIds {
    fn default() -> Self {
        CaseIds {
            shares: (0..SHARES).map(|_| Mutex::default()).collect(),
            next: AtomicU32::new(0),
        }
    }
}

/// The ids of one share, and the code of each (by its place in the share).
#[derive(Debug, Default)]
struct Share {
    ids: Interner,
    codes: Vec<u32>,
}

impl Share {
    fn intern(&mut self, id: &str, hash: u64, next: &AtomicU32) -> u32 {
        let local = self.ids.intern_hashed(id, hash) as usize;
        if local == self.codes.len() {
            self.codes.push(next.fetch_add(1, Ordering::Relaxed));
        }
        self.codes[local]
    }
}

impl CaseIds {
    /// The code of `id`, adding it if new.
    pub(crate) fn intern(&mut self, id: &str) -> u32 {
        let hash = hash_str(id);
        let share = self.shares[share_of(hash)]
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        share.intern(id, hash, &self.next)
    }

    /// The codes of `ids`, adding the new ones; other threads may intern at the same time.
    pub(crate) fn intern_all(&self, ids: &[Cow<'_, str>]) -> Vec<u32> {
        // The ids of each share side by side, in input order (a counting sort by share),
        // so that a share's ids are read in one sweep.
        let hashed: Vec<(u64, &str)> = ids.iter().map(|id| (hash_str(id), &**id)).collect();
        let mut starts = [0usize; SHARES + 1];
        for &(hash, _) in &hashed {
            starts[share_of(hash) + 1] += 1;
        }
        for s in 0..SHARES {
            starts[s + 1] += starts[s];
        }
        let mut fill = starts;
        let mut by_share: Vec<(u64, &str, u32)> = vec![(0, "", 0); ids.len()];
        for (row, &(hash, id)) in hashed.iter().enumerate() {
            let slot = &mut fill[share_of(hash)];
            by_share[*slot] = (hash, id, row as u32);
            *slot += 1;
        }
        drop(hashed);
        let mut codes = vec![0u32; ids.len()];
        let mut fill_share = |s: usize, share: &mut MutexGuard<'_, Share>| {
            for &(hash, id, row) in &by_share[starts[s]..starts[s + 1]] {
                codes[row as usize] = share.intern(id, hash, &self.next);
            }
        };
        // First the shares that are free, then (waiting) those that were not.
        let mut busy = Vec::new();
        for s in 0..SHARES {
            match self.shares[s].try_lock() {
                Ok(mut share) => fill_share(s, &mut share),
                Err(TryLockError::Poisoned(p)) => fill_share(s, &mut p.into_inner()),
                Err(TryLockError::WouldBlock) => busy.push(s),
            }
        }
        for s in busy {
            let mut share = self.shares[s]
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            fill_share(s, &mut share);
        }
        codes
    }

    /// The ids by code, once interning is over.
    pub(crate) fn into_names(self) -> CaseNames {
        let shares: Vec<Share> = self
            .shares
            .into_iter()
            .map(|s| s.into_inner().unwrap_or_else(PoisonError::into_inner))
            .collect();
        let mut place = vec![(0u32, 0u32); self.next.into_inner() as usize];
        for (s, share) in shares.iter().enumerate() {
            for (local, &code) in share.codes.iter().enumerate() {
                place[code as usize] = (s as u32, local as u32);
            }
        }
        CaseNames { shares, place }
    }
}

/// The case ids by code.
#[derive(Debug)]
pub(crate) struct CaseNames {
    shares: Vec<Share>,
    /// The share of each code and its number there.
    place: Vec<(u32, u32)>,
}

impl CaseNames {
    /// The number of cases.
    pub(crate) fn len(&self) -> usize {
        self.place.len()
    }

    /// The id with code `code`.
    pub(crate) fn get(&self, code: u32) -> &str {
        let (share, local) = self.place[code as usize];
        self.shares[share as usize].ids.get(local)
    }

    /// The cases ordered by their ids' bytes.
    ///
    /// Sorts the ids' 8-byte big-endian prefixes and lengths, comparing whole ids only
    /// where prefixes tie and an id is longer, so that short ids sort without reading
    /// their text.
    pub(crate) fn by_bytes(&self) -> Vec<CaseKey> {
        // Read share by share, in the order the ids lie in memory.
        let mut keys: Vec<CaseKey> = self
            .shares
            .iter()
            .flat_map(|share| share.ids.strings().zip(&share.codes))
            .map(|(id, &code)| CaseKey {
                prefix: prefix(id),
                code,
                len: u32::try_from(id.len()).unwrap_or(u32::MAX),
            })
            .collect();
        let order = |a: &CaseKey, b: &CaseKey| {
            a.prefix.cmp(&b.prefix).then_with(|| {
                if a.len <= 8 && b.len <= 8 {
                    a.len.cmp(&b.len)
                } else {
                    self.get(a.code).cmp(self.get(b.code))
                }
            })
        };
        // Each half sorted on its own thread, then the two merged.
        let (low, high) = keys.split_at_mut(self.len() / 2);
        std::thread::scope(|scope| {
            let sorting = scope.spawn(|| low.sort_unstable_by(order));
            high.sort_unstable_by(order);
            sorting
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e));
        });
        let (low, high) = keys.split_at(self.len() / 2);
        let mut sorted = Vec::with_capacity(self.len());
        let (mut i, mut j) = (0, 0);
        while i < low.len() && j < high.len() {
            if order(&high[j], &low[i]).is_lt() {
                sorted.push(high[j]);
                j += 1;
            } else {
                sorted.push(low[i]);
                i += 1;
            }
        }
        sorted.extend_from_slice(&low[i..]);
        sorted.extend_from_slice(&high[j..]);
        sorted
    }

    /// Appends the id of `key` to `dict`: from the key itself if that holds all of it.
    pub(crate) fn push_id(&self, key: &CaseKey, dict: &mut OwnedStrDict) {
        let bytes = key.prefix.to_be_bytes();
        let short = bytes
            .get(..key.len as usize)
            .and_then(|b| std::str::from_utf8(b).ok());
        dict.push(short.unwrap_or_else(|| self.get(key.code)));
    }
}

/// A case as sorted by [`CaseNames::by_bytes`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct CaseKey {
    /// The id's first 8 bytes, zero-padded, big-endian.
    prefix: u64,
    /// The case's code.
    pub(crate) code: u32,
    /// The id's length in bytes.
    len: u32,
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::CaseIds;
    use crate::journeys::OwnedStrDict;

    #[test]
    fn codes_are_shared_between_threads_and_ids_sort_by_bytes() {
        let ids: Vec<String> = (0..20_000).map(|i| format!("c{}", i * 7 % 5003)).collect();
        let (front, back) = ids.split_at(9_000);
        fn as_cows(part: &[String]) -> Vec<Cow<'_, str>> {
            part.iter().map(|s| Cow::Borrowed(s.as_str())).collect()
        }
        let mut cases = CaseIds::default();
        let first = cases.intern("c1");
        // Ids that tie on their first 8 bytes, or differ only past them.
        for id in [
            "customer-000000002",
            "customer-000000010",
            "customer-00000001",
            "c1\0",
            "",
            "é",
            "z",
            "customer-000000001",
        ] {
            cases.intern(id);
        }
        let (a, b) = std::thread::scope(|scope| {
            let shared = &cases;
            let a = scope.spawn(move || shared.intern_all(&as_cows(front)));
            let b = shared.intern_all(&as_cows(back));
            (a.join().unwrap(), b)
        });
        let names = cases.into_names();
        assert_eq!(names.len(), 5003 + 8);
        assert_eq!(names.get(first), "c1");
        for (id, code) in ids.iter().zip(a.iter().chain(&b)) {
            assert_eq!(names.get(*code), id);
        }
        let ordered: Vec<&str> = names
            .by_bytes()
            .into_iter()
            .map(|key| names.get(key.code))
            .collect();
        let mut listed = OwnedStrDict::default();
        for key in names.by_bytes() {
            names.push_id(&key, &mut listed);
        }
        let listed: Vec<&str> = (0..ordered.len()).map(|i| listed.view().get(i)).collect();
        assert_eq!(listed, ordered);
        let mut expected: Vec<&str> = ordered.clone();
        expected.sort_unstable();
        expected.dedup();
        assert_eq!(ordered, expected);
    }
}
