//! Keychain stores that fail on purpose, for the few tests that need a keychain misbehaving in
//! a way a real Secret Service cannot be made to (refusing writes while allowing reads).

use std::any::Any;
use std::collections::HashMap;
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
#[derive(Debug, Default)]
pub struct ReadOnlyStore {
    values: Arc<Mutex<HashMap<String, Vec<u8>>>>,
}

impl ReadOnlyStore {
    /// A store holding these entries (user → value).
    pub fn with(values: HashMap<String, Vec<u8>>) -> Arc<CredentialStore> {
        Arc::new(Self {
            values: Arc::new(Mutex::new(values)),
        })
    }
}

#[derive(Debug)]
struct ReadOnlyCred {
    user: String,
    values: Arc<Mutex<HashMap<String, Vec<u8>>>>,
}

impl CredentialApi for ReadOnlyCred {
    fn set_secret(&self, _: &[u8]) -> Result<()> {
        Err(Error::PlatformFailure("writes are refused (test)".into()))
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
        Err(Error::PlatformFailure("writes are refused (test)".into()))
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

impl CredentialStoreApi for ReadOnlyStore {
    fn vendor(&self) -> String {
        "read-only test store".to_owned()
    }
    fn id(&self) -> String {
        "read-only".to_owned()
    }
    fn build(&self, _: &str, user: &str, _: Option<&HashMap<&str, &str>>) -> Result<Entry> {
        Ok(Entry::new_with_credential(Arc::new(ReadOnlyCred {
            user: user.to_owned(),
            values: self.values.clone(),
        })))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Keeps entries in memory and accepts only the first `writes` writes (a keychain that dies
/// during a refresh).
#[derive(Debug)]
pub struct WriteBudgetStore {
    values: Arc<Mutex<HashMap<String, Vec<u8>>>>,
    writes: Arc<std::sync::atomic::AtomicI32>,
}

impl WriteBudgetStore {
    /// A store holding `values` that accepts `writes` writes.
    pub fn with(values: HashMap<String, Vec<u8>>, writes: i32) -> Arc<CredentialStore> {
        Arc::new(Self {
            values: Arc::new(Mutex::new(values)),
            writes: Arc::new(std::sync::atomic::AtomicI32::new(writes)),
        })
    }
}

#[derive(Debug)]
struct BudgetCred {
    user: String,
    values: Arc<Mutex<HashMap<String, Vec<u8>>>>,
    writes: Arc<std::sync::atomic::AtomicI32>,
}

impl CredentialApi for BudgetCred {
    fn set_secret(&self, secret: &[u8]) -> Result<()> {
        if self
            .writes
            .fetch_sub(1, std::sync::atomic::Ordering::SeqCst)
            <= 0
        {
            return Err(Error::PlatformFailure(
                "the keychain went away (test)".into(),
            ));
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
        Err(Error::PlatformFailure(
            "the keychain went away (test)".into(),
        ))
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

impl CredentialStoreApi for WriteBudgetStore {
    fn vendor(&self) -> String {
        "write-budget test store".to_owned()
    }
    fn id(&self) -> String {
        "write-budget".to_owned()
    }
    fn build(&self, _: &str, user: &str, _: Option<&HashMap<&str, &str>>) -> Result<Entry> {
        Ok(Entry::new_with_credential(Arc::new(BudgetCred {
            user: user.to_owned(),
            values: self.values.clone(),
            writes: self.writes.clone(),
        })))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}
