//! Line breaking measured with the bundled fonts: per word for alphabetic scripts,
//! per character for CJK, with an ellipsis when the text is longer than the lines allowed.

use crate::fonts::{Weight, text_width};

/// A font size and weight: what a width is measured with.
#[derive(Debug, Clone, Copy)]
pub struct Font {
    pub size: f32,
    pub weight: Weight,
}

impl Font {
    /// A regular font of this size.
    pub const fn regular(size: f32) -> Self {
        Font {
            size,
            weight: Weight::Regular,
        }
    }

    /// A bold font of this size.
    pub const fn bold(size: f32) -> Self {
        Font {
            size,
            weight: Weight::Bold,
        }
    }

    /// The advance width of `text` in this font.
    pub fn width(self, text: &str) -> f32 {
        text_width(text, self.size, self.weight)
    }

    /// The distance between baselines of wrapped lines.
    pub fn line_height(self) -> f32 {
        (self.size * 1.32).round()
    }
}

/// Text broken into lines that fit a width.
#[derive(Debug, Clone, PartialEq)]
pub struct Wrapped {
    pub lines: Vec<String>,
    /// Whether text was cut (the last line then ends with an ellipsis).
    pub truncated: bool,
}

const ELLIPSIS: char = '…';

/// Whether `c` is set without spaces and may break on either side (Han, kana, Hangul, CJK punctuation).
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x9FFF | 0xA960..=0xA97F | 0xAC00..=0xD7FF | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

/// Punctuation that must not start a line.
fn is_closing(c: char) -> bool {
    "，。、！？；：」』）》】〉,.!?;:)\u{201d}\u{2019}\u{bb}\"".contains(c)
}

/// Splits a paragraph into break units: words with their trailing spaces, single CJK characters.
fn tokens(paragraph: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut after_space = false;
    for c in paragraph.chars() {
        if is_cjk(c) {
            if is_closing(c) && !word.is_empty() {
                word.push(c);
                out.push(std::mem::take(&mut word));
            } else if is_closing(c) && !out.is_empty() {
                if let Some(last) = out.last_mut() {
                    last.push(c);
                }
            } else {
                if !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
                out.push(c.to_string());
            }
            after_space = false;
        } else if c.is_whitespace() {
            word.push(' ');
            after_space = true;
        } else if word.is_empty() && is_closing(c) && !out.is_empty() {
            // A closing mark right after CJK text stays with it.
            if let Some(last) = out.last_mut() {
                last.push(c);
            }
        } else {
            if after_space {
                out.push(std::mem::take(&mut word));
                after_space = false;
            }
            word.push(c);
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// Breaks `text` into at most `max_lines` lines no wider than `max_width`.
///
/// Newlines in the text start new lines. A word longer than the width is broken
/// between characters. When the text does not fit, the last line ends with `…`.
pub fn wrap(text: &str, font: Font, max_width: f32, max_lines: usize) -> Wrapped {
    let mut lines: Vec<String> = Vec::new();
    for paragraph in text.trim().split('\n') {
        let mut line = String::new();
        for token in tokens(paragraph.trim()) {
            let candidate = format!("{line}{token}");
            if font.width(candidate.trim_end()) <= max_width {
                line = candidate;
                continue;
            }
            if !line.trim().is_empty() {
                lines.push(line.trim_end().to_owned());
                line = String::new();
            }
            let token = token.trim_start();
            if font.width(token.trim_end()) <= max_width {
                line = token.to_owned();
            } else {
                for c in token.chars() {
                    let candidate = format!("{line}{c}");
                    if font.width(candidate.trim_end()) > max_width && !line.is_empty() {
                        lines.push(line.trim_end().to_owned());
                        line = c.to_string();
                    } else {
                        line = candidate;
                    }
                }
            }
        }
        lines.push(line.trim_end().to_owned());
    }
    while lines.len() > 1 && lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    let truncated = lines.len() > max_lines.max(1);
    if truncated {
        lines.truncate(max_lines.max(1));
        if let Some(last) = lines.last_mut() {
            *last = with_ellipsis(last, font, max_width);
        }
    }
    Wrapped { lines, truncated }
}

/// Shortens `line` until it fits `max_width` with an ellipsis after it.
fn with_ellipsis(line: &str, font: Font, max_width: f32) -> String {
    let mut chars: Vec<char> = line.chars().collect();
    loop {
        let head: String = chars.iter().collect::<String>().trim_end().to_owned();
        let candidate = format!("{head}{ELLIPSIS}");
        if chars.is_empty() || font.width(&candidate) <= max_width {
            return candidate;
        }
        chars.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_stay_whole_and_lines_fit() {
        let font = Font::regular(12.0);
        let text = "Клиент сравнивает тарифы на сайте и в приложении банка";
        let w = wrap(text, font, 120.0, 10);
        assert!(!w.truncated);
        assert!(w.lines.len() > 2);
        assert_eq!(w.lines.join(" "), text);
        for line in &w.lines {
            assert!(font.width(line) <= 120.0, "{line}");
        }
    }

    #[test]
    fn chinese_breaks_between_characters_and_keeps_punctuation() {
        let font = Font::regular(12.0);
        let text = "“客户在应用程序中比较费率，然后去分行开户？”";
        let w = wrap(text, font, 60.0, 10);
        assert_eq!(w.lines.concat(), text);
        assert!(
            w.lines
                .iter()
                .all(|l| !l.starts_with('，') && !l.starts_with('。'))
        );
        assert!(w.lines.iter().all(|l| font.width(l) <= 60.0 + font.size));
    }

    #[test]
    fn overflow_ends_with_ellipsis() {
        let font = Font::regular(12.0);
        let w = wrap(
            "one two three four five six seven eight nine ten",
            font,
            50.0,
            2,
        );
        assert!(w.truncated);
        assert_eq!(w.lines.len(), 2);
        assert!(w.lines[1].ends_with('…'));
        assert!(font.width(&w.lines[1]) <= 50.0);
    }

    #[test]
    fn newlines_start_lines_and_long_words_break() {
        let font = Font::regular(12.0);
        let w = wrap("a\nbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", font, 60.0, 10);
        assert_eq!(w.lines[0], "a");
        assert!(w.lines.len() >= 3);
        assert_eq!(w.lines[1..].concat(), "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
    }
}
