//! Errors of loading a map and findings of validating one, each pointing into the source file.

use std::fmt;

/// Where in a source file something was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// The file as a whole (for example: too large).
    File,
    /// A line and a column, both counted from 1; columns count characters.
    At { line: usize, column: usize },
    /// A byte offset, counted from 0 (used for bytes that are not UTF-8).
    Byte(usize),
}

impl Location {
    /// A line and column location.
    pub fn at(line: usize, column: usize) -> Self {
        Location::At { line, column }
    }
}

/// Why a map file could not be loaded: the file, where, what was wrong, and a hint.
///
/// Displays as `path:line:col: message`, followed by `  hint: ...` on its own line
/// when there is a hint.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct LoadError {
    /// The path of the file, as given by the caller.
    pub path: String,
    pub location: Location,
    /// What was wrong, in one sentence.
    pub message: String,
    /// How to fix it, when there is a useful suggestion.
    pub hint: Option<String>,
}

impl LoadError {
    /// An error at a location of a file.
    pub fn new(path: &str, location: Location, message: impl Into<String>) -> Self {
        Self {
            path: path.to_owned(),
            location,
            message: message.into(),
            hint: None,
        }
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The line of the error, when it has one.
    pub fn line(&self) -> Option<usize> {
        match self.location {
            Location::At { line, .. } => Some(line),
            _ => None,
        }
    }
}

fn write_location(f: &mut fmt::Formatter<'_>, path: &str, location: Location) -> fmt::Result {
    match location {
        Location::File => write!(f, "{path}"),
        Location::At { line, column } => write!(f, "{path}:{line}:{column}"),
        Location::Byte(byte) => write!(f, "{path}: byte {byte}"),
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_location(f, &self.path, self.location)?;
        write!(f, ": {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// How serious a validation finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// A rule of the method is not followed; `--strict` makes it an error.
    Warning,
    /// The map is wrong: a reference to nothing, a duplicate id, a value out of range.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One finding of [`crate::validate`]: what is wrong, where, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A short stable name of the rule, such as `duplicate-id` or `stage-without-touchpoint`.
    pub rule: &'static str,
    /// The JSON pointer of the element in the map (`/lanes/2/cells/0/score`).
    pub pointer: String,
    /// Where the element is in the source file, when known.
    pub location: Location,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    /// Formats the finding for a file: `path:line:col: error: message` and, when there is
    /// one, `  hint: ...` on the next line.
    pub fn display<'a>(&'a self, path: &'a str) -> impl fmt::Display + 'a {
        DiagnosticDisplay {
            diagnostic: self,
            path,
        }
    }
}

struct DiagnosticDisplay<'a> {
    diagnostic: &'a Diagnostic,
    path: &'a str,
}

impl fmt::Display for DiagnosticDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.diagnostic;
        write_location(f, self.path, d.location)?;
        write!(f, ": {}: {}", d.severity, d.message)?;
        if let Some(hint) = &d.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

impl From<LoadError> for Diagnostic {
    fn from(error: LoadError) -> Self {
        Diagnostic {
            severity: Severity::Error,
            rule: "load",
            pointer: String::new(),
            location: error.location,
            message: error.message,
            hint: error.hint,
        }
    }
}
