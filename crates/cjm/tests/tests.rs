//! Integration tests of the `cjm` binary, one module per area.

mod cli_analyze;
mod cli_build;
mod cli_import;
mod cli_maps;
mod cli_render;
