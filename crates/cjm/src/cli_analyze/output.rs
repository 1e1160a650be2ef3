//! Plain-text tables, CSV rows and human durations for the analytic verbs.

use std::io::{self, Write};

/// A table printed with aligned columns; cells that look numeric are right-aligned.
pub struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column headers.
    pub fn new(headers: &[&str]) -> Self {
        Self {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row (as many cells as headers).
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// Writes the aligned table.
    pub fn write(&self, out: &mut dyn Write) -> io::Result<()> {
        let columns = self.headers.len();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        // A column is right-aligned, header included, when every cell in it looks numeric.
        let numeric: Vec<bool> = (0..columns)
            .map(|i| {
                !self.rows.is_empty()
                    && self
                        .rows
                        .iter()
                        .all(|r| r.get(i).is_some_and(|c| looks_numeric(c)))
            })
            .collect();
        let line = |out: &mut dyn Write, cells: &[String]| -> io::Result<()> {
            let mut text = String::new();
            for (i, cell) in cells.iter().enumerate().take(columns) {
                let pad = widths[i].saturating_sub(cell.chars().count());
                if i > 0 {
                    text.push_str("  ");
                }
                if numeric[i] {
                    text.push_str(&" ".repeat(pad));
                    text.push_str(cell);
                } else {
                    text.push_str(cell);
                    if i + 1 < columns {
                        text.push_str(&" ".repeat(pad));
                    }
                }
            }
            writeln!(out, "{}", text.trim_end())
        };
        line(out, &self.headers)?;
        for row in &self.rows {
            line(out, row)?;
        }
        Ok(())
    }

    /// Writes the table as CSV (RFC 4180 quoting).
    pub fn write_csv(&self, out: &mut dyn Write) -> io::Result<()> {
        csv_row(out, &self.headers)?;
        for row in &self.rows {
            csv_row(out, row)?;
        }
        Ok(())
    }
}

fn looks_numeric(cell: &str) -> bool {
    cell == "-"
        || cell
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == '-')
}

/// Writes one CSV record.
pub fn csv_row(out: &mut dyn Write, cells: &[String]) -> io::Result<()> {
    let quoted: Vec<String> = cells
        .iter()
        .map(|c| {
            if c.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c.clone()
            }
        })
        .collect();
    writeln!(out, "{}", quoted.join(","))
}

/// A share as a percentage with two decimals.
pub fn percent(share: f64) -> String {
    format!("{:.2}%", share * 100.0)
}

/// Seconds as a short human duration: `4.2s`, `12m 05s`, `5h 12m`, `3d 04h`.
pub fn human(seconds: f64) -> String {
    let s = seconds.abs();
    let sign = if seconds < 0.0 { "-" } else { "" };
    let whole = s.round() as u64;
    if s < 60.0 {
        format!("{sign}{s:.1}s")
    } else if s < 3600.0 {
        format!("{sign}{}m {:02}s", whole / 60, whole % 60)
    } else if s < 86_400.0 {
        format!("{sign}{}h {:02}m", whole / 3600, whole % 3600 / 60)
    } else {
        format!("{sign}{}d {:02}h", whole / 86_400, whole % 86_400 / 3600)
    }
}

/// An optional number of seconds as a human duration, `-` when absent.
pub fn human_opt(seconds: Option<f64>) -> String {
    seconds.map_or_else(|| "-".to_owned(), human)
}

/// An optional number for CSV: empty when absent.
pub fn number_opt(value: Option<f64>) -> String {
    value.map_or_else(String::new, |v| v.to_string())
}
