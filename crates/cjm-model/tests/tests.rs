//! Integration tests of cjm-model.

mod errors;
mod format;
mod hostile;
mod interchange;
mod roundtrip;
mod strategy;
