//! Source locations of a loaded map, keyed by JSON pointer (`/lanes/0/cells/3/score`).

use std::collections::HashMap;

use crate::error::Location;

/// Where each element of a loaded map sits in its source file.
///
/// Keys are JSON pointers (RFC 6901) into the map as serialised; a lookup of an
/// element that has no location of its own falls back to its nearest ancestor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Spans {
    values: HashMap<String, Location>,
    keys: HashMap<String, Location>,
}

impl Spans {
    /// Records where the value at `pointer` starts.
    pub fn set_value(&mut self, pointer: String, location: Location) {
        self.values.insert(pointer, location);
    }

    /// Records where the key that names `pointer` starts (the `score` of `score: 3`).
    pub fn set_key(&mut self, pointer: String, location: Location) {
        self.keys.insert(pointer, location);
    }

    /// Where the value at `pointer` starts, or its nearest located ancestor.
    pub fn value(&self, pointer: &str) -> Location {
        let mut current = pointer;
        loop {
            if let Some(location) = self.values.get(current) {
                return *location;
            }
            match current.rfind('/') {
                Some(slash) => current = &current[..slash],
                None => return Location::File,
            }
        }
    }

    /// Where the key naming `pointer` starts; the value's location when there is no key.
    pub fn key(&self, pointer: &str) -> Location {
        match self.keys.get(pointer) {
            Some(location) => *location,
            None => self.value(pointer),
        }
    }
}

/// Appends one reference token to a JSON pointer, escaping `~` and `/`.
pub fn push_token(pointer: &str, token: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + token.len() + 1);
    out.push_str(pointer);
    out.push('/');
    for ch in token.chars() {
        match ch {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            _ => out.push(ch),
        }
    }
    out
}

/// Appends an array index to a JSON pointer.
pub fn push_index(pointer: &str, index: usize) -> String {
    format!("{pointer}/{index}")
}
