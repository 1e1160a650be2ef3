//! The `cjm` binary: argument parsing and wiring only; the work lives in the library crates.

mod cli_analyze;
mod cli_build;
mod cli_import;
mod cli_maps;
mod cli_render;
mod cli_serve;
mod failure;

use std::process::ExitCode;

use clap::{ArgMatches, Args, FromArgMatches, Parser, Subcommand};

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
    New(Deferred<cli_maps::NewArgs>),
    /// Validate map files; exit 1 on errors.
    Check(Deferred<cli_maps::CheckArgs>),
    /// Rewrite map files in canonical form.
    Fmt(Deferred<cli_maps::FmtArgs>),
    /// Render a map to SVG, PNG, PDF, HTML, Markdown, CSV or Mermaid.
    Render(Deferred<cli_render::RenderArgs>),
    /// Print the JSON Schema of the map format.
    Schema(Deferred<cli_maps::SchemaArgs>),
    /// Import event logs into a journey store.
    Import(Deferred<cli_import::ImportArgs>),
    /// Summarise a journey store.
    Stats(Deferred<cli_import::StatsArgs>),
    /// Funnel conversion through ordered steps (ClickHouse windowFunnel semantics).
    Funnel(Deferred<cli_analyze::FunnelArgs>),
    /// The most frequent paths after or before an activity.
    Paths(Deferred<cli_analyze::PathsArgs>),
    /// Directly-follows graph with frequencies and durations (pm4py semantics).
    Dfg(Deferred<cli_analyze::DfgArgs>),
    /// Distinct activity sequences with their case counts.
    Variants(Deferred<cli_analyze::VariantsArgs>),
    /// Distribution of case durations.
    Durations(Deferred<cli_analyze::DurationsArgs>),
    /// Measure a map against an event store and render the data-backed map.
    Build(Deferred<cli_build::BuildArgs>),
    /// Serve the web workspace.
    Serve(Deferred<cli_serve::ServeArgs>),
    /// Open a ready demo workspace.
    Demo(Deferred<cli_serve::DemoArgs>),
}

/// A subcommand's arguments, which clap defines only when that subcommand is the one
/// invoked: defining every subcommand's arguments up front cost each run (a funnel of a
/// few milliseconds among them) about a tenth of a millisecond.
struct Deferred<T>(T);

impl<T: Args> Args for Deferred<T> {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        cmd.defer(|cmd| keeping_about(cmd, T::augment_args))
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        cmd.defer(|cmd| keeping_about(cmd, T::augment_args_for_update))
    }
}

/// `augment(cmd)`, keeping the subcommand's own description (an arguments struct's doc
/// comment would replace it).
fn keeping_about(cmd: clap::Command, augment: fn(clap::Command) -> clap::Command) -> clap::Command {
    let about = cmd.get_about().cloned();
    let cmd = augment(cmd);
    match about {
        Some(about) => cmd.about(about),
        None => cmd,
    }
}

impl<T: FromArgMatches> FromArgMatches for Deferred<T> {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches(matches).map(Deferred)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(matches)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::New(Deferred(args)) => cli_maps::new(args),
        Command::Check(Deferred(args)) => cli_maps::check(args),
        Command::Fmt(Deferred(args)) => cli_maps::fmt(args),
        Command::Render(Deferred(args)) => cli_render::render(args),
        Command::Schema(Deferred(args)) => cli_maps::schema(args),
        Command::Import(Deferred(args)) => cli_import::import(args),
        Command::Stats(Deferred(args)) => cli_import::stats(args),
        Command::Funnel(Deferred(args)) => cli_analyze::funnel(args),
        Command::Paths(Deferred(args)) => cli_analyze::paths(args),
        Command::Dfg(Deferred(args)) => cli_analyze::dfg(args),
        Command::Variants(Deferred(args)) => cli_analyze::variants(args),
        Command::Durations(Deferred(args)) => cli_analyze::durations(args),
        Command::Build(Deferred(args)) => cli_build::build(args),
        Command::Serve(Deferred(args)) => cli_serve::serve(args),
        Command::Demo(Deferred(args)) => cli_serve::demo(args),
    };
    failure::exit_code(result)
}
