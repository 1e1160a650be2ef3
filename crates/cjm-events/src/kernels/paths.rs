//! Paths: the most frequent activity sequences after or before an anchor activity.
//!
//! For each selected case that contains the anchor, the path is taken at the anchor's
//! first occurrence: the anchor and up to `depth` activities after it (`After`), or up to
//! `depth` activities before it and the anchor (`Before`); a case that ends sooner gives a
//! shorter path. Shares are over all selected cases. The Sankey data places each activity
//! at its offset from the anchor (0 for the anchor, negative before it) and links
//! consecutive positions; it counts every path, also those beyond `top`.

use std::ops::Range;

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::Kernel;
use super::variants::{by_names, name_ranks};
use crate::filter::{CaseBuffer, Selection};

/// Which side of the anchor the paths go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    After,
    Before,
}

/// The paths kernel.
#[derive(Debug, Clone, Copy)]
pub struct Paths {
    /// The anchor's activity code (`None`: not in the log, so no path).
    pub anchor: Option<u32>,
    pub direction: Direction,
    /// Activities taken beside the anchor.
    pub depth: usize,
    /// Report only the `top` most frequent paths (all when `None`).
    pub top: Option<usize>,
}

/// What a range of cases yields.
#[derive(Debug, Clone, Default)]
pub struct PathsPartial {
    cases: u64,
    paths: FxHashMap<Box<[u32]>, u64>,
}

impl Kernel for Paths {
    type Partial = PathsPartial;

    fn empty(&self) -> PathsPartial {
        PathsPartial::default()
    }

    fn scan(&self, selection: &Selection<'_>, cases: Range<usize>, partial: &mut PathsPartial) {
        let mut buffer = CaseBuffer::default();
        for c in cases {
            let Some(events) = selection.case(c, &mut buffer) else {
                continue;
            };
            partial.cases += 1;
            let activity = events.activity;
            let Some(at) = self
                .anchor
                .and_then(|a| activity.iter().position(|&x| x == a))
            else {
                continue;
            };
            let path = match self.direction {
                Direction::After => &activity[at..activity.len().min(at + self.depth + 1)],
                Direction::Before => &activity[at.saturating_sub(self.depth)..=at],
            };
            match partial.paths.get_mut(path) {
                Some(n) => *n += 1,
                None => {
                    partial.paths.insert(path.into(), 1);
                }
            }
        }
    }

    fn merge(&self, into: &mut PathsPartial, other: PathsPartial) {
        into.cases += other.cases;
        for (path, n) in other.paths {
            *into.paths.entry(path).or_default() += n;
        }
    }
}

impl Paths {
    /// Runs on all cores and reports.
    pub fn report(&self, selection: &Selection<'_>) -> PathsReport {
        let partial = super::run(self, selection);
        self.finish(partial, selection)
    }

    /// Ranks the paths and builds the Sankey data.
    pub fn finish(&self, partial: PathsPartial, selection: &Selection<'_>) -> PathsReport {
        let names = &selection.journeys().activity_names;
        let name = |c: u32| names.get(c as usize).to_owned();
        let rank = name_ranks(names);
        let mut all: Vec<(Box<[u32]>, u64)> = partial.paths.into_iter().collect();
        all.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| by_names(&rank, &a.0, &b.0)));
        let with_anchor = all.iter().map(|(_, n)| n).sum();
        let sankey = self.sankey(&all, &rank, &name);
        let total = partial.cases;
        let paths = all
            .into_iter()
            .take(self.top.unwrap_or(usize::MAX))
            .map(|(codes, cases)| PathCount {
                activities: codes.iter().map(|&c| name(c)).collect(),
                cases,
                share: cases as f64 / total.max(1) as f64,
            })
            .collect();
        PathsReport {
            direction: self.direction,
            depth: self.depth,
            cases: total,
            cases_with_anchor: with_anchor,
            paths,
            sankey,
        }
    }

    fn sankey(
        &self,
        all: &[(Box<[u32]>, u64)],
        rank: &[u32],
        name: &dyn Fn(u32) -> String,
    ) -> Sankey {
        let offset = |path: &[u32], i: usize| match self.direction {
            Direction::After => i as i64,
            Direction::Before => i as i64 - (path.len() as i64 - 1),
        };
        // A node is (depth, activity code).
        type Node = (i64, u32);
        let mut nodes: FxHashMap<Node, u64> = FxHashMap::default();
        let mut links: FxHashMap<(Node, Node), u64> = FxHashMap::default();
        for (path, n) in all {
            for (i, &code) in path.iter().enumerate() {
                *nodes.entry((offset(path, i), code)).or_default() += n;
                if i > 0 {
                    let from = (offset(path, i - 1), path[i - 1]);
                    *links.entry((from, (offset(path, i), code))).or_default() += n;
                }
            }
        }
        let mut keys: Vec<((i64, u32), u64)> = nodes.into_iter().collect();
        let r = |c: u32| rank.get(c as usize).copied().unwrap_or(u32::MAX);
        keys.sort_unstable_by(|a, b| {
            a.0.0
                .cmp(&b.0.0)
                .then(b.1.cmp(&a.1))
                .then(r(a.0.1).cmp(&r(b.0.1)))
        });
        let index: FxHashMap<(i64, u32), usize> =
            keys.iter().enumerate().map(|(i, (k, _))| (*k, i)).collect();
        let mut link_list: Vec<SankeyLink> = links
            .into_iter()
            .map(|((from, to), cases)| SankeyLink {
                source: index[&from],
                target: index[&to],
                cases,
            })
            .collect();
        link_list.sort_unstable_by_key(|l| (l.source, l.target));
        Sankey {
            nodes: keys
                .into_iter()
                .map(|((depth, code), cases)| SankeyNode {
                    depth,
                    activity: name(code),
                    cases,
                })
                .collect(),
            links: link_list,
        }
    }
}

/// The paths report (JSON shape of `cjm paths --format json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathsReport {
    pub direction: Direction,
    pub depth: usize,
    /// Cases in the selection.
    pub cases: u64,
    /// Selected cases that contain the anchor.
    pub cases_with_anchor: u64,
    /// Paths, most frequent first.
    pub paths: Vec<PathCount>,
    pub sankey: Sankey,
}

/// One path and how many cases took it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathCount {
    pub activities: Vec<String>,
    pub cases: u64,
    /// `cases` over all selected cases.
    pub share: f64,
}

/// Sankey diagram data: nodes by offset from the anchor, links between them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sankey {
    /// Ordered by depth, then cases (descending), then name.
    pub nodes: Vec<SankeyNode>,
    /// `source` and `target` index `nodes`.
    pub links: Vec<SankeyLink>,
}

/// An activity at an offset from the anchor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SankeyNode {
    /// Offset from the anchor: 0 for the anchor, negative before it.
    pub depth: i64,
    pub activity: String,
    pub cases: u64,
}

/// Cases moving from one node to the next.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SankeyLink {
    pub source: usize,
    pub target: usize,
    pub cases: u64,
}
