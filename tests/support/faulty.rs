//! Keychain stores that fail on purpose, for the few tests that need a keychain misbehaving in
//! a way a real Secret Service cannot be made to (refusing writes while allowing reads).

use std::any::Any;
use std::collections::HashMap;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, Mutex};

use keyring_core::api::{Credential, CredentialApi, CredentialStoreApi};
use keyring_core::{CredentialStore, Entry, Error, Result};

fn locked() -> Error {
    Error::NoStorageAccess("the collection is locked (test)".into())
}

/// Every call fails as a locked keychain does.
#[derive(Debug)]
pub struct LockedStore;

impl LockedStore {
    pub fn store() -> Arc<CredentialStore> {
        Arc::new(LockedStore)
    }
}

#[derive(Debug)]
struct LockedCred;

impl CredentialApi for LockedCred {
    fn set_secret(&self, _: &[u8]) -> Result<()> {
        Err(locked())
    }
    fn get_secret(&self) -> Result<Vec<u8>> {
        Err(locked())
    }
    fn delete_credential(&self) -> Result<()> {
        Err(locked())
    }
    fn get_credential(&self) -> Result<Option<Arc<Credential>>> {
        Ok(None)
    }
    fn get_specifiers(&self) -> Option<(String, String)> {
        None
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl CredentialStoreApi for LockedStore {
    fn vendor(&self) -> String {
        "locked test store".to_owned()
    }
    fn id(&self) -> String {
        "locked".to_owned()
    }
    fn build(&self, _: &str, _: &str, _: Option<&HashMap<&str, &str>>) -> Result<Entry> {
        Ok(Entry::new_with_credential(Arc::new(LockedCred)))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Reads work; writes and deletes fail (a keychain that has gone read-only).
pub struct ReadOnlyStore;

impl ReadOnlyStore {
    /// A store holding these entries (user → value).
    pub fn with(values: HashMap<String, Vec<u8>>) -> Arc<CredentialStore> {
        MemoryStore::store("read-only", values, 0, "writes are refused (test)")
    }
}

/// Keeps entries in memory and accepts only the first `writes` writes (a keychain that dies
/// during a refresh).
pub struct WriteBudgetStore;

impl WriteBudgetStore {
    /// A store holding `values` that accepts `writes` writes.
    pub fn with(values: HashMap<String, Vec<u8>>, writes: i32) -> Arc<CredentialStore> {
        MemoryStore::store(
            "write-budget",
            values,
            writes,
            "the keychain went away (test)",
        )
    }
}

/// Keeps entries in memory; its first write takes `delay` before it lands (a keychain that
/// answers long after the caller stopped waiting).
pub struct SlowFirstWriteStore;

impl SlowFirstWriteStore {
    /// A store holding `values` whose first write lands after `delay`.
    pub fn with(
        values: HashMap<String, Vec<u8>>,
        delay: std::time::Duration,
    ) -> Arc<CredentialStore> {
        Arc::new(MemoryStore {
            slow_write: Arc::new(Mutex::new(Some(delay))),
            ..MemoryStore::new("slow-first-write", values, i32::MAX, "")
        })
    }
}

/// Entries in memory; reads always work, writes only while the budget lasts (the first one
/// maybe slowly), deletes never.
#[derive(Debug)]
struct MemoryStore {
    id: &'static str,
    values: Arc<Mutex<HashMap<String, Vec<u8>>>>,
    writes: Arc<AtomicI32>,
    refusal: &'static str,
    slow_write: Arc<Mutex<Option<std::time::Duration>>>,
}

impl MemoryStore {
    fn store(
        id: &'static str,
        values: HashMap<String, Vec<u8>>,
        writes: i32,
        refusal: &'static str,
    ) -> Arc<CredentialStore> {
        Arc::new(Self::new(id, values, writes, refusal))
    }

    fn new(
        id: &'static str,
        values: HashMap<String, Vec<u8>>,
        writes: i32,
        refusal: &'static str,
    ) -> Self {
        Self {
            id,
            values: Arc::new(Mutex::new(values)),
            writes: Arc::new(AtomicI32::new(writes)),
            refusal,
            slow_write: Arc::new(Mutex::new(None)),
        }
    }
}

#[derive(Debug)]
struct MemoryCred {
    user: String,
    values: Arc<Mutex<HashMap<String, Vec<u8>>>>,
    writes: Arc<AtomicI32>,
    refusal: &'static str,
    slow_write: Arc<Mutex<Option<std::time::Duration>>>,
}

impl MemoryCred {
    fn refused(&self) -> Error {
        Error::PlatformFailure(self.refusal.into())
    }
}

impl CredentialApi for MemoryCred {
    fn set_secret(&self, secret: &[u8]) -> Result<()> {
        if self.writes.fetch_sub(1, Ordering::SeqCst) <= 0 {
            return Err(self.refused());
        }
        let delay = self.slow_write.lock().unwrap().take();
        if let Some(delay) = delay {
            std::thread::sleep(delay);
        }
        self.values
            .lock()
            .unwrap()
            .insert(self.user.clone(), secret.to_vec());
        Ok(())
    }
    fn get_secret(&self) -> Result<Vec<u8>> {
        self.values
            .lock()
            .unwrap()
            .get(&self.user)
            .cloned()
            .ok_or(Error::NoEntry)
    }
    fn delete_credential(&self) -> Result<()> {
        Err(self.refused())
    }
    fn get_credential(&self) -> Result<Option<Arc<Credential>>> {
        Ok(None)
    }
    fn get_specifiers(&self) -> Option<(String, String)> {
        Some(("renova".to_owned(), self.user.clone()))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl CredentialStoreApi for MemoryStore {
    fn vendor(&self) -> String {
        format!("{} test store", self.id)
    }
    fn id(&self) -> String {
        self.id.to_owned()
    }
    fn build(&self, _: &str, user: &str, _: Option<&HashMap<&str, &str>>) -> Result<Entry> {
        Ok(Entry::new_with_credential(Arc::new(MemoryCred {
            user: user.to_owned(),
            values: self.values.clone(),
            writes: self.writes.clone(),
            refusal: self.refusal,
            slow_write: self.slow_write.clone(),
        })))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}
