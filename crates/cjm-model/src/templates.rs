//! Ready-made journey maps that `cjm new` writes: one per common journey, in every shipped language.
//!
//! The templates are YAML files in `crates/cjm-model/templates/`, named `NAME.LANG.yaml` and
//! compiled into the binary. Every language of a template has the same ids, stages, steps,
//! lanes, scores and ratings; only the text is translated, so a team can switch language
//! without losing its map's structure.

use thiserror::Error;

/// Declares the template table from `name => [langs]`, embedding `templates/NAME.LANG.yaml`.
macro_rules! templates {
    ($($name:literal => [$($lang:literal),+ $(,)?]),+ $(,)?) => {
        /// Template names, in the order `cjm new --help` lists them.
        pub const NAMES: &[&str] = &[$($name),+];

        /// Every (name, language, YAML text) the crate ships.
        const TEMPLATES: &[(&str, &str, &str)] = &[
            $($(($name, $lang, include_str!(concat!("../templates/", $name, ".", $lang, ".yaml"))),)+)+
        ];
    };
}

templates! {
    "saas" => ["en", "ru", "zh", "pl"],
    "agency" => ["en", "ru", "zh", "pl"],
    "machinery" => ["en", "ru", "zh", "pl"],
    "shop" => ["en", "ru", "zh", "pl"],
    "restaurant" => ["en", "ru", "zh", "pl"],
    "bank" => ["en", "ru", "zh", "pl"],
    "blueprint" => ["en", "ru", "zh", "pl"],
}

/// Languages a template can be written in (the labels of cjm ship in the same ones).
pub const LANGS: &[&str] = &["en", "ru", "zh", "pl"];

/// A template or a language that cjm does not ship.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TemplateError {
    /// No template has this name.
    #[error("unknown template \"{name}\"; the templates are: {}", NAMES.join(", "))]
    UnknownTemplate { name: String },
    /// The template exists but not in this language.
    #[error(
        "template \"{name}\" has no \"{lang}\" version; it is available in: {}",
        available.join(", ")
    )]
    UnknownLang {
        name: String,
        lang: String,
        available: Vec<&'static str>,
    },
}

/// The languages that template `name` is available in, in [`LANGS`] order.
pub fn languages(name: &str) -> Result<Vec<&'static str>, TemplateError> {
    let found: Vec<&'static str> = TEMPLATES
        .iter()
        .filter(|(n, _, _)| *n == name)
        .map(|(_, lang, _)| *lang)
        .collect();
    if found.is_empty() {
        return Err(TemplateError::UnknownTemplate {
            name: name.to_owned(),
        });
    }
    Ok(LANGS
        .iter()
        .copied()
        .filter(|lang| found.contains(lang))
        .collect())
}

/// The YAML text of template `name` in language `lang`, ready to be written to a map file.
pub fn template(name: &str, lang: &str) -> Result<&'static str, TemplateError> {
    if let Some((_, _, text)) = TEMPLATES.iter().find(|(n, l, _)| *n == name && *l == lang) {
        return Ok(text);
    }
    Err(TemplateError::UnknownLang {
        name: name.to_owned(),
        lang: lang.to_owned(),
        available: languages(name)?,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::{Evidence, Map};

    /// Metric units whose values are converted between languages (prices in local currency).
    const CURRENCIES: &[&str] = &["USD", "RUB", "CNY", "PLN"];

    fn parsed(name: &str, lang: &str) -> Map {
        let text = template(name, lang).expect("template exists");
        crate::parse_map(text, &format!("{name}.{lang}.yaml"))
            .unwrap_or_else(|error| panic!("{name}.{lang}: {error}"))
    }

    /// The channel names of a map in order: the personas' channels, then each touchpoint's.
    fn channels(map: &Map) -> Vec<&str> {
        let personas = map.personas.iter().flat_map(|p| &p.channels);
        let touchpoints = map
            .lanes
            .iter()
            .flat_map(|lane| &lane.cells)
            .filter_map(|cell| cell.channel.as_ref());
        personas.chain(touchpoints).map(String::as_str).collect()
    }

    /// Everything of a map except its text: what must not change between languages.
    fn structure(map: &Map) -> Vec<String> {
        let mut lines = vec![format!("map {} {:?} {:?}", map.id, map.map_type, map.scale)];
        for persona in &map.personas {
            lines.push(format!(
                "persona {} {:?} {:?} {:?}",
                persona.id,
                persona.age,
                persona.channels.len(),
                persona.filter
            ));
        }
        for stage in &map.stages {
            lines.push(format!("stage {} {:?}", stage.id, stage.events));
            for step in &stage.steps {
                lines.push(format!("step {} {:?}", step.id, step.events));
            }
        }
        for lane in &map.lanes {
            lines.push(format!("lane {} {:?}", lane.id, lane.kind));
            for cell in &lane.cells {
                let evidence = match &cell.evidence {
                    Some(Evidence::Assumed { .. }) => "assumed".to_owned(),
                    Some(Evidence::Observed { source, .. }) => format!("observed {source:?}"),
                    Some(Evidence::Measured { query, .. }) => format!("measured {query}"),
                    None => "none".to_owned(),
                };
                let metric = cell.metric.as_ref().map(|m| {
                    if CURRENCIES.contains(&m.unit.as_str()) {
                        format!("money {}", m.higher_is_better)
                    } else {
                        format!("{:?} {:?} {}", m.value, m.target, m.higher_is_better)
                    }
                });
                lines.push(format!(
                    "cell {} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {} {:?} {:?} {:?} {:?} {}",
                    cell.id,
                    cell.step,
                    cell.stage,
                    cell.personas,
                    cell.score,
                    cell.importance,
                    cell.channel.is_some(),
                    cell.severity,
                    cell.critical,
                    cell.impact,
                    cell.effort,
                    cell.answers,
                    metric,
                    evidence
                ));
            }
        }
        lines
    }

    #[test]
    fn every_name_has_english_and_every_listed_language_loads() {
        assert_eq!(NAMES.len(), 7);
        for name in NAMES {
            let langs = languages(name).expect("listed name");
            assert_eq!(langs.first(), Some(&"en"), "{name} lacks English");
            for lang in langs {
                assert!(LANGS.contains(&lang), "{name}.{lang}");
                assert!(template(name, lang).is_ok(), "{name}.{lang}");
            }
        }
    }

    #[test]
    fn every_template_parses_into_a_map_in_its_language() {
        for (name, lang, _) in TEMPLATES {
            let map = parsed(name, lang);
            assert_eq!(map.lang, *lang, "{name}.{lang}");
            assert!((5..=7).contains(&map.stages.len()), "{name}.{lang}");
            assert!(
                map.stages.iter().all(|s| (1..=3).contains(&s.steps.len())),
                "{name}.{lang}"
            );
        }
    }

    #[test]
    fn every_template_passes_strict_checks() {
        for (name, lang, text) in TEMPLATES {
            let path = format!("{name}.{lang}.yaml");
            let findings: Vec<String> = crate::check_source(text, &path)
                .iter()
                .map(|d| d.display(&path).to_string())
                .collect();
            assert_eq!(findings, Vec::<String>::new(), "{path}");
        }
    }

    #[test]
    fn translations_keep_the_structure_of_the_english_map() {
        for name in NAMES {
            let english = structure(&parsed(name, "en"));
            for lang in languages(name).expect("listed name") {
                assert_eq!(structure(&parsed(name, lang)), english, "{name}.{lang}");
            }
        }
    }

    #[test]
    fn translations_rename_each_channel_consistently() {
        for name in NAMES {
            let english_map = parsed(name, "en");
            let english = channels(&english_map);
            for lang in languages(name).expect("listed name") {
                let map = parsed(name, lang);
                let translated = channels(&map);
                assert_eq!(translated.len(), english.len(), "{name}.{lang}");
                let mut to: BTreeMap<&str, &str> = BTreeMap::new();
                let mut from: BTreeMap<&str, &str> = BTreeMap::new();
                for (en, tr) in english.iter().zip(&translated) {
                    let seen = *to.entry(en).or_insert(tr);
                    assert_eq!(seen, *tr, "{name}.{lang}: `{en}` has two names");
                    let seen = *from.entry(tr).or_insert(en);
                    assert_eq!(seen, *en, "{name}.{lang}: `{tr}` names two channels");
                }
            }
        }
    }

    #[test]
    fn map_types_fit_the_journey() {
        use crate::MapType::*;
        let expected = [
            ("saas", Basic),
            ("agency", Persona),
            ("machinery", Basic),
            ("shop", Channel),
            ("restaurant", Emotion),
            ("bank", Channel),
            ("blueprint", ServiceBlueprint),
        ];
        for (name, map_type) in expected {
            assert_eq!(parsed(name, "en").map_type, map_type, "{name}");
        }
        let bank = parsed("bank", "en");
        for channel in ["branch", "app", "web"] {
            let used = bank
                .lanes
                .iter()
                .flat_map(|lane| &lane.cells)
                .any(|cell| cell.channel.as_deref() == Some(channel));
            assert!(used, "bank has no {channel} touchpoint");
        }
    }

    #[test]
    fn unknown_template_lists_the_valid_names() {
        let error = template("hotel", "en").unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown template \"hotel\"; the templates are: \
             saas, agency, machinery, shop, restaurant, bank, blueprint"
        );
    }

    #[test]
    fn unknown_language_lists_the_available_ones() {
        let error = template("bank", "de").unwrap_err();
        let available = languages("bank").expect("bank exists").join(", ");
        assert_eq!(
            error.to_string(),
            format!("template \"bank\" has no \"de\" version; it is available in: {available}")
        );
    }
}
