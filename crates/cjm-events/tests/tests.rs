//! The integration tests of cjm-events (one binary; modules by theme).

mod bad_input;
mod common;
mod import;
mod kernels;
mod oracles;
mod reference;
mod sources;
mod store;
mod timestamps;
