//! Event-log import, the columnar journey store and the analytics kernels.
//!
//! Invariant: this crate knows nothing about maps or rendering.

pub mod filter;
pub mod import;
pub mod journeys;
pub mod kernels;
pub mod store;

pub use journeys::{Journeys, JourneysBuilder, OwnedJourneys};
