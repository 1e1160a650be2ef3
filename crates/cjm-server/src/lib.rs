//! HTTP API and web UI of the cjm workspace.
