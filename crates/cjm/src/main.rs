//! The `cjm` binary: argument parsing and wiring only; the work lives in the library crates.

mod cli_analyze;
mod cli_build;
mod cli_import;
mod cli_maps;
mod cli_render;
mod cli_serve;
mod failure;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use failure::{Failure, user};

/// Customer Journey Maps that rest on real events.
#[derive(Parser)]
#[command(name = "cjm", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write a new map from a template.
    New(cli_maps::NewArgs),
    /// Validate map files; exit 1 on errors.
    Check(cli_maps::CheckArgs),
    /// Rewrite map files in canonical form.
    Fmt(cli_maps::FmtArgs),
    /// Render a map to SVG, PNG, PDF, HTML, Markdown, CSV or Mermaid.
    Render(cli_render::RenderArgs),
    /// Print the JSON Schema of the map format.
    Schema(cli_maps::SchemaArgs),
    /// Import event logs into a journey store.
    Import(cli_import::ImportArgs),
    /// Summarise a journey store.
    Stats(cli_import::StatsArgs),
    /// Funnel conversion through ordered steps (ClickHouse windowFunnel semantics).
    Funnel(cli_analyze::FunnelArgs),
    /// The most frequent paths after or before an activity.
    Paths(cli_analyze::PathsArgs),
    /// Directly-follows graph with frequencies and durations (pm4py semantics).
    Dfg(cli_analyze::DfgArgs),
    /// Distinct activity sequences with their case counts.
    Variants(cli_analyze::VariantsArgs),
    /// Distribution of case durations.
    Durations(cli_analyze::DurationsArgs),
    /// Measure a map against an event store and render the data-backed map.
    Build(cli_build::BuildArgs),
    /// Serve the web workspace.
    Serve(cli_serve::ServeArgs),
    /// Open a ready demo workspace.
    Demo(cli_serve::DemoArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::New(args) => cli_maps::new(args),
        Command::Check(args) => cli_maps::check(args),
        Command::Fmt(args) => cli_maps::fmt(args),
        Command::Render(args) => cli_render::render(args),
        Command::Schema(args) => cli_maps::schema(args),
        Command::Import(args) => cli_import::import(args),
        Command::Stats(args) => cli_import::stats(args),
        Command::Funnel(args) => cli_analyze::funnel(args),
        Command::Paths(args) => cli_analyze::paths(args),
        Command::Dfg(args) => cli_analyze::dfg(args),
        Command::Variants(args) => cli_analyze::variants(args),
        Command::Durations(args) => cli_analyze::durations(args),
        Command::Build(args) => cli_build::build(args),
        Command::Serve(args) => cli_serve::serve(args),
        Command::Demo(args) => cli_serve::demo(args),
    };
    failure::exit_code(result)
}
