//! CLI verbs: Build (not yet built; being written).

use crate::{Failure, user};

/// Arguments of `cjm build`.
#[derive(clap::Args)]
pub struct BuildArgs {}

/// Runs `cjm build`.
pub fn build(_args: BuildArgs) -> Result<(), Failure> {
    Err(user(anyhow::anyhow!("cjm build is not available yet")))
}
