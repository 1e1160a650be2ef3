//! CLI verbs: New, Check, Fmt, Schema (not yet built; being written).

use crate::{Failure, user};

/// Arguments of `cjm new`.
#[derive(clap::Args)]
pub struct NewArgs {}

/// Runs `cjm new`.
pub fn new(_args: NewArgs) -> Result<(), Failure> {
    Err(user(anyhow::anyhow!("cjm new is not available yet")))
}

/// Arguments of `cjm check`.
#[derive(clap::Args)]
pub struct CheckArgs {}

/// Runs `cjm check`.
pub fn check(_args: CheckArgs) -> Result<(), Failure> {
    Err(user(anyhow::anyhow!("cjm check is not available yet")))
}

/// Arguments of `cjm fmt`.
#[derive(clap::Args)]
pub struct FmtArgs {}

/// Runs `cjm fmt`.
pub fn fmt(_args: FmtArgs) -> Result<(), Failure> {
    Err(user(anyhow::anyhow!("cjm fmt is not available yet")))
}

/// Arguments of `cjm schema`.
#[derive(clap::Args)]
pub struct SchemaArgs {}

/// Runs `cjm schema`.
pub fn schema(_args: SchemaArgs) -> Result<(), Failure> {
    Err(user(anyhow::anyhow!("cjm schema is not available yet")))
}
