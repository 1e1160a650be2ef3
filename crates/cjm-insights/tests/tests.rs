//! Integration tests of cjm-insights.

mod check;
mod conformance;
mod real_data;
mod segments;
mod support;
mod weak_points;
