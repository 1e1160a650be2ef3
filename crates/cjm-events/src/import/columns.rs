//! Choosing the case, activity and time columns: given by the user, or detected by name.

use std::path::Path;

use super::{ImportError, ImportOptions};

/// The three roles a source column can play.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Case,
    Activity,
    Time,
}

impl Role {
    /// Known column names, most specific first.
    pub(crate) fn candidates(self) -> &'static [&'static str] {
        match self {
            Role::Case => &[
                "case:concept:name",
                "case_id",
                "caseid",
                "case",
                "customer_id",
                "customerid",
                "user_id",
                "userId",
                "userid",
                "anonymousId",
                "anonymous_id",
                "visitor_id",
                "client_id",
                "account_id",
                "session_id",
                "sessionid",
                "order_id",
                "ticket_id",
            ],
            Role::Activity => &[
                "concept:name",
                "activity",
                "event",
                "event_name",
                "eventname",
                "event_type",
                "action",
                "step",
                "name",
            ],
            Role::Time => &[
                "time:timestamp",
                "timestamp",
                "ts",
                "time",
                "event_time",
                "eventtime",
                "datetime",
                "created_at",
                "occurred_at",
                "originalTimestamp",
                "received_at",
                "receivedAt",
                "date",
            ],
        }
    }

    fn flag(self) -> &'static str {
        match self {
            Role::Case => "--case",
            Role::Activity => "--activity",
            Role::Time => "--time",
        }
    }

    fn what(self) -> &'static str {
        match self {
            Role::Case => "case",
            Role::Activity => "activity",
            Role::Time => "timestamp",
        }
    }
}

/// The first known name present in `names` (exact match first, then ignoring ASCII case).
pub(crate) fn detect(names: &[&str], role: Role) -> Option<usize> {
    let candidates = role.candidates();
    candidates
        .iter()
        .find_map(|c| names.iter().position(|n| n == c))
        .or_else(|| {
            candidates
                .iter()
                .find_map(|c| names.iter().position(|n| n.eq_ignore_ascii_case(c)))
        })
}

/// The column for `role`: the one named by the user, or a detected one.
/// The (case, activity, time) columns among `names`: given by name in `options`, or found
/// among the common names.
pub(crate) fn choose_roles(
    path: &Path,
    names: &[&str],
    options: &ImportOptions,
) -> Result<[usize; 3], ImportError> {
    let case = choose(path, names, options.case.as_deref(), Role::Case, &[])?;
    let activity = choose(
        path,
        names,
        options.activity.as_deref(),
        Role::Activity,
        &[case],
    )?;
    let time = choose(
        path,
        names,
        options.time.as_deref(),
        Role::Time,
        &[case, activity],
    )?;
    Ok([case, activity, time])
}

fn choose(
    path: &Path,
    names: &[&str],
    given: Option<&str>,
    role: Role,
    taken: &[usize],
) -> Result<usize, ImportError> {
    let listed = || {
        let shown: Vec<String> = names.iter().take(30).map(|n| format!("{n:?}")).collect();
        shown.join(", ")
    };
    if let Some(name) = given {
        return names
            .iter()
            .position(|n| *n == name)
            .ok_or_else(|| ImportError::Column {
                path: path.to_owned(),
                message: format!(
                    "column {name:?} (from {}) is not there; the columns are: {}",
                    role.flag(),
                    listed()
                ),
            });
    }
    let free: Vec<&str> = names
        .iter()
        .enumerate()
        .map(|(i, n)| if taken.contains(&i) { "" } else { *n })
        .collect();
    detect(&free, role).ok_or_else(|| ImportError::Column {
        path: path.to_owned(),
        message: format!(
            "no {} column found among: {} (known names: {}); name it with {} COLUMN",
            role.what(),
            listed(),
            role.candidates().join(", "),
            role.flag()
        ),
    })
}
