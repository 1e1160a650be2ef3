//! Integration tests of cjm-model.

mod errors;
mod format;
mod hostile;
mod roundtrip;
mod strategy;
