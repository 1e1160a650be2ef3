//! Writes a [`Node`] tree as canonical block-style YAML: two-space indents, keys in the
//! given order, strings plain when that reads back the same, else quoted or literal blocks.

use std::fmt::Write;

use crate::node::{Node, Plain, resolve_plain};

/// Writes a document; the output ends with a newline.
pub(crate) fn write(node: &Node) -> String {
    let mut out = String::new();
    match node {
        Node::Map(entries) if !entries.is_empty() => write_map(&mut out, entries, 0),
        Node::Seq(items) if !items.is_empty() => write_seq(&mut out, items, 0),
        _ => {
            write_inline(&mut out, node, 0);
            out.push('\n');
        }
    }
    out
}

fn write_map(out: &mut String, entries: &[(String, Node)], indent: usize) {
    for (key, value) in entries {
        pad(out, indent);
        write_string(out, key, indent, false);
        out.push(':');
        write_value(out, value, indent);
    }
}

fn write_seq(out: &mut String, items: &[Node], indent: usize) {
    for item in items {
        pad(out, indent);
        out.push('-');
        match item {
            Node::Map(entries) if !entries.is_empty() => {
                // The first entry shares the dash's line.
                out.push(' ');
                let mut nested = String::new();
                write_map(&mut nested, entries, indent + 2);
                out.push_str(&nested[indent + 2..]);
            }
            Node::Seq(inner) if !inner.is_empty() => {
                out.push(' ');
                let mut nested = String::new();
                write_seq(&mut nested, inner, indent + 2);
                out.push_str(&nested[indent + 2..]);
            }
            _ => {
                out.push(' ');
                write_inline(out, item, indent + 2);
                out.push('\n');
            }
        }
    }
}

/// Writes what follows `key:` — a scalar on the same line, or a nested block.
fn write_value(out: &mut String, value: &Node, indent: usize) {
    match value {
        Node::Map(entries) if !entries.is_empty() => {
            out.push('\n');
            write_map(out, entries, indent + 2);
        }
        Node::Seq(items) if !items.is_empty() => {
            out.push('\n');
            write_seq(out, items, indent + 2);
        }
        _ => {
            out.push(' ');
            write_inline(out, value, indent + 2);
            out.push('\n');
        }
    }
}

/// Writes a scalar or an empty collection; `indent` is the indent of a literal block's lines.
fn write_inline(out: &mut String, node: &Node, indent: usize) {
    match node {
        Node::Null => out.push_str("null"),
        Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Node::Number(n) => write_number(out, n),
        Node::String(s) => write_string(out, s, indent, true),
        Node::Seq(_) => out.push_str("[]"),
        Node::Map(_) => out.push_str("{}"),
    }
}

/// Writes a number; whole floats as integers (`2`, not `2.0`), which read back equal.
fn write_number(out: &mut String, n: &serde_json::Number) {
    match n.as_f64() {
        Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 1e15 => {
            let _ = write!(out, "{}", f as i64);
        }
        _ => {
            let _ = write!(out, "{n}");
        }
    }
}

fn pad(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

fn write_string(out: &mut String, s: &str, indent: usize, block_allowed: bool) {
    if is_plain_safe(s) {
        out.push_str(s);
    } else if block_allowed && is_literal_safe(s) {
        write_literal(out, s, indent);
    } else {
        write_double_quoted(out, s);
    }
}

/// Whether `s` written bare reads back as the same string.
fn is_plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) || first.is_whitespace() {
        return false;
    }
    if s.ends_with(char::is_whitespace) || s.ends_with(':') {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.starts_with("...") {
        return false;
    }
    if s.chars().any(|c| c == '\t' || is_special(c)) {
        return false;
    }
    // YAML 1.1 readers take these for booleans; quoting keeps other tools right.
    let yaml11_bool =
        ["y", "n", "yes", "no", "on", "off"].contains(&s.to_ascii_lowercase().as_str());
    !yaml11_bool && resolve_plain(s) == Plain::String
}

/// Characters that must be escaped: controls, line breaks beyond `\n`, BOM, non-characters.
fn is_special(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}'
        )
}

/// Whether `s` can be a literal block (`|` or `|-`) that reads back exactly.
fn is_literal_safe(s: &str) -> bool {
    let body = s.strip_suffix('\n').unwrap_or(s);
    body.contains('\n')
        && !body.ends_with('\n')
        && !body.starts_with([' ', '\t', '\n'])
        && !body
            .chars()
            .any(|c| c != '\n' && c != '\t' && is_special(c))
        && body.split('\n').all(|line| {
            !line.ends_with([' ', '\t']) && (line.is_empty() || !line.trim().is_empty())
        })
}

fn write_literal(out: &mut String, s: &str, indent: usize) {
    let body = match s.strip_suffix('\n') {
        Some(body) => {
            out.push('|');
            body
        }
        None => {
            out.push_str("|-");
            s
        }
    };
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            pad(out, indent);
            out.push_str(line);
        }
    }
}

fn write_double_quoted(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if is_special(c) => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
