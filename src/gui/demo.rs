//! `renova --demo`: a provider built into Renova, on 127.0.0.1 (port 0), that answers like RD
//! Station with 2-minute tokens, and two sample accounts in an in-memory keychain and a
//! throw-away folder. It touches no keychain, no `accounts.toml`, no audit log and no real
//! provider.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::core::accounts::{AccountSettings, GivenSecrets};
use crate::core::error::{Error, Result};
use crate::core::keychain::Keychain;
use crate::core::paths::Paths;
use crate::core::renova::Renova;

/// Lifetime of the demo's access tokens.
pub(crate) const DEMO_LIFETIME: u64 = 120;

/// The running demo: its core, its provider and its throw-away folder.
pub struct Demo {
    /// The demo's core (in-memory keychain, temporary folder, no audit log).
    pub renova: Renova,
    /// The provider's base URL.
    pub base_url: String,
    dir: PathBuf,
}

impl Drop for Demo {
    fn drop(&mut self) {
        if let Err(e) = std::fs::remove_dir_all(&self.dir) {
            tracing::warn!(
                "could not remove the demo's folder {}: {e}",
                self.dir.display()
            );
        }
    }
}

impl Demo {
    /// Starts the provider and creates the two sample accounts, each with a fresh token.
    pub fn start() -> Result<Self> {
        let port = serve()?;
        let base_url = format!("http://127.0.0.1:{port}");
        let mut suffix = [0u8; 8];
        // Without randomness the process id alone keeps two demos apart.
        if getrandom::fill(&mut suffix).is_err() {
            suffix = u64::from(std::process::id()).to_le_bytes();
        }
        let dir = std::env::temp_dir().join(format!("renova-demo-{}", hex::encode(suffix)));
        let renova = Renova::new(Paths::under(&dir), Keychain::in_memory())
            .without_audit()
            .with_callback_pages(crate::i18n::callback::page);
        let demo = Self {
            renova,
            base_url,
            dir,
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::io("starting the demo", PathBuf::new(), e))?;
        runtime.block_on(demo.seed())?;
        Ok(demo)
    }

    async fn seed(&self) -> Result<()> {
        for (name, auto) in [("demo-auto", true), ("demo-manual", false)] {
            let settings = AccountSettings {
                client_id: Some("demo-client".to_owned()),
                base_url: Some(self.base_url.clone()),
                auto_refresh: Some(auto),
                ..AccountSettings::default()
            };
            let given = GivenSecrets {
                client_secret: Some("demo-client-secret".into()),
                refresh_token: Some(format!("demo-refresh-{name}").into()),
                access_token: None,
            };
            let account = self.renova.accounts().add(name, &settings, given).await?;
            self.renova.refresh(&account).await?;
        }
        Ok(())
    }
}

/// Starts the demo provider on a free loopback port; returns the port.
fn serve() -> Result<u16> {
    let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .map_err(|e| Error::io("starting the demo provider", PathBuf::from("127.0.0.1"), e))?;
    let port = listener
        .local_addr()
        .map_err(|e| Error::io("starting the demo provider", PathBuf::from("127.0.0.1"), e))?
        .port();
    let issued = Arc::new(AtomicU64::new(0));
    std::thread::Builder::new()
        .name("renova-demo-provider".to_owned())
        .spawn(move || {
            for stream in listener.incoming().flatten() {
                if let Err(e) = handle(stream, &issued) {
                    tracing::debug!("the demo provider dropped a request: {e}");
                }
            }
        })
        .map_err(|e| Error::io("starting the demo provider", PathBuf::new(), e))?;
    Ok(port)
}

fn handle(stream: TcpStream, issued: &AtomicU64) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(stream.try_clone()?.take(64 * 1024));
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut content_length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':')
            && k.trim().eq_ignore_ascii_case("content-length")
        {
            content_length = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; content_length.min(16 * 1024)];
    reader.read_exact(&mut body)?;
    let mut parts = request_line.split_whitespace();
    let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let (status, answer) = match (method, path) {
        ("POST", "/auth/token") => {
            let request: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
            let n = issued.fetch_add(1, Ordering::Relaxed) + 1;
            let refresh = request
                .get("refresh_token")
                .and_then(|r| r.as_str())
                .unwrap_or("demo-refresh")
                .to_owned();
            (
                "200 OK",
                serde_json::json!({
                    "access_token": format!("demo-access-token-{n:04}"),
                    "expires_in": DEMO_LIFETIME,
                    "refresh_token": refresh,
                })
                .to_string(),
            )
        }
        ("GET", "/marketing/account_info") => {
            ("200 OK", r#"{"name":"Loja Demonstração"}"#.to_owned())
        }
        ("POST", "/auth/revoke") => ("200 OK", "{}".to_owned()),
        _ => (
            "404 Not Found",
            r#"{"error_type":"NOT_FOUND","error_message":"Not found."}"#.to_owned(),
        ),
    };
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
        answer.len()
    )?;
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_starts_with_two_fresh_accounts_and_touches_nothing_else() {
        let demo = Demo::start().unwrap();
        let list = demo.renova.list(jiff::Timestamp::now()).unwrap();
        assert_eq!(list.len(), 2);
        for s in &list {
            let left = s.status.seconds_left.unwrap();
            assert!((100..=120).contains(&left), "{left}");
        }
        assert!(!demo.renova.profile().paths().audit_file().exists());
        assert!(
            demo.renova
                .profile()
                .paths()
                .config_dir
                .starts_with(std::env::temp_dir())
        );
        let dir = demo.dir.clone();
        drop(demo);
        assert!(!dir.exists());
    }
}
