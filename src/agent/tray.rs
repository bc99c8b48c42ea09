//! The tray icon (Linux): a StatusNotifierItem with its dbusmenu, over the session bus in pure
//! Rust (ksni). The icon says whether all is well or an account needs attention; the menu
//! lists every account with its time left, computed when the menu opens, and offers Copy
//! token, Refresh all now, Open Renova and Quit. Clicks become [`Wake`]s for the agent's loop,
//! which does the work.

use std::sync::atomic::{AtomicBool, Ordering};

use ksni::TrayMethods;
use ksni::menu::{MenuItem, StandardItem};
use tokio::sync::mpsc;

use crate::agent::engine::{Wake, time_left};
use crate::core::account::fold;
use crate::core::renova::{AccountSummary, Renova};
use crate::i18n::attention::state_text;
use crate::i18n::{Lang, T};

/// The tray item.
pub(crate) struct RenovaTray {
    renova: Renova,
    lang: Lang,
    wake: mpsc::UnboundedSender<Wake>,
    /// Called once if no tray host is there (the agent runs on all the same).
    no_host: Box<dyn Fn() + Send + Sync>,
    told: AtomicBool,
}

/// A running tray item: tell it when the accounts changed.
pub(crate) struct TrayHandle(ksni::Handle<RenovaTray>);

impl TrayHandle {
    /// The accounts changed: the host rereads the icon, tooltip and menu.
    pub(crate) async fn refresh(&self) {
        self.0.update(|_| ()).await;
    }
}

/// Puts the item on the session bus. It waits for a tray host to appear if none is there yet
/// (`no_host` is called once); `Err` when there is no session bus at all.
pub(crate) async fn spawn(
    renova: Renova,
    lang: Lang,
    wake: mpsc::UnboundedSender<Wake>,
    no_host: impl Fn() + Send + Sync + 'static,
) -> Result<TrayHandle, ksni::Error> {
    let tray = RenovaTray {
        renova,
        lang,
        wake,
        no_host: Box::new(no_host),
        told: AtomicBool::new(false),
    };
    tray.assume_sni_available(true)
        .spawn()
        .await
        .map(TrayHandle)
}

/// A menu label shown as it is: dbusmenu reads `_` as an access-key marker.
fn label(text: &str) -> String {
    text.replace('_', "__")
}

/// An account the user should look at: the core's attention rule, as the window reads it.
fn needs_attention(row: &AccountSummary) -> bool {
    row.status.attention.is_some()
}

impl RenovaTray {
    /// The accounts in the window's order: those that need attention first (the core's
    /// rank), then by name.
    fn rows(&self) -> Vec<AccountSummary> {
        let mut rows = self.renova.list(self.renova.now()).unwrap_or_default();
        rows.sort_by_cached_key(|r| (r.status.attention_rank(), fold(&r.account.name)));
        rows
    }

    fn send(&self, wake: Wake) {
        // The agent may be ending: nobody to tell.
        let _ignored = self.wake.send(wake);
    }
}

impl ksni::Tray for RenovaTray {
    /// A left click opens the menu where the host reads `ItemIsMenu` (xfce4-panel, KDE,
    /// GNOME's AppIndicator extension); a host that calls `Activate` instead gets the error
    /// GNOME and KDE < 6.4 take as "show the menu" (ksni's convention).
    const MENU_ON_ACTIVATE: bool = true;

    fn id(&self) -> String {
        "renova".to_owned()
    }

    fn title(&self) -> String {
        "Renova".to_owned()
    }

    fn category(&self) -> ksni::Category {
        ksni::Category::ApplicationStatus
    }

    fn status(&self) -> ksni::Status {
        if self.rows().iter().any(needs_attention) {
            ksni::Status::NeedsAttention
        } else {
            ksni::Status::Active
        }
    }

    fn icon_name(&self) -> String {
        "renova".to_owned()
    }

    /// The icon carries the dot itself when something needs attention: some hosts
    /// (gtk-sni-tray) never show the attention icon.
    fn icon_pixmap(&self) -> Vec<ksni::Icon> {
        icons(self.rows().iter().any(needs_attention))
    }

    fn attention_icon_pixmap(&self) -> Vec<ksni::Icon> {
        icons(true)
    }

    fn tool_tip(&self) -> ksni::ToolTip {
        let rows = self.rows();
        let attention = rows.iter().filter(|r| needs_attention(r)).count();
        let description = if attention == 0 {
            T::TrayAllWell.fill(self.lang, &[("count", &rows.len().to_string())])
        } else {
            T::TrayAttention.fill(
                self.lang,
                &[
                    ("count", &rows.len().to_string()),
                    ("attention", &attention.to_string()),
                ],
            )
        };
        ksni::ToolTip {
            title: "Renova".to_owned(),
            description,
            ..Default::default()
        }
    }

    fn menu(&self) -> Vec<MenuItem<Self>> {
        let lang = self.lang;
        let now = self.renova.now();
        let mut items: Vec<MenuItem<Self>> = self
            .rows()
            .into_iter()
            .map(|row| {
                let id = row.account.id;
                if !row.status.copyable {
                    // Nothing to copy: say why, and offer nothing that would do nothing.
                    let state = state_text(&row.status, lang, now);
                    let text = T::TrayUnavailable
                        .fill(lang, &[("name", &row.account.name), ("state", &state)]);
                    return StandardItem {
                        label: label(&text),
                        icon_name: "dialog-warning".to_owned(),
                        enabled: false,
                        ..Default::default()
                    }
                    .into();
                }
                let name = ("name", row.account.name.as_str());
                let text = if row.status.never_expires {
                    T::TrayCopyNoExpiry.fill(lang, &[name])
                } else {
                    let left = time_left(row.state.expires_at, now);
                    T::TrayCopy.fill(lang, &[name, ("left", &left)])
                };
                StandardItem {
                    label: label(&text),
                    icon_name: if needs_attention(&row) {
                        "dialog-warning".to_owned()
                    } else {
                        "edit-copy".to_owned()
                    },
                    activate: Box::new(move |tray: &mut Self| tray.send(Wake::Copy(id))),
                    ..Default::default()
                }
                .into()
            })
            .collect();
        items.push(MenuItem::Separator);
        items.push(
            StandardItem {
                label: label(T::TrayRefreshAll.tr(lang)),
                icon_name: "view-refresh".to_owned(),
                activate: Box::new(|tray: &mut Self| tray.send(Wake::RefreshAll)),
                ..Default::default()
            }
            .into(),
        );
        items.push(
            StandardItem {
                label: label(T::TrayOpen.tr(lang)),
                activate: Box::new(|tray: &mut Self| tray.send(Wake::OpenWindow)),
                ..Default::default()
            }
            .into(),
        );
        items.push(MenuItem::Separator);
        items.push(
            StandardItem {
                label: label(T::TrayQuit.tr(lang)),
                icon_name: "application-exit".to_owned(),
                activate: Box::new(|tray: &mut Self| tray.send(Wake::Quit)),
                ..Default::default()
            }
            .into(),
        );
        items
    }

    /// Implemented (with nothing to do) so the menu is built again each time it opens: the
    /// times left in it are current then.
    fn menu_about_to_show(&mut self) {}

    fn watcher_offline(&self, _reason: ksni::OfflineReason) -> bool {
        if !self.told.swap(true, Ordering::SeqCst) {
            (self.no_host)();
        }
        // Keep the item: a tray host that starts later (a panel after login) shows it.
        true
    }
}

/// The icon in two sizes, as ARGB32; with a red dot when something needs attention.
fn icons(attention: bool) -> Vec<ksni::Icon> {
    [
        &include_bytes!("../../assets/icon-32.png")[..],
        &include_bytes!("../../assets/icon-64.png")[..],
    ]
    .into_iter()
    .filter_map(|png| eframe::icon_data::from_png_bytes(png).ok())
    .map(|icon| {
        let (w, h) = (icon.width as usize, icon.height as usize);
        let mut data = Vec::with_capacity(w * h * 4);
        for (i, px) in icon.rgba.chunks_exact(4).enumerate() {
            let (x, y) = ((i % w) as f32, (i / w) as f32);
            let (cx, cy, r) = (w as f32 * 0.75, h as f32 * 0.75, w as f32 * 0.22);
            if attention && (x - cx).powi(2) + (y - cy).powi(2) <= r * r {
                data.extend_from_slice(&[255, 220, 38, 38]);
            } else {
                data.extend_from_slice(&[px[3], px[0], px[1], px[2]]);
            }
        }
        ksni::Icon {
            width: i32::try_from(w).unwrap_or_default(),
            height: i32::try_from(h).unwrap_or_default(),
            data,
        }
    })
    .collect()
}
