//! What the window remembers between runs (eframe storage), kept apart from every runtime
//! field so that nothing transient is persisted: only what the command line does not need.

use serde::{Deserialize, Serialize};

use crate::gui::list_order::ListOrder;
use crate::i18n::Lang;

/// The theme choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum ThemeChoice {
    /// Follow the operating system.
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl ThemeChoice {
    /// egui's name for it.
    pub fn preference(self) -> egui::ThemePreference {
        match self {
            ThemeChoice::System => egui::ThemePreference::System,
            ThemeChoice::Light => egui::ThemePreference::Light,
            ThemeChoice::Dark => egui::ThemePreference::Dark,
        }
    }
}

/// What the window remembers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    /// The chosen language; `None` follows the system.
    pub lang: Option<Lang>,
    /// The theme.
    pub theme: ThemeChoice,
    /// The list's order.
    pub order: ListOrder,
    /// One line per account instead of cards.
    pub compact: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefs_round_trip() {
        let p = Prefs {
            lang: Some(Lang::PtBr),
            theme: ThemeChoice::Dark,
            order: ListOrder::Name,
            compact: true,
        };
        let s = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<Prefs>(&s).unwrap(), p);
        assert_eq!(
            serde_json::from_str::<Prefs>("{}").unwrap(),
            Prefs::default()
        );
    }
}
