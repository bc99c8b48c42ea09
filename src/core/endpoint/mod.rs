//! The local token endpoint's key: 256 random bits in the keychain (user `endpoint-key`),
//! never in a file. Created on first use; a rotation replaces it and bumps `[endpoint]
//! key_rev` in `accounts.toml`, so the agent serving the endpoint reads the new one.

pub(crate) mod probe;

use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use crate::core::config::{Config, ConfigError};
use crate::core::error::{Error, Result};
use crate::core::store::Store;

/// The keychain user of the endpoint key.
pub(crate) const KEY_USER: &str = "endpoint-key";

/// The stored key, if any.
pub(crate) async fn key(store: &Store) -> Result<Option<SecretString>> {
    let raw = store.keychain().read_user(KEY_USER).await?;
    Ok(key_of(raw))
}

/// The stored key, if any, read without ever unlocking the keychain (a locked keychain is an
/// error at once, and no prompt appears): for the agent, which reads it for callers nobody
/// sees.
pub(crate) async fn key_unlocked(store: &Store) -> Result<Option<SecretString>> {
    let raw = store.keychain().read_user_unlocked(KEY_USER).await?;
    Ok(key_of(raw))
}

fn key_of(raw: Option<Zeroizing<Vec<u8>>>) -> Option<SecretString> {
    raw.and_then(|b| String::from_utf8(b.to_vec()).ok())
        .filter(|k| !k.is_empty())
        .map(SecretString::from)
}

/// The stored key, made first when there is none.
pub(crate) async fn key_or_new(store: &Store) -> Result<SecretString> {
    match key(store).await? {
        Some(k) => Ok(k),
        None => rotate(store).await,
    }
}

/// A new key, stored (replacing the old one), with `key_rev` bumped.
pub(crate) async fn rotate(store: &Store) -> Result<SecretString> {
    let mut bytes = Zeroizing::new([0u8; 32]);
    getrandom::fill(bytes.as_mut_slice()).map_err(|e| {
        Error::io(
            "making the endpoint key",
            "getrandom",
            std::io::Error::other(e.to_string()),
        )
    })?;
    let key: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let key = SecretString::from(key);
    let value = Zeroizing::new(key.expose_secret().as_bytes().to_vec());
    store.keychain().write_user(KEY_USER, value).await?;
    Config::update(store.paths(), |c| {
        c.endpoint.key_rev += 1;
        Ok::<_, ConfigError>(())
    })?;
    Ok(key)
}

/// A Postman pre-request script that asks the endpoint for a token before each request. It
/// reads the account and the key from the environment's `renova_account` and `renova_key`, and
/// sets `access_token` with `pm.environment.set`, which writes only the *current* (local) value:
/// neither the token nor the key reaches Postman's cloud, as long as `renova_key` is given a
/// current value only.
pub(crate) fn postman_script(port: u16) -> String {
    format!(
        r#"// Renova: a fresh token for this request, from the endpoint on this computer.
// Environment: renova_account = the account's name in Renova; renova_key = `renova endpoint key`
// (put both in CURRENT value only). Use {{{{access_token}}}} in the request.
pm.sendRequest({{
  url: 'http://127.0.0.1:{port}/v1/token/' + pm.environment.get('renova_account') + '?min_valid=5m',
  header: {{ Authorization: 'Bearer ' + pm.environment.get('renova_key') }}
}}, (err, res) => {{
  if (err || res.code !== 200) {{
    console.error('Renova:', err || res.text());
    return;
  }}
  pm.environment.set('access_token', res.json().access_token);
}});
"#
    )
}

/// What the endpoint's `/v1/hello` on `port` answers for `nonce`: HMAC-SHA256 under the key of
/// `renova endpoint hello v1\n{port}\n{nonce}`, in hex (64 digits). Only the process holding
/// the key can make it, so `renova endpoint status` can tell Renova's agent from another program
/// that took the port, without sending the key; the port in it stops a program on another port
/// from passing on a real agent's answer.
pub(crate) fn proof(key: &SecretString, port: u16, nonce: &str) -> Option<String> {
    use hmac::{KeyInit, Mac};
    let mut mac =
        hmac::Hmac::<sha2::Sha256>::new_from_slice(key.expose_secret().as_bytes()).ok()?;
    mac.update(format!("renova endpoint hello v1\n{port}\n{nonce}").as_bytes());
    Some(hex::encode(mac.finalize().into_bytes()))
}

/// A nonce for `/v1/hello`: 128 random bits in hex.
pub(crate) fn nonce() -> Option<String> {
    crate::core::random::hex_string::<16>().ok()
}

/// Whether a nonce is one `/v1/hello` answers: 16 to 64 hex digits.
pub(crate) fn nonce_ok(nonce: &str) -> bool {
    (16..=64).contains(&nonce.len()) && nonce.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Constant-time comparison of a presented key with the stored one.
pub(crate) fn same_key(presented: &str, stored: &SecretString) -> bool {
    let (a, b) = (presented.as_bytes(), stored.expose_secret().as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `openssl dgst -sha256 -hmac fake-endpoint-key-0000` of the hello message.
    const KNOWN_PROOF: &str = "eb2ff7b76c28deff759bf4ddf156228001f09c1436450c20d7e40b640f7f57f4";

    #[test]
    fn a_proof_needs_the_key_the_port_and_the_nonce() {
        let key = SecretString::from("fake-endpoint-key-0000");
        let other = SecretString::from("fake-endpoint-key-0001");
        let nonce = nonce().unwrap();
        assert!(nonce_ok(&nonce));
        let p = proof(&key, 8788, &nonce).unwrap();
        assert_eq!(p.len(), 64);
        assert_eq!(Some(&p), proof(&key, 8788, &nonce).as_ref());
        assert_ne!(Some(&p), proof(&other, 8788, &nonce).as_ref());
        assert_ne!(Some(&p), proof(&key, 8789, &nonce).as_ref());
        assert_ne!(
            Some(&p),
            proof(&key, 8788, &super::nonce().unwrap()).as_ref()
        );
        assert!(!p.contains("fake-endpoint-key"));
        // A known answer, so anyone can check a proof with other tools:
        // printf 'renova endpoint hello v1\n8788\n0011…eeff' | openssl dgst -sha256 -hmac KEY
        assert_eq!(
            proof(&key, 8788, "00112233445566778899aabbccddeeff").unwrap(),
            KNOWN_PROOF
        );
        assert!(!nonce_ok("short") && !nonce_ok(&"z".repeat(32)) && !nonce_ok(&"a".repeat(65)));
    }

    #[test]
    fn the_postman_script_names_the_port_and_sets_only_the_current_value() {
        let script = postman_script(8788);
        assert!(script.contains("http://127.0.0.1:8788/v1/token/"));
        assert!(script.contains("pm.environment.set('access_token'"));
        assert!(script.contains("{{access_token}}"));
        assert!(!script.contains("pm.collectionVariables") && !script.contains("pm.globals"));
    }

    #[test]
    fn keys_compare_in_full() {
        let stored = SecretString::from("abcd");
        assert!(same_key("abcd", &stored));
        assert!(!same_key("abc", &stored) && !same_key("abce", &stored) && !same_key("", &stored));
    }
}
