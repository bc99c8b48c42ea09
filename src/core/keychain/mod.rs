//! The OS keychain, behind a worker thread with timeouts. The keyring stores are synchronous
//! and talk D-Bus (or the macOS/Windows APIs) underneath, so every call runs on one named
//! thread and the async side waits with a deadline: 5 s when no unlock prompt can appear,
//! up to 120 s (after saying so) when one can. Never a plaintext fallback.

use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use keyring_core::{CredentialStore, Entry};
use tokio::sync::oneshot;
use zeroize::Zeroizing;

use crate::core::account::AccountId;
use crate::core::secrets::Secrets;

pub(crate) mod error;
mod system;

pub(crate) use error::KeychainError;
use system::{classify, open_system, plain_vendor, prompt_possible};

/// The keychain service name under which every Renova entry lives.
pub(crate) const SERVICE: &str = "renova";

/// How long to wait for the keychain.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// When no unlock prompt can appear.
    pub quick: Duration,
    /// When an unlock prompt can appear (the user may be typing a password).
    pub patient: Duration,
    /// After this long, a waiting caller is told (so it can show "waiting for the keychain").
    pub notice_after: Duration,
    /// How much longer a write or delete that has outlived its timeout is still waited for.
    /// The caller keeps holding the account meanwhile, so the late write cannot land after a
    /// newer one.
    pub settle: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            quick: Duration::from_secs(5),
            patient: Duration::from_secs(120),
            notice_after: Duration::from_secs(1),
            settle: Duration::from_secs(60),
        }
    }
}

/// One read of an entry: the parsed secrets and the exact bytes, so they can be written back
/// unchanged to prove the keychain is writable.
pub struct StoredEntry {
    /// The parsed entry.
    pub secrets: Secrets,
    /// The bytes as stored.
    pub raw: Zeroizing<Vec<u8>>,
}

/// What a health check of the keychain found (for `doctor` and the window's banner).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Health {
    /// The store's own description (e.g. "Secret Service store, …").
    pub vendor: String,
}

type Reply<T> = oneshot::Sender<Result<T, KeychainError>>;

enum Request {
    Get(String, Reply<Option<Zeroizing<Vec<u8>>>>),
    /// A read that never unlocks: a locked entry is `Locked`, with no prompt raised.
    GetUnlocked(String, Reply<Option<Zeroizing<Vec<u8>>>>),
    Set(String, Zeroizing<Vec<u8>>, Reply<()>),
    Delete(String, Reply<()>),
    Probe(Reply<Health>),
    Users(Reply<Vec<String>>),
}

impl Request {
    /// Whether it changes the keychain.
    fn writes(&self) -> bool {
        matches!(
            self,
            Request::Set(..) | Request::Delete(..) | Request::Probe(_)
        )
    }

    /// Whether its caller stopped waiting (timed out): then it is not run at all.
    fn abandoned(&self) -> bool {
        match self {
            Request::Get(_, r) | Request::GetUnlocked(_, r) => r.is_closed(),
            Request::Set(_, _, r) | Request::Delete(_, r) => r.is_closed(),
            Request::Probe(r) => r.is_closed(),
            Request::Users(r) => r.is_closed(),
        }
    }
}

/// Which store the worker opens.
#[derive(Clone)]
enum Backend {
    /// The platform keychain, opened on first use.
    System,
    /// A given store (in-memory for the demo and unit tests).
    Given(Arc<CredentialStore>),
    /// No store: every call fails with this reason.
    Unavailable(String),
}

/// A handle to the keychain. Cheap to clone; all clones share one worker thread.
#[derive(Clone)]
pub struct Keychain {
    backend: Backend,
    worker: Arc<Mutex<Option<mpsc::Sender<Request>>>>,
    timeouts: Timeouts,
    prompt_possible: bool,
    on_wait: Option<Arc<dyn Fn() + Send + Sync>>,
}

impl std::fmt::Debug for Keychain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keychain")
            .field("system", &matches!(self.backend, Backend::System))
            .finish()
    }
}

impl Keychain {
    /// The platform keychain (Secret Service, macOS Keychain, Windows Credential Manager).
    pub fn system() -> Self {
        Self::new(Backend::System, prompt_possible())
    }

    /// A keychain that lives only in this process (the demo, unit tests). It never touches
    /// the OS keychain: if the in-memory store cannot be built, every call fails.
    pub fn in_memory() -> Self {
        match keyring_core::mock::Store::new() {
            Ok(store) => Self::with_store(store),
            Err(e) => Self::new(Backend::Unavailable(e.to_string()), false),
        }
    }

    /// A keychain over a given store (tests inject failing stores this way).
    pub fn with_store(store: Arc<CredentialStore>) -> Self {
        Self::new(Backend::Given(store), false)
    }

    fn new(backend: Backend, prompt_possible: bool) -> Self {
        Self {
            backend,
            worker: Arc::new(Mutex::new(None)),
            timeouts: Timeouts::default(),
            prompt_possible,
            on_wait: None,
        }
    }

    /// Replaces the timeouts.
    pub fn with_timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// Calls `f` once per call that has waited `notice_after` and may be waiting for the
    /// user to unlock the keychain.
    pub fn on_wait(mut self, f: impl Fn() + Send + Sync + 'static) -> Self {
        self.on_wait = Some(Arc::new(f));
        self
    }

    /// Whether an unlock prompt can appear (a display is available).
    pub fn can_prompt(&self) -> bool {
        self.prompt_possible
    }

    /// Reads an account's entry; `Ok(None)` when there is none.
    pub async fn read(&self, id: &AccountId) -> Result<Option<StoredEntry>, KeychainError> {
        let raw = self.call(|tx| Request::Get(id.to_string(), tx)).await?;
        let Some(raw) = raw else { return Ok(None) };
        let secrets = Secrets::from_json(&raw).map_err(KeychainError::Corrupt)?;
        Ok(Some(StoredEntry { secrets, raw }))
    }

    /// Writes an account's entry (creating it if needed).
    pub async fn write(&self, id: &AccountId, secrets: &Secrets) -> Result<(), KeychainError> {
        self.write_raw(id, secrets.to_json()).await
    }

    /// Writes exact bytes (used to write an entry back unchanged).
    pub async fn write_raw(
        &self,
        id: &AccountId,
        raw: Zeroizing<Vec<u8>>,
    ) -> Result<(), KeychainError> {
        // An empty entry would erase the credentials; nothing Renova writes is ever empty.
        if raw.is_empty() {
            return Err(KeychainError::Failed {
                detail: "refused to write an empty entry".to_owned(),
            });
        }
        self.call(|tx| Request::Set(id.to_string(), raw, tx)).await
    }

    /// Deletes an account's entry; succeeds when there is none.
    pub async fn delete(&self, id: &AccountId) -> Result<(), KeychainError> {
        self.delete_user(&id.to_string()).await
    }

    /// Reads any entry of the `renova` service by user name (e.g. `postman-api-key`).
    pub async fn read_user(&self, user: &str) -> Result<Option<Zeroizing<Vec<u8>>>, KeychainError> {
        let user = user.to_owned();
        self.call(|tx| Request::Get(user, tx)).await
    }

    /// [`Keychain::read_user`], but never unlocking the keychain: when the entry is locked (a
    /// read would raise an unlock prompt) it is `Locked` at once. For reads no person asked
    /// for (the token endpoint's key, read by the agent).
    pub async fn read_user_unlocked(
        &self,
        user: &str,
    ) -> Result<Option<Zeroizing<Vec<u8>>>, KeychainError> {
        let user = user.to_owned();
        self.call(|tx| Request::GetUnlocked(user, tx)).await
    }

    /// Writes any entry of the `renova` service by user name.
    pub async fn write_user(
        &self,
        user: &str,
        value: Zeroizing<Vec<u8>>,
    ) -> Result<(), KeychainError> {
        let user = user.to_owned();
        self.call(|tx| Request::Set(user, value, tx)).await
    }

    /// Deletes any entry of the `renova` service by user name.
    pub async fn delete_user(&self, user: &str) -> Result<(), KeychainError> {
        let user = user.to_owned();
        self.call(|tx| Request::Delete(user, tx)).await
    }

    /// The user names of every entry of the `renova` service (account ids, `postman-api-key`…).
    pub async fn users(&self) -> Result<Vec<String>, KeychainError> {
        self.call(Request::Users).await
    }

    /// Proves the keychain is reachable, unlocked and writable: writes, reads back and deletes
    /// a probe entry.
    pub async fn probe(&self) -> Result<Health, KeychainError> {
        self.call(Request::Probe).await
    }

    /// One request to the keychain thread, with the timeouts. A request that writes and
    /// outlives its timeout is waited for `settle` more before the caller hears `Timeout`: the
    /// caller still holds the account's lock, so the write cannot land after a newer one from
    /// another process. A request whose caller gave up is dropped before it runs.
    async fn call<T>(&self, make: impl FnOnce(Reply<T>) -> Request) -> Result<T, KeychainError> {
        let (tx, mut rx) = oneshot::channel();
        let request = make(tx);
        let writes = request.writes();
        self.send(request)?;
        let limit = if self.prompt_possible {
            self.timeouts.patient
        } else {
            self.timeouts.quick
        };
        // Only say "waiting for the keychain to be unlocked" when a prompt can be on screen.
        let first = if self.prompt_possible {
            limit.min(self.timeouts.notice_after)
        } else {
            limit
        };
        let mut answer = match tokio::time::timeout(first, &mut rx).await {
            Ok(answer) => Some(answer),
            Err(_) if first >= limit => None,
            Err(_) => {
                if let Some(f) = &self.on_wait {
                    f();
                }
                tokio::time::timeout(limit - first, &mut rx).await.ok()
            }
        };
        if answer.is_none() && writes {
            tracing::warn!("a keychain write is taking long; waiting for it to land");
            answer = tokio::time::timeout(self.timeouts.settle, &mut rx)
                .await
                .ok();
        }
        match answer {
            Some(Ok(result)) => result,
            // The worker died (it never panics on purpose): start a new one next time.
            Some(Err(_)) => {
                self.reset_worker();
                Err(KeychainError::Failed {
                    detail: "the keychain worker stopped".to_owned(),
                })
            }
            None => {
                // The worker is stuck in a call; leave it and use a fresh one next time.
                self.reset_worker();
                Err(KeychainError::Timeout {
                    seconds: limit.as_secs(),
                })
            }
        }
    }

    fn reset_worker(&self) {
        if let Ok(mut w) = self.worker.lock() {
            *w = None;
        }
    }

    fn send(&self, request: Request) -> Result<(), KeychainError> {
        let mut guard = self.worker.lock().map_err(|_| KeychainError::Failed {
            detail: "internal lock poisoned".to_owned(),
        })?;
        if let Some(tx) = guard.as_ref() {
            match tx.send(request) {
                Ok(()) => return Ok(()),
                Err(mpsc::SendError(request)) => {
                    *guard = None;
                    return self.start_worker(&mut guard, request);
                }
            }
        }
        self.start_worker(&mut guard, request)
    }

    fn start_worker(
        &self,
        slot: &mut Option<mpsc::Sender<Request>>,
        first: Request,
    ) -> Result<(), KeychainError> {
        let (tx, rx) = mpsc::channel::<Request>();
        let backend = self.backend.clone();
        std::thread::Builder::new()
            .name("renova-keychain".to_owned())
            .spawn(move || worker(&backend, &rx))
            .map_err(|e| KeychainError::Failed {
                detail: format!("cannot start the keychain thread: {e}"),
            })?;
        tx.send(first).map_err(|_| KeychainError::Failed {
            detail: "the keychain worker stopped".to_owned(),
        })?;
        *slot = Some(tx);
        Ok(())
    }
}

/// The worker loop: opens the store on first use, answers requests in order.
fn worker(backend: &Backend, rx: &mpsc::Receiver<Request>) {
    let mut store: Option<Arc<CredentialStore>> = None;
    while let Ok(request) = rx.recv() {
        // Queued behind a call that hung, its caller gave up: never run it late.
        if request.abandoned() {
            tracing::debug!("a keychain request was dropped: its caller stopped waiting");
            continue;
        }
        let opened = match &store {
            Some(s) => Ok(s.clone()),
            None => open(backend).inspect(|s| store = Some(s.clone())),
        };
        match request {
            Request::Get(user, reply) => answer(reply, opened.and_then(|s| get(&s, &user))),
            Request::GetUnlocked(user, reply) => {
                let unlocked = match backend {
                    Backend::System => system::unlocked(SERVICE, &user),
                    // An in-memory store never locks.
                    Backend::Given(_) | Backend::Unavailable(_) => Ok(()),
                };
                answer(reply, unlocked.and(opened).and_then(|s| get(&s, &user)));
            }
            Request::Set(user, value, reply) => {
                answer(reply, opened.and_then(|s| set(&s, &user, &value)));
            }
            Request::Delete(user, reply) => answer(reply, opened.and_then(|s| delete(&s, &user))),
            Request::Probe(reply) => answer(reply, opened.and_then(|s| probe(&s))),
            Request::Users(reply) => answer(reply, opened.and_then(|s| users(&s))),
        }
    }
}

/// Sends a result back; a caller that gave up waiting (timed out) no longer listens.
fn answer<T>(reply: Reply<T>, result: Result<T, KeychainError>) {
    if reply.send(result).is_err() {
        tracing::debug!("a keychain answer came after its caller stopped waiting");
    }
}

fn entry(store: &Arc<CredentialStore>, user: &str) -> Result<Entry, KeychainError> {
    Entry::new_in_store(store, SERVICE, user).map_err(classify)
}

fn get(
    store: &Arc<CredentialStore>,
    user: &str,
) -> Result<Option<Zeroizing<Vec<u8>>>, KeychainError> {
    match entry(store, user)?.get_secret() {
        Ok(bytes) => Ok(Some(Zeroizing::new(bytes))),
        Err(keyring_core::Error::NoEntry) => Ok(None),
        Err(e) => Err(classify(e)),
    }
}

fn set(store: &Arc<CredentialStore>, user: &str, value: &[u8]) -> Result<(), KeychainError> {
    entry(store, user)?.set_secret(value).map_err(classify)
}

fn delete(store: &Arc<CredentialStore>, user: &str) -> Result<(), KeychainError> {
    match entry(store, user)?.delete_credential() {
        Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
        Err(e) => Err(classify(e)),
    }
}

fn users(store: &Arc<CredentialStore>) -> Result<Vec<String>, KeychainError> {
    let spec = std::collections::HashMap::from([("service", SERVICE)]);
    let found = Entry::search_in_store(store, &spec).map_err(classify)?;
    let mut users: Vec<String> = found
        .iter()
        .filter_map(Entry::get_specifiers)
        .filter(|(service, _)| service == SERVICE)
        .map(|(_, user)| user)
        .collect();
    users.sort();
    users.dedup();
    Ok(users)
}

/// The user name of the entry [`probe`] writes and deletes at once.
pub(crate) const PROBE_USER: &str = "renova-probe";

fn probe(store: &Arc<CredentialStore>) -> Result<Health, KeychainError> {
    let value = b"probe";
    set(store, PROBE_USER, value)?;
    let back = get(store, PROBE_USER)?;
    delete(store, PROBE_USER)?;
    if back.as_deref().map(|v| v.as_slice()) != Some(value.as_slice()) {
        return Err(KeychainError::Failed {
            detail: "a test value written to the keychain did not read back".to_owned(),
        });
    }
    Ok(Health {
        vendor: plain_vendor(&store.vendor()),
    })
}

fn open(backend: &Backend) -> Result<Arc<CredentialStore>, KeychainError> {
    match backend {
        Backend::Given(store) => Ok(store.clone()),
        Backend::System => open_system(),
        Backend::Unavailable(why) => Err(KeychainError::Failed {
            detail: why.clone(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[tokio::test]
    async fn memory_round_trip_and_missing_entry() {
        let kc = Keychain::in_memory();
        let id = AccountId::new_random();
        assert!(kc.read(&id).await.unwrap().is_none());
        let s = Secrets {
            refresh_token: Some("fake-refresh".into()),
            rev: 1,
            ..Secrets::default()
        };
        kc.write(&id, &s).await.unwrap();
        let back = kc.read(&id).await.unwrap().unwrap();
        assert_eq!(
            back.secrets.refresh_token.unwrap().expose_secret(),
            "fake-refresh"
        );
        assert_eq!(back.raw.as_slice(), s.to_json().as_slice());
        kc.delete(&id).await.unwrap();
        kc.delete(&id).await.unwrap();
        assert!(kc.read(&id).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn corrupt_entries_are_reported() {
        let kc = Keychain::in_memory();
        let id = AccountId::new_random();
        kc.write_raw(&id, Zeroizing::new(b"{broken".to_vec()))
            .await
            .unwrap();
        assert!(matches!(kc.read(&id).await, Err(KeychainError::Corrupt(_))));
    }
}
