//! A stand-in tray host on a test's private bus: an `org.kde.StatusNotifierWatcher` that
//! records the items that register, and a `com.canonical.dbusmenu` client that reads an item's
//! menu and clicks its entries, as a panel would.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use zbus::zvariant::{OwnedValue, Value};
use zbus::{Connection, interface};

#[derive(Clone, Default)]
struct Watcher {
    items: Arc<Mutex<Vec<String>>>,
}

#[interface(name = "org.kde.StatusNotifierWatcher")]
impl Watcher {
    async fn register_status_notifier_item(&self, service: &str) {
        self.items.lock().unwrap().push(service.to_owned());
    }

    async fn register_status_notifier_host(&self, _service: &str) {}

    #[zbus(property)]
    fn registered_status_notifier_items(&self) -> Vec<String> {
        self.items.lock().unwrap().clone()
    }

    #[zbus(property)]
    fn is_status_notifier_host_registered(&self) -> bool {
        true
    }

    #[zbus(property)]
    fn protocol_version(&self) -> i32 {
        0
    }
}

/// The stand-in watcher, and a connection to talk to the items that register.
pub struct FakeWatcher {
    conn: Connection,
    items: Arc<Mutex<Vec<String>>>,
}

impl FakeWatcher {
    /// Owns `org.kde.StatusNotifierWatcher` on the bus at `address`.
    pub async fn start(address: &str) -> Self {
        let watcher = Watcher::default();
        let items = watcher.items.clone();
        let conn = zbus::connection::Builder::address(address)
            .unwrap()
            .serve_at("/StatusNotifierWatcher", watcher)
            .unwrap()
            .name("org.kde.StatusNotifierWatcher")
            .unwrap()
            .build()
            .await
            .unwrap();
        Self { conn, items }
    }

    /// The bus name of the first item that registers (waits up to 20 s).
    pub async fn item(&self) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(item) = self.items.lock().unwrap().first().cloned() {
                return item;
            }
            assert!(Instant::now() < deadline, "no tray item registered");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn call<B>(&self, item: &str, method: &str, body: &B) -> zbus::Message
    where
        B: serde::Serialize + zbus::zvariant::DynamicType,
    {
        self.conn
            .call_method(
                Some(item),
                "/MenuBar",
                Some("com.canonical.dbusmenu"),
                method,
                body,
            )
            .await
            .unwrap_or_else(|e| panic!("{method} on the tray item: {e}"))
    }

    /// The menu's entries as the host sees them when it opens the menu: `(id, label)`.
    pub async fn menu(&self, item: &str) -> Vec<(i32, String)> {
        self.call(item, "AboutToShow", &(0i32,)).await;
        let reply = self
            .call(
                item,
                "GetGroupProperties",
                &(Vec::<i32>::new(), vec!["label"]),
            )
            .await;
        let (entries,): (Vec<(i32, HashMap<String, OwnedValue>)>,) =
            reply.body().deserialize().unwrap();
        let mut labels: Vec<(i32, String)> = entries
            .into_iter()
            .filter_map(|(id, props)| {
                let label = props.get("label")?;
                let text: String = label.try_clone().ok()?.try_into().ok()?;
                Some((id, text))
            })
            .collect();
        labels.sort();
        labels
    }

    /// The menu's entries with their icons, as a host draws them: `(id, label, icon name)`.
    pub async fn menu_with_icons(&self, item: &str) -> Vec<(i32, String, String)> {
        self.call(item, "AboutToShow", &(0i32,)).await;
        let reply = self
            .call(
                item,
                "GetGroupProperties",
                &(Vec::<i32>::new(), vec!["label", "icon-name"]),
            )
            .await;
        let (entries,): (Vec<(i32, HashMap<String, OwnedValue>)>,) =
            reply.body().deserialize().unwrap();
        let text = |props: &HashMap<String, OwnedValue>, key: &str| -> Option<String> {
            props.get(key)?.try_clone().ok()?.try_into().ok()
        };
        let mut items: Vec<(i32, String, String)> = entries
            .into_iter()
            .filter_map(|(id, props)| {
                let label = text(&props, "label")?;
                Some((id, label, text(&props, "icon-name").unwrap_or_default()))
            })
            .collect();
        items.sort();
        items
    }

    /// Clicks the entry with this id.
    pub async fn click(&self, item: &str, id: i32) {
        self.call(item, "Event", &(id, "clicked", Value::from(0i32), 0u32))
            .await;
    }

    /// A property of the item itself (`Status`, `ToolTip`…).
    pub async fn property(&self, item: &str, name: &str) -> OwnedValue {
        let reply = self
            .conn
            .call_method(
                Some(item),
                "/StatusNotifierItem",
                Some("org.freedesktop.DBus.Properties"),
                "Get",
                &("org.kde.StatusNotifierItem", name),
            )
            .await
            .unwrap();
        let (value,): (OwnedValue,) = reply.body().deserialize().unwrap();
        value
    }
}

#[derive(Clone, Default)]
struct Notifications {
    shown: Arc<Mutex<Vec<(String, String)>>>,
    /// Each notification's `replaces_id` (0: a new one).
    replaces: Arc<Mutex<Vec<u32>>>,
    capabilities: Vec<String>,
}

#[interface(name = "org.freedesktop.Notifications")]
impl Notifications {
    #[allow(clippy::too_many_arguments)]
    async fn notify(
        &self,
        _app_name: &str,
        replaces_id: u32,
        _app_icon: &str,
        summary: &str,
        body: &str,
        _actions: Vec<String>,
        _hints: HashMap<String, OwnedValue>,
        _expire_timeout: i32,
    ) -> u32 {
        let mut shown = self.shown.lock().unwrap();
        shown.push((summary.to_owned(), body.to_owned()));
        self.replaces.lock().unwrap().push(replaces_id);
        if replaces_id == 0 {
            u32::try_from(shown.len()).unwrap()
        } else {
            replaces_id
        }
    }

    async fn close_notification(&self, _id: u32) {}

    async fn get_capabilities(&self) -> Vec<String> {
        self.capabilities.clone()
    }

    async fn get_server_information(&self) -> (String, String, String, String) {
        (
            "fake".to_owned(),
            "renova-tests".to_owned(),
            "1".to_owned(),
            "1.2".to_owned(),
        )
    }
}

/// A stand-in notification daemon on a test's private bus: what the desktop would show.
pub struct FakeNotifications {
    _conn: Connection,
    shown: Arc<Mutex<Vec<(String, String)>>>,
    replaces: Arc<Mutex<Vec<u32>>>,
}

impl FakeNotifications {
    /// Owns `org.freedesktop.Notifications` on the bus at `address` (plain text bodies).
    pub async fn start(address: &str) -> Self {
        Self::with_capabilities(address, &["body"]).await
    }

    /// [`FakeNotifications::start`], advertising `capabilities` (`body-markup`: the server
    /// reads `<b>`, `<a href>`… in bodies, as GNOME Shell and others do).
    pub async fn with_capabilities(address: &str, capabilities: &[&str]) -> Self {
        let server = Notifications {
            capabilities: capabilities.iter().map(|c| (*c).to_owned()).collect(),
            ..Notifications::default()
        };
        let shown = server.shown.clone();
        let replaces = server.replaces.clone();
        let conn = zbus::connection::Builder::address(address)
            .unwrap()
            .serve_at("/org/freedesktop/Notifications", server)
            .unwrap()
            .name("org.freedesktop.Notifications")
            .unwrap()
            .build()
            .await
            .unwrap();
        Self {
            _conn: conn,
            shown,
            replaces,
        }
    }

    /// Each notification's `replaces_id` so far (0: shown as a new one).
    pub fn replaces(&self) -> Vec<u32> {
        self.replaces.lock().unwrap().clone()
    }

    /// `(summary, body)` of every notification so far.
    pub fn shown(&self) -> Vec<(String, String)> {
        self.shown.lock().unwrap().clone()
    }
}
