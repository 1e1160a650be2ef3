//! The persona card: avatar with initials, name, age and occupation, quote, and the
//! lists that explain the persona (goals, frustrations, needs, channels, ...).

use cjm_model::Persona;

use crate::block::Block;
use crate::labels::Labels;
use crate::theme::{INK, MUTED};
use crate::wrap::{Font, wrap};
use crate::xml::{Anchor, SvgWriter};

const PAD: f32 = 14.0;
const ACCENT: &str = "#3949ab";
const NAME: Font = Font::bold(17.0);
const BODY: Font = Font::regular(11.5);
const HEADING: Font = Font::bold(11.5);

/// The initials shown in the avatar: given, or the first letters of the first two words.
pub fn initials(persona: &Persona) -> String {
    if let Some(initials) = persona.initials.as_ref().filter(|i| !i.trim().is_empty()) {
        return initials.trim().chars().take(3).collect();
    }
    let words: Vec<&str> = persona.name.split_whitespace().collect();
    match words.as_slice() {
        [] => "?".to_owned(),
        [one] => one.chars().take(2).collect::<String>().to_uppercase(),
        [first, second, ..] => first
            .chars()
            .take(1)
            .chain(second.chars().take(1))
            .collect::<String>()
            .to_uppercase(),
    }
}

/// Draws a persona card `w` wide at the origin.
pub fn persona_card(persona: &Persona, w: f32, labels: &Labels) -> Block {
    let mut body = SvgWriter::default();
    let inner = w - 2.0 * PAD;
    let mut y = PAD;

    // Avatar and name.
    let r = 28.0;
    body.circle(PAD + r, y + r, r, &format!(r#"fill="{ACCENT}""#));
    body.text(
        PAD + r,
        y + r + 7.0,
        Font::bold(19.0),
        "#ffffff",
        Anchor::Middle,
        &initials(persona),
    );
    let text_x = PAD + 2.0 * r + 12.0;
    let text_w = w - text_x - PAD;
    let mut ny = y + 4.0;
    for line in wrap(&persona.name, NAME, text_w, 2).lines {
        ny += NAME.line_height();
        body.text(text_x, ny - 4.0, NAME, INK, Anchor::Start, &line);
    }
    let mut facts = Vec::new();
    if let Some(age) = persona.age {
        facts.push(format!("{age} {}", labels.age));
    }
    if !persona.occupation.is_empty() {
        facts.push(persona.occupation.clone());
    }
    for line in wrap(&facts.join(", "), BODY, text_w, 3).lines {
        ny += BODY.line_height();
        body.text(text_x, ny - 3.0, BODY, MUTED, Anchor::Start, &line);
    }
    y = ny.max(y + 2.0 * r) + 10.0;

    if !persona.segment.is_empty() {
        let text = format!("{}: {}", labels.segment, persona.segment);
        for line in wrap(&text, BODY, inner, 2).lines {
            y += BODY.line_height();
            body.text(PAD, y - 3.0, BODY, MUTED, Anchor::Start, &line);
        }
        y += 6.0;
    }

    if !persona.quote.is_empty() {
        let (open, close) = labels.quotes;
        let quote = format!("{open}{}{close}", persona.quote.trim());
        let lines = wrap(&quote, Font::regular(12.5), inner - 10.0, 5).lines;
        let top = y;
        for line in &lines {
            y += Font::regular(12.5).line_height();
            body.text_styled(
                PAD + 10.0,
                y - 4.0,
                Font::regular(12.5),
                INK,
                Anchor::Start,
                r#"font-style="italic""#,
                line,
            );
        }
        body.rect(
            PAD,
            top + 2.0,
            3.0,
            y - top,
            1.5,
            &format!(r#"fill="{ACCENT}""#),
        );
        y += 10.0;
    }

    let sections: [(&str, &[String]); 6] = [
        (labels.goals, &persona.goals),
        (labels.frustrations, &persona.frustrations),
        (labels.needs, &persona.needs),
        (labels.channels, &persona.channels),
        (labels.sources_of_information, &persona.sources),
        (labels.objections, &persona.objections),
    ];
    for (heading, items) in sections {
        if items.is_empty() {
            continue;
        }
        y += HEADING.line_height();
        body.text(PAD, y - 3.0, HEADING, ACCENT, Anchor::Start, heading);
        if heading == labels.channels {
            let lines = wrap(&items.join(" · "), BODY, inner, 3).lines;
            for line in lines {
                y += BODY.line_height();
                body.text(PAD, y - 3.0, BODY, INK, Anchor::Start, &line);
            }
        } else {
            for item in items {
                let lines = wrap(item, BODY, inner - 12.0, 3).lines;
                body.circle(
                    PAD + 3.0,
                    y + BODY.line_height() / 2.0 + 1.0,
                    2.0,
                    &format!(r#"fill="{ACCENT}""#),
                );
                for line in lines {
                    y += BODY.line_height();
                    body.text(PAD + 12.0, y - 3.0, BODY, INK, Anchor::Start, &line);
                }
            }
        }
        y += 6.0;
    }
    let h = y + PAD;
    let mut svg = SvgWriter::default();
    svg.rect(
        0.5,
        0.5,
        w - 1.0,
        h - 1.0,
        8.0,
        r##"fill="#f5f6fb" stroke="#c5cae9" stroke-width="1""##,
    );
    svg.rect(0.5, 0.5, w - 1.0, 5.0, 2.5, &format!(r#"fill="{ACCENT}""#));
    svg.raw(&body.into_markup());
    Block {
        markup: svg.into_markup(),
        h,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_come_from_the_name_or_the_field() {
        let mut p = Persona {
            name: "Анна Петрова".into(),
            ..Persona::default()
        };
        assert_eq!(initials(&p), "АП");
        p.name = "王芳".into();
        assert_eq!(initials(&p), "王芳");
        p.initials = Some("JK".into());
        assert_eq!(initials(&p), "JK");
    }
}
