//! CLI verbs: Import, Stats, Funnel, Paths, Dfg, Variants, Durations (not yet built; being written).

use crate::{Failure, user};

/// Arguments of `cjm funnel`.
#[derive(clap::Args)]
pub struct FunnelArgs {}

/// Runs `cjm funnel`.
pub fn funnel(_args: FunnelArgs) -> Result<(), Failure> {
    Err(user(anyhow::anyhow!("cjm funnel is not available yet")))
}

/// Arguments of `cjm paths`.
#[derive(clap::Args)]
pub struct PathsArgs {}

/// Runs `cjm paths`.
pub fn paths(_args: PathsArgs) -> Result<(), Failure> {
    Err(user(anyhow::anyhow!("cjm paths is not available yet")))
}

/// Arguments of `cjm dfg`.
#[derive(clap::Args)]
pub struct DfgArgs {}

/// Runs `cjm dfg`.
pub fn dfg(_args: DfgArgs) -> Result<(), Failure> {
    Err(user(anyhow::anyhow!("cjm dfg is not available yet")))
}

/// Arguments of `cjm variants`.
#[derive(clap::Args)]
pub struct VariantsArgs {}

/// Runs `cjm variants`.
pub fn variants(_args: VariantsArgs) -> Result<(), Failure> {
    Err(user(anyhow::anyhow!("cjm variants is not available yet")))
}

/// Arguments of `cjm durations`.
#[derive(clap::Args)]
pub struct DurationsArgs {}

/// Runs `cjm durations`.
pub fn durations(_args: DurationsArgs) -> Result<(), Failure> {
    Err(user(anyhow::anyhow!("cjm durations is not available yet")))
}
