//! How a command fails: user errors exit 1, internal errors exit 2.

use std::io::ErrorKind;
use std::process::ExitCode;

/// Why a command did not succeed.
#[derive(Debug)]
pub enum Failure {
    /// The input was wrong (bad file, failed check, unknown option value): exit 1.
    User(anyhow::Error),
    /// Something broke that is not the user's fault: exit 2.
    Internal(anyhow::Error),
    /// The command already printed what went wrong (for example `check` findings): exit 1.
    Reported,
}

impl From<anyhow::Error> for Failure {
    fn from(error: anyhow::Error) -> Self {
        Failure::Internal(error)
    }
}

impl From<std::io::Error> for Failure {
    fn from(error: std::io::Error) -> Self {
        Failure::Internal(error.into())
    }
}

/// Wraps an error that is the user's to fix.
pub fn user(error: impl Into<anyhow::Error>) -> Failure {
    Failure::User(error.into())
}

/// Prints the failure and maps it to the documented exit code.
pub fn exit_code(result: Result<(), Failure>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Reported) => ExitCode::from(1),
        Err(Failure::User(error)) => {
            eprintln!("error: {error:#}");
            ExitCode::from(1)
        }
        Err(Failure::Internal(error)) => {
            if is_broken_pipe(&error) {
                return ExitCode::SUCCESS;
            }
            eprintln!("internal error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .chain()
        .filter_map(|cause| cause.downcast_ref::<std::io::Error>())
        .any(|io| io.kind() == ErrorKind::BrokenPipe)
}
