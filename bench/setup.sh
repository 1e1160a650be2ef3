#!/usr/bin/env bash
# Installs the benchmark peers (chDB, DuckDB, pm4py) and pyarrow into bench/.venv.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
python3 -m venv "$here/.venv"
"$here/.venv/bin/pip" install --quiet --upgrade pip
"$here/.venv/bin/pip" install --quiet chdb duckdb pm4py pyarrow
