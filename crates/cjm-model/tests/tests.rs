//! Integration tests of cjm-model.

mod format;
