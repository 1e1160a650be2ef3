//! Integration tests of cjm-insights.

mod check;
mod conformance;
mod measure;
mod real_data;
mod reference;
mod segments;
mod support;
mod weak_points;
