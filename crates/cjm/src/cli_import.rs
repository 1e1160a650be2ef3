//! CLI verbs: import, stats (not yet built; being written).

use crate::{Failure, user};

/// Arguments of `cjm import`.
#[derive(clap::Args)]
pub struct ImportArgs {}

/// Runs `cjm import`.
pub fn import(_args: ImportArgs) -> Result<(), Failure> {
    Err(user(anyhow::anyhow!("cjm import is not available yet")))
}

/// Arguments of `cjm stats`.
#[derive(clap::Args)]
pub struct StatsArgs {}

/// Runs `cjm stats`.
pub fn stats(_args: StatsArgs) -> Result<(), Failure> {
    Err(user(anyhow::anyhow!("cjm stats is not available yet")))
}
