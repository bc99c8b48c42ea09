//! Portuguese (pt-BR) and English for every string a user sees, CLI and window alike. Each
//! text is one entry of [`T`] with both translations side by side, so a missing translation
//! does not compile, and `tests` checks that placeholders match.

pub(crate) mod attention;
pub(crate) mod callback;
mod explain;
mod texts;
pub(crate) mod time;

pub(crate) use explain::{Explanation, Surface, explain, explain_for, unclear};
pub use texts::{E, T};

use serde::{Deserialize, Serialize};

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Brazilian Portuguese.
    PtBr,
}

impl Lang {
    /// Both languages, in the order Settings lists them.
    pub const ALL: [Lang; 2] = [Lang::PtBr, Lang::En];

    /// The language for a locale tag (`pt_BR.UTF-8`, `pt-PT`, `en-US`, `C`…): any Portuguese
    /// is pt-BR, everything else (including `C` and `POSIX`) is English.
    pub fn from_locale(tag: Option<&str>) -> Lang {
        match tag {
            Some(t) if t.to_ascii_lowercase().starts_with("pt") => Lang::PtBr,
            _ => Lang::En,
        }
    }

    /// The language of the system (`LC_ALL`, `LC_MESSAGES`, `LANG` on Unix).
    pub fn from_system() -> Lang {
        Lang::from_locale(sys_locale::get_locale().as_deref())
    }

    /// The language's own name, for the picker.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::PtBr => "Português (Brasil)",
        }
    }
}

/// Fills `{name}` placeholders.
pub(crate) fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (k, v) in args {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn placeholders(s: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let mut rest = s;
        while let Some(a) = rest.find('{') {
            let Some(b) = rest[a..].find('}') else { break };
            out.insert(rest[a + 1..a + b].to_owned());
            rest = &rest[a + b + 1..];
        }
        out
    }

    #[test]
    fn every_text_has_both_translations_with_the_same_placeholders() {
        let texts = T::ALL
            .iter()
            .map(|t| (format!("{t:?}"), t.get(Lang::En), t.get(Lang::PtBr)));
        let errors = E::ALL
            .iter()
            .map(|t| (format!("{t:?}"), t.get(Lang::En), t.get(Lang::PtBr)));
        for (t, en, pt) in texts.chain(errors) {
            assert!(!en.trim().is_empty(), "{t:?} has no English text");
            assert!(!pt.trim().is_empty(), "{t:?} has no Portuguese text");
            assert_eq!(
                placeholders(en),
                placeholders(pt),
                "{t:?}: placeholders differ"
            );
        }
    }

    #[test]
    fn locale_detection() {
        assert_eq!(Lang::from_locale(Some("pt_BR.UTF-8")), Lang::PtBr);
        assert_eq!(Lang::from_locale(Some("pt-BR")), Lang::PtBr);
        assert_eq!(Lang::from_locale(Some("pt")), Lang::PtBr);
        assert_eq!(Lang::from_locale(Some("en-US")), Lang::En);
        assert_eq!(Lang::from_locale(Some("C")), Lang::En);
        assert_eq!(Lang::from_locale(Some("POSIX")), Lang::En);
        assert_eq!(Lang::from_locale(Some("de_DE")), Lang::En);
        assert_eq!(Lang::from_locale(None), Lang::En);
    }

    #[test]
    fn fill_replaces_placeholders() {
        assert_eq!(
            fill("a {x} b {x} {y}", &[("x", "1"), ("y", "2")]),
            "a 1 b 1 2"
        );
    }
}
