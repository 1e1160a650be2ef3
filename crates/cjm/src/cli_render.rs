//! CLI verb: render (not yet built; being written).

use crate::{Failure, user};

/// Arguments of `cjm render`.
#[derive(clap::Args)]
pub struct RenderArgs {}

/// Runs `cjm render`.
pub fn render(_args: RenderArgs) -> Result<(), Failure> {
    Err(user(anyhow::anyhow!("cjm render is not available yet")))
}
