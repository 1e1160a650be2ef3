//! Event-log import, the columnar journey store and the analytics kernels.
//!
//! Invariant: this crate knows nothing about maps or rendering.

pub mod journeys;

pub use journeys::{Journeys, JourneysBuilder, OwnedJourneys};
