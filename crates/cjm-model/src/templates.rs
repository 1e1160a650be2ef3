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
    "saas" => ["en"],
    "agency" => ["en"],
    "machinery" => ["en"],
    "shop" => ["en"],
    "restaurant" => ["en"],
    "bank" => ["en"],
    "blueprint" => ["en"],
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
    if let Some((_, _, text)) = TEMPLATES
        .iter()
        .find(|(n, l, _)| *n == name && *l == lang)
    {
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
    use super::*;

    #[test]
    fn every_name_and_language_has_a_template() {
        for name in NAMES {
            let langs = languages(name).expect("listed name");
            assert!(langs.contains(&"en"), "{name} lacks English");
            for lang in langs {
                assert!(template(name, lang).is_ok(), "{name}.{lang}");
            }
        }
        assert_eq!(NAMES.len(), 7);
    }

    #[test]
    fn unknown_template_lists_the_valid_names() {
        let error = template("hotel", "en").unwrap_err();
        assert_eq!(
            error.to_string(),
            format!("unknown template \"hotel\"; the templates are: {}", NAMES.join(", "))
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

#[cfg(test)]
mod parse_tests {
    use super::*;
    use crate::Map;

    fn parsed(name: &str, lang: &str) -> Map {
        let text = template(name, lang).expect("template exists");
        crate::parse_map(text, &format!("{name}.{lang}.yaml"))
            .unwrap_or_else(|error| panic!("{name}.{lang}: {error}"))
    }

    #[test]
    fn every_template_parses_into_a_map() {
        for (name, lang, _) in TEMPLATES {
            let map = parsed(name, lang);
            assert_eq!(map.lang, *lang, "{name}.{lang}");
            assert!((5..=7).contains(&map.stages.len()), "{name}.{lang}");
        }
    }
}
