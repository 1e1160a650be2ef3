//! The integration tests of cjm-events (one binary; modules by theme).

mod import;
mod sources;
mod store;
mod timestamps;
