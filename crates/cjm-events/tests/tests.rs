//! The integration tests of cjm-events (one binary; modules by theme).

mod kernels;
mod oracles;
mod reference;
mod import;
mod sources;
mod store;
mod timestamps;
