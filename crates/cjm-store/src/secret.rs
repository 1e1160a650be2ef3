//! Random tokens (sessions, API tokens, share links, CSRF) and the hashes stored in their place.

use sha2::{Digest, Sha256};

use crate::error::{Result, StoreError};

/// Bytes of randomness in every token.
const TOKEN_BYTES: usize = 32;

/// A new random token: `prefix` followed by 64 hex digits (32 random bytes).
pub(crate) fn new_token(prefix: &str) -> Result<String> {
    let mut bytes = [0u8; TOKEN_BYTES];
    getrandom::fill(&mut bytes)
        .map_err(|e| StoreError::Internal(format!("the system random source failed: {e}")))?;
    Ok(format!("{prefix}{}", hex(&bytes)))
}

/// The SHA-256 of a token, in hex: what the database keeps instead of the token.
///
/// A plain hash is enough here (unlike passwords): tokens carry 256 bits of
/// randomness, so they cannot be guessed from their hash.
pub(crate) fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        let _ = write!(out, "{byte:02x}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_abc_matches_the_standard_vector() {
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn tokens_are_prefixed_hex_and_distinct() {
        let a = new_token("cjm_").unwrap();
        let b = new_token("cjm_").unwrap();
        assert_eq!(a.len(), 4 + 64);
        assert!(a[4..].chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
