//! Joins a journey map with an event store: stage measures, weak points.
