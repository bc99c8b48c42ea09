//! The list of account cards: filtered once there are more than [`FILTER_FROM`] accounts, and
//! drawn only where in view (the others take their last measured height), so the
//! once-a-second repaint costs the same with dozens of accounts as with a handful.

use std::collections::HashMap;

use egui::Ui;

use crate::core::account::AccountId;
use crate::core::config::AccountConfig;
use crate::gui::action::Action;
use crate::gui::view::ViewContext;
use crate::gui::view::card::card;
use crate::gui::view::empty_state::empty_state;
use crate::i18n::T;

/// The filter box appears once there are more accounts than this.
pub const FILTER_FROM: usize = 5;

/// Height assumed for a card never drawn yet.
const CARD_HEIGHT_GUESS: f32 = 110.0;

/// Gap between cards.
const GAP: f32 = 10.0;

fn matches_filter(account: &AccountConfig, cx: ViewContext<'_>, filter: &str) -> bool {
    let f = filter.trim().to_lowercase();
    if f.is_empty() {
        return true;
    }
    let rd_name = cx
        .snapshot
        .state
        .get(&account.id)
        .account_name
        .unwrap_or_default();
    account.name.to_lowercase().contains(&f)
        || rd_name.to_lowercase().contains(&f)
        || account.provider.id().contains(&f)
}

/// Draws the cards (or the empty state). `heights` remembers each card's last height.
pub fn account_list(
    ui: &mut Ui,
    cx: ViewContext<'_>,
    filter: &str,
    heights: &mut HashMap<AccountId, f32>,
    actions: &mut Vec<Action>,
) {
    let all = cx.snapshot.accounts();
    if all.is_empty() && cx.snapshot.config_error.is_none() {
        empty_state(ui, cx.lang, actions);
        return;
    }
    let filter = if all.len() > FILTER_FROM { filter } else { "" };
    let shown: Vec<&AccountConfig> = all
        .into_iter()
        .filter(|a| matches_filter(a, cx, filter))
        .collect();
    if shown.is_empty() && !filter.trim().is_empty() {
        ui.add_space(20.0);
        ui.vertical_centered(|ui| ui.label(T::NoMatch.fill(cx.lang, &[("filter", filter.trim())])));
        return;
    }
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show_viewport(ui, |ui, viewport| {
            let width = ui.available_width();
            let mut y = 0.0;
            for account in shown {
                let guess = heights
                    .get(&account.id)
                    .copied()
                    .unwrap_or(CARD_HEIGHT_GUESS);
                let in_view = y + guess >= viewport.min.y && y <= viewport.max.y;
                let height = if in_view {
                    let drawn = card(ui, cx, account, actions);
                    heights.insert(account.id, drawn);
                    drawn
                } else {
                    ui.allocate_space(egui::vec2(width, guess));
                    guess
                };
                ui.add_space(GAP);
                y += height + GAP + ui.spacing().item_spacing.y;
            }
        });
}
