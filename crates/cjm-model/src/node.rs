//! An ordered document tree (what YAML and JSON both hold) and YAML 1.2 core-schema scalars.

use serde_json::{Number, Value};

/// A parsed document: like a JSON value, but mappings keep their source order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
}

impl Node {
    /// Converts to a JSON value (order of keys is not kept; serde does not need it).
    pub(crate) fn into_value(self) -> Value {
        match self {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(b),
            Node::Number(n) => Value::Number(n),
            Node::String(s) => Value::String(s),
            Node::Seq(items) => Value::Array(items.into_iter().map(Node::into_value).collect()),
            Node::Map(entries) => Value::Object(
                entries
                    .into_iter()
                    .map(|(key, node)| (key, node.into_value()))
                    .collect(),
            ),
        }
    }

    /// How many nodes this tree holds, itself included.
    pub(crate) fn size(&self) -> usize {
        match self {
            Node::Seq(items) => 1 + items.iter().map(Node::size).sum::<usize>(),
            Node::Map(entries) => 1 + entries.iter().map(|(_, n)| n.size()).sum::<usize>(),
            _ => 1,
        }
    }
}

/// What an untagged plain scalar means under the YAML 1.2 core schema.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Plain {
    Null,
    Bool(bool),
    Number(Number),
    /// A number JSON cannot hold: `.inf`, `.nan`.
    NonFinite,
    String,
}

/// Resolves a plain scalar by the YAML 1.2 core schema.
pub(crate) fn resolve_plain(text: &str) -> Plain {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Plain::Null,
        "true" | "True" | "TRUE" => return Plain::Bool(true),
        "false" | "False" | "FALSE" => return Plain::Bool(false),
        ".nan" | ".NaN" | ".NAN" => return Plain::NonFinite,
        _ => {}
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") {
        return Plain::NonFinite;
    }
    if let Some(octal) = text.strip_prefix("0o") {
        return radix_int(octal, 8);
    }
    if let Some(hex) = text.strip_prefix("0x") {
        return radix_int(hex, 16);
    }
    if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(i) = text.parse::<i64>() {
            return Plain::Number(i.into());
        }
        if let Ok(u) = text.parse::<u64>() {
            return Plain::Number(u.into());
        }
        return float(text);
    }
    if is_core_float(unsigned) {
        return float(text);
    }
    Plain::String
}

fn radix_int(digits: &str, radix: u32) -> Plain {
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return Plain::String;
    }
    match u64::from_str_radix(digits, radix) {
        Ok(value) => Plain::Number(value.into()),
        Err(_) => Plain::NonFinite,
    }
}

fn float(text: &str) -> Plain {
    match text.parse::<f64>().ok().and_then(Number::from_f64) {
        Some(n) => Plain::Number(n),
        None => Plain::NonFinite,
    }
}

/// `( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`, sign already removed.
fn is_core_float(text: &str) -> bool {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((int, frac)) => {
            all_digits(frac)
                && (int.is_empty() && !frac.is_empty() || !int.is_empty() && all_digits(int))
        }
        None => !mantissa.is_empty() && all_digits(mantissa),
    };
    let exponent_ok = match exponent {
        None => true,
        Some(e) => {
            let digits = e.strip_prefix(['-', '+']).unwrap_or(e);
            !digits.is_empty() && all_digits(digits)
        }
    };
    mantissa_ok && exponent_ok
}

fn all_digits(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_schema() {
        assert_eq!(resolve_plain("~"), Plain::Null);
        assert_eq!(resolve_plain("True"), Plain::Bool(true));
        assert_eq!(resolve_plain("yes"), Plain::String);
        assert_eq!(resolve_plain("-12"), Plain::Number((-12).into()));
        assert_eq!(resolve_plain("0x1F"), Plain::Number(31u64.into()));
        assert_eq!(resolve_plain("0o17"), Plain::Number(15u64.into()));
        assert_eq!(resolve_plain("1.5e3"), float("1.5e3"));
        assert_eq!(resolve_plain(".5"), float("0.5"));
        assert_eq!(resolve_plain("1."), float("1"));
        assert_eq!(resolve_plain("-.inf"), Plain::NonFinite);
        assert_eq!(resolve_plain("1.2.3"), Plain::String);
        assert_eq!(resolve_plain("."), Plain::String);
        assert_eq!(resolve_plain("1e"), Plain::String);
        assert_eq!(resolve_plain("+"), Plain::String);
        assert_eq!(resolve_plain("12:30"), Plain::String);
    }
}
