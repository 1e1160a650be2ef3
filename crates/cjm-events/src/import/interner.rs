//! String interning for the import: distinct strings in one text arena, found by hash.
//!
//! An import interns every case id, activity and text attribute value of every row, so
//! this is on the hottest path: no allocation per string (one arena, one offset list),
//! a table of bare codes (hashbrown's [`HashTable`]) and each string's hash kept so
//! that growing the table never rehashes text.

use std::hash::BuildHasher;

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;

use crate::journeys::OwnedStrDict;

/// Distinct strings and their codes, in order of first appearance.
#[derive(Debug, Default)]
pub(crate) struct Interner {
    table: HashTable<Slot>,
    /// The hash of each string, by code.
    hashes: Vec<u64>,
    /// Where each string ends in `text`, by code (it starts where the previous one ends).
    ends: Vec<usize>,
    text: String,
}

/// A table entry: a string's code with its length and first bytes, so that a lookup of a
/// short string (most ids) is settled without reading the text.
#[derive(Debug, Clone, Copy)]
struct Slot {
    prefix: u64,
    len: u32,
    code: u32,
}

/// The first 8 bytes of `s`, zero-padded, as a big-endian number (so they sort as bytes do).
pub(crate) fn prefix(s: &str) -> u64 {
    let mut bytes = [0u8; 8];
    let n = s.len().min(8);
    bytes[..n].copy_from_slice(&s.as_bytes()[..n]);
    u64::from_be_bytes(bytes)
}

/// The hash an [`Interner`] files `s` under.
pub(crate) fn hash_str(s: &str) -> u64 {
    FxBuildHasher.hash_one(s.as_bytes())
}

impl Interner {
    /// The code of `s`, adding it if new.
    pub(crate) fn intern(&mut self, s: &str) -> u32 {
        self.intern_hashed(s, hash_str(s))
    }

    /// The code of `s`, whose [`hash_str`] is `hash`, adding it if new.
    pub(crate) fn intern_hashed(&mut self, s: &str, hash: u64) -> u32 {
        let Interner {
            table,
            hashes,
            ends,
            text,
        } = self;
        let wanted = Slot {
            prefix: prefix(s),
            // Only a filter: longer strings are compared in full.
            len: u32::try_from(s.len()).unwrap_or(u32::MAX),
            code: hashes.len() as u32,
        };
        let same = |slot: &Slot| {
            slot.prefix == wanted.prefix
                && slot.len == wanted.len
                && (s.len() <= 8 || {
                    let code = slot.code as usize;
                    let start = if code == 0 { 0 } else { ends[code - 1] };
                    text.as_bytes()[start..ends[code]] == *s.as_bytes()
                })
        };
        if let Some(slot) = table.find(hash, same) {
            return slot.code;
        }
        table.insert_unique(hash, wanted, |slot| hashes[slot.code as usize]);
        hashes.push(hash);
        text.push_str(s);
        ends.push(text.len());
        wanted.code
    }

    /// The number of distinct strings.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// The string with code `code`.
    pub(crate) fn get(&self, code: u32) -> &str {
        let code = code as usize;
        let start = if code == 0 { 0 } else { self.ends[code - 1] };
        &self.text[start..self.ends[code]]
    }

    /// Every string, in code order.
    pub(crate) fn strings(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.len() as u32).map(|c| self.get(c))
    }

    /// The strings as a store dictionary, in code order.
    pub(crate) fn to_dict(&self) -> OwnedStrDict {
        let mut dict = OwnedStrDict::default();
        for s in self.strings() {
            dict.push(s);
        }
        dict
    }
}

#[cfg(test)]
mod tests {
    use super::Interner;

    #[test]
    fn codes_follow_first_appearance_and_repeat() {
        let mut interner = Interner::default();
        let words = ["b", "", "a", "b", "ab", "", "a"];
        let codes: Vec<u32> = words.iter().map(|w| interner.intern(w)).collect();
        assert_eq!(codes, [0, 1, 2, 0, 3, 1, 2]);
        assert_eq!(interner.len(), 4);
        assert_eq!(interner.strings().collect::<Vec<_>>(), ["b", "", "a", "ab"]);
    }
}
