//! A duration as a person edits it: a whole number and a unit (seconds, minutes, hours). It
//! cannot hold an invalid value: the number is kept between 1 and 999, and the unit is chosen
//! from a list.

use std::time::Duration;

use egui::Ui;

use crate::gui::view::a11y::named;
use crate::i18n::{Lang, T};

/// A unit a duration is edited in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    Seconds,
    Minutes,
    Hours,
}

impl Unit {
    const ALL: [Unit; 3] = [Unit::Seconds, Unit::Minutes, Unit::Hours];

    fn seconds(self) -> u64 {
        match self {
            Unit::Seconds => 1,
            Unit::Minutes => 60,
            Unit::Hours => 3600,
        }
    }

    fn text(self) -> T {
        match self {
            Unit::Seconds => T::UnitSeconds,
            Unit::Minutes => T::UnitMinutes,
            Unit::Hours => T::UnitHours,
        }
    }
}

/// A number and its unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DurationField {
    amount: u32,
    unit: Unit,
}

impl DurationField {
    /// `d` in the largest unit that holds it whole (at least 1 s).
    pub(crate) fn new(d: Duration) -> Self {
        let s = d.as_secs().clamp(1, 999 * 3600);
        let unit = [Unit::Hours, Unit::Minutes]
            .into_iter()
            .find(|u| s.is_multiple_of(u.seconds()) && s / u.seconds() <= 999)
            .unwrap_or(Unit::Seconds);
        let amount = u32::try_from((s / unit.seconds()).min(999)).unwrap_or(999);
        Self { amount, unit }
    }

    /// The duration it holds.
    pub(crate) fn duration(self) -> Duration {
        Duration::from_secs(u64::from(self.amount.max(1)) * self.unit.seconds())
    }

    /// The number (labelled by `label`) and the unit (named "Unit of …" after `what`).
    pub(crate) fn show(&mut self, ui: &mut Ui, (label, what): (egui::Id, &str), lang: Lang) {
        ui.horizontal(|ui| {
            ui.add(
                egui::DragValue::new(&mut self.amount)
                    .range(1..=999)
                    .speed(0.2),
            )
            .labelled_by(label);
            let combo = egui::ComboBox::from_id_salt(label.with("unit"))
                .selected_text(self.unit.text().tr(lang))
                .show_ui(ui, |ui| {
                    for unit in Unit::ALL {
                        ui.selectable_value(&mut self.unit, unit, unit.text().tr(lang));
                    }
                })
                .response;
            named(combo, &T::A11yUnitOf.fill(lang, &[("what", what)]));
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_duration_is_shown_in_the_largest_whole_unit_and_never_as_zero() {
        let field = |s| DurationField::new(Duration::from_secs(s));
        assert_eq!(
            field(600),
            DurationField {
                amount: 10,
                unit: Unit::Minutes
            }
        );
        assert_eq!(
            field(7200),
            DurationField {
                amount: 2,
                unit: Unit::Hours
            }
        );
        assert_eq!(
            field(90),
            DurationField {
                amount: 90,
                unit: Unit::Seconds
            }
        );
        assert_eq!(field(0).duration(), Duration::from_secs(1));
        let mut zero = field(60);
        zero.amount = 0;
        assert_eq!(zero.duration(), Duration::from_secs(60), "0 is read as 1");
    }
}
