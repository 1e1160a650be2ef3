//! CLI verbs: Serve, Demo (not yet built; being written).

use crate::{Failure, user};

/// Arguments of `cjm serve`.
#[derive(clap::Args)]
pub struct ServeArgs {}

/// Runs `cjm serve`.
pub fn serve(_args: ServeArgs) -> Result<(), Failure> {
    Err(user(anyhow::anyhow!("cjm serve is not available yet")))
}

/// Arguments of `cjm demo`.
#[derive(clap::Args)]
pub struct DemoArgs {}

/// Runs `cjm demo`.
pub fn demo(_args: DemoArgs) -> Result<(), Failure> {
    Err(user(anyhow::anyhow!("cjm demo is not available yet")))
}
