//! The list of accounts: a summary line ("12 accounts · 2 need attention") with the order and
//! compact switches; then the accounts that match the filter, attention first (or by name), as
//! cards that flow into columns on wide windows, or one line each in compact mode. Only rows in
//! view are drawn (the others take their last measured height), so the once-a-second repaint
//! costs the same with dozens of accounts as with a handful. A saved account is scrolled to.

use std::collections::HashMap;

use egui::{Align, Layout, RichText, Ui};

use crate::core::account::AccountId;
use crate::core::config::AccountConfig;
use crate::gui::action::Action;
use crate::gui::list_order::{ListOrder, arrange, hold};
use crate::gui::style;
use crate::gui::view::ViewContext;
use crate::gui::view::card::card;
use crate::gui::view::compact::compact_row;
use crate::gui::view::empty_state::empty_state;
use crate::gui::view::row::split_row;
use crate::i18n::{Lang, T};

/// The filter box appears once there are more accounts than this.
pub(crate) const FILTER_FROM: usize = 5;

/// Height assumed for a card never drawn yet.
const CARD_HEIGHT_GUESS: f32 = 110.0;

/// Height assumed for a compact line never drawn yet.
const LINE_HEIGHT_GUESS: f32 = 40.0;

/// Gap between cards.
const GAP: f32 = 10.0;

/// Cards are at least this wide: a wider window gets more columns.
const MIN_CARD_WIDTH: f32 = 440.0;

/// What the list needs from the window's state.
pub(crate) struct ListView<'a> {
    /// The filter's text.
    pub filter: &'a str,
    /// The order.
    pub order: ListOrder,
    /// One line per account.
    pub compact: bool,
    /// Each account's last drawn height.
    pub heights: &'a mut HashMap<AccountId, f32>,
    /// Scroll to this account (then forget it).
    pub scroll_to: &'a mut Option<AccountId>,
}

/// Draws the summary and the accounts (or the empty state).
pub(crate) fn account_list(
    ui: &mut Ui,
    cx: ViewContext<'_>,
    view: &mut ListView<'_>,
    actions: &mut Vec<Action>,
) {
    let lang = cx.lang;
    if cx.snapshot.accounts().is_empty() && cx.snapshot.config_error.is_none() {
        empty_state(ui, lang, actions);
        return;
    }
    let filter = if cx.snapshot.accounts().len() > FILTER_FROM {
        view.filter
    } else {
        ""
    };
    let mut list = arrange(cx.snapshot, filter, view.order, cx.now);
    list.shown = held_still(ui, (filter, view.order), list.shown);
    summary(
        ui,
        cx,
        (list.total, list.attention, list.shown.len()),
        view,
        actions,
    );
    if list.shown.is_empty() && !filter.trim().is_empty() {
        ui.add_space(20.0);
        ui.vertical_centered(|ui| ui.label(T::NoMatch.fill(lang, &[("filter", filter.trim())])));
        return;
    }
    let columns = if view.compact {
        1
    } else {
        (((ui.available_width() + GAP) / (MIN_CARD_WIDTH + GAP)).floor() as usize).max(1)
    };
    let guess = if view.compact {
        LINE_HEIGHT_GUESS
    } else {
        CARD_HEIGHT_GUESS
    };
    let rows: Vec<&[&AccountConfig]> = list.shown.chunks(columns).collect();
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show_viewport(ui, |ui, viewport| {
            let layout = Grid {
                columns,
                guess,
                viewport,
            };
            draw_rows(ui, cx, view, &rows, layout, actions);
        });
}

/// After a click or a key press, the list keeps its order this long (seconds), so that a
/// card does not move away under the next click.
const HOLD_AFTER_INPUT: f64 = 3.0;

/// The order the list is drawn in: `fresh`, unless reordering now would move what is under
/// the pointer or what has the focus (the pointer is over the list, or a click or key press
/// came less than [`HOLD_AFTER_INPUT`] ago); then the order last drawn, with newcomers last.
/// A change of order or filter by the person applies at once.
fn held_still<'a>(
    ui: &Ui,
    (filter, order): (&str, ListOrder),
    fresh: Vec<&'a AccountConfig>,
) -> Vec<&'a AccountConfig> {
    let id = egui::Id::unique("list-held-order");
    let input_id = id.with("last-input");
    let now = ui.input(|i| i.time);
    let touched = ui.input(|i| {
        i.pointer.any_pressed()
            || i.events
                .iter()
                .any(|e| matches!(e, egui::Event::Key { pressed: true, .. }))
    });
    if touched {
        ui.ctx().data_mut(|d| d.insert_temp(input_id, now));
    }
    let since_input = ui
        .ctx()
        .data(|d| d.get_temp::<f64>(input_id))
        .map(|t| now - t);
    let recent = since_input.is_some_and(|s| s < HOLD_AFTER_INPUT);
    let hovered = ui.rect_contains_pointer(ui.available_rect_before_wrap());
    let key = (filter.to_owned(), order);
    let held: Option<(String, ListOrder, Vec<AccountId>)> = ui.ctx().data(|d| d.get_temp(id));
    let shown = match held {
        Some((f, o, ids)) if (hovered || recent) && (f.as_str(), o) == (key.0.as_str(), key.1) => {
            hold(fresh, &ids)
        }
        _ => fresh,
    };
    if let Some(s) = since_input.filter(|_| recent) {
        // Redraw when the hold ends, in case nothing else does.
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_secs_f64(HOLD_AFTER_INPUT - s));
    }
    let ids: Vec<AccountId> = shown.iter().map(|a| a.id).collect();
    ui.ctx()
        .data_mut(|d| d.insert_temp(id, (key.0, key.1, ids)));
    shown
}

/// How the rows are laid out: columns, the height assumed for a row never drawn, the part
/// in view.
#[derive(Clone, Copy)]
struct Grid {
    columns: usize,
    guess: f32,
    viewport: egui::Rect,
}

/// The rows, drawn where they are in view (or half a screen beyond, so Tab reaches the next
/// card, or wanted in view); the others take their last measured height.
fn draw_rows(
    ui: &mut Ui,
    cx: ViewContext<'_>,
    view: &mut ListView<'_>,
    rows: &[&[&AccountConfig]],
    Grid {
        columns,
        guess,
        viewport,
    }: Grid,
    actions: &mut Vec<Action>,
) {
    // Keep the scroll bar off the cards' right border.
    let width = ui.available_width() - ui.spacing().scroll.bar_width;
    let column_width = (width - GAP * (columns as f32 - 1.0)) / columns as f32;
    follow_highlighted(ui, cx, view, rows);
    let mut y = 0.0;
    for row in rows {
        let known = row
            .iter()
            .map(|a| view.heights.get(&a.id).copied().unwrap_or(guess))
            .fold(0.0, f32::max);
        let margin = viewport.height() / 2.0;
        let in_view = y + known >= viewport.min.y - margin && y <= viewport.max.y + margin;
        let wanted = view
            .scroll_to
            .is_some_and(|id| row.iter().any(|a| a.id == id));
        let top = ui.cursor().min;
        let height = if in_view || wanted {
            draw_row(
                ui,
                cx,
                row,
                column_width,
                view.compact,
                view.heights,
                actions,
            )
        } else {
            ui.allocate_space(egui::vec2(width, known));
            known
        };
        if wanted {
            let rect = egui::Rect::from_min_size(top, egui::vec2(width, height));
            ui.scroll_to_rect(rect, Some(Align::Center));
            *view.scroll_to = None;
        }
        let gap = if view.compact { 4.0 } else { GAP };
        ui.add_space(gap);
        y += height + gap + ui.spacing().item_spacing.y;
    }
}

/// The highlighted (just saved) account is followed while it moves, e.g. to the top when
/// trying its new credentials fails.
fn follow_highlighted(
    ui: &Ui,
    cx: ViewContext<'_>,
    view: &mut ListView<'_>,
    rows: &[&[&AccountConfig]],
) {
    let moved_id = egui::Id::unique("highlighted-row");
    let highlighted_row = cx.highlight.and_then(|id| {
        rows.iter()
            .position(|row| row.iter().any(|a| a.id == id))
            .map(|i| (id, i))
    });
    let last_row = ui.ctx().data(|d| d.get_temp::<usize>(moved_id));
    if let Some((id, i)) = highlighted_row
        && last_row != Some(i)
    {
        ui.ctx().data_mut(|d| d.insert_temp(moved_id, i));
        *view.scroll_to = Some(id);
    }
}

/// One row of cards (or one compact line); returns its height.
fn draw_row(
    ui: &mut Ui,
    cx: ViewContext<'_>,
    row: &[&AccountConfig],
    column_width: f32,
    compact: bool,
    heights: &mut HashMap<AccountId, f32>,
    actions: &mut Vec<Action>,
) -> f32 {
    // Cards in a row are as tall as the tallest needed last frame.
    let aligned = row
        .iter()
        .filter_map(|a| heights.get(&a.id))
        .fold(0.0, |a: f32, b| a.max(*b));
    let inner = ui.horizontal_top(|ui| {
        ui.spacing_mut().item_spacing.x = GAP;
        let mut tallest: f32 = 0.0;
        for account in row {
            let size = egui::vec2(column_width, 0.0);
            let drawn = ui
                .allocate_ui_with_layout(size, Layout::top_down(Align::Min), |ui| {
                    ui.set_width(column_width);
                    if compact {
                        compact_row(ui, cx, account, actions)
                    } else {
                        card(ui, (cx, aligned), account, actions)
                    }
                })
                .inner;
            heights.insert(account.id, drawn);
            tallest = tallest.max(drawn);
        }
        tallest
    });
    if !compact && (inner.inner - aligned).abs() > 0.5 {
        // A card's needs changed: draw again at once, so the row is aligned again in this
        // moment rather than at the next tick (a minute, without the focus).
        ui.ctx().request_discard("a row of cards changed height");
    }
    // What the row took: its cards' needs, or the aligned height they were drawn at.
    inner.inner.max(inner.response.rect.height())
}

/// "12 accounts · 2 need attention", then the order and compact switches.
fn summary(
    ui: &mut Ui,
    cx: ViewContext<'_>,
    (total, attention, shown): (usize, usize, usize),
    view: &ListView<'_>,
    actions: &mut Vec<Action>,
) {
    let lang = cx.lang;
    split_row(
        ui,
        egui::Id::unique("list-summary"),
        |ui| {
            let text = summary_text(total, attention, shown, lang);
            let color = if attention > 0 {
                style::readable(ui, style::RED)
            } else {
                ui.visuals().text_color()
            };
            ui.label(RichText::new(text).color(color));
        },
        |ui| {
            let mut order = view.order;
            ui.selectable_value(&mut order, ListOrder::Attention, T::OrderAttention.tr(lang));
            ui.selectable_value(&mut order, ListOrder::Name, T::OrderName.tr(lang));
            if order != view.order {
                actions.push(Action::SetOrder(order));
            }
            let mut compact = view.compact;
            if ui.checkbox(&mut compact, T::Compact.tr(lang)).changed() {
                actions.push(Action::SetCompact(compact));
            }
        },
    );
    ui.add_space(4.0);
}

/// "12 accounts · 2 need attention" (· "3 shown" when filtered).
pub(crate) fn summary_text(total: usize, attention: usize, shown: usize, lang: Lang) -> String {
    let count = total.to_string();
    let mut text = match total {
        1 => T::SummaryAccount.tr(lang).to_owned(),
        _ => T::SummaryAccounts.fill(lang, &[("count", &count)]),
    };
    text.push_str(" · ");
    text.push_str(&match attention {
        0 => T::SummaryAllWell.tr(lang).to_owned(),
        1 => T::SummaryAttentionOne.tr(lang).to_owned(),
        n => T::SummaryAttention.fill(lang, &[("attention", &n.to_string())]),
    });
    if shown != total {
        text.push_str(" · ");
        text.push_str(&T::SummaryShown.fill(lang, &[("shown", &shown.to_string())]));
    }
    text
}
