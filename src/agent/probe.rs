//! Who answers on the token endpoint's port: Renova's agent, another program, or nobody.
//! `renova endpoint status` asks before anyone sends the key there. The check sends no key: it
//! asks `GET /v1/hello` with a fresh nonce, and only the process holding the key can answer
//! the HMAC of that nonce under it.

use std::time::Duration;

use secrecy::SecretString;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::core::endpoint::{nonce, proof};

/// How long the port gets to connect and to answer.
const PATIENCE: Duration = Duration::from_secs(3);
/// The most of an answer read.
const ANSWER_LIMIT: u64 = 16 * 1024;

/// Who holds the port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holder {
    /// Nothing listens there.
    Nobody,
    /// Renova's agent, proven with the key.
    Renova,
    /// Something else: what it answered (its first line, printable characters only).
    Other(String),
}

/// Asks 127.0.0.1:`port` to prove that it holds `key`.
pub async fn who_holds(port: u16, key: &SecretString) -> Holder {
    let Some(nonce) = nonce() else {
        return Holder::Other("(no randomness to ask with)".to_owned());
    };
    let stream = tokio::time::timeout(PATIENCE, TcpStream::connect(("127.0.0.1", port))).await;
    let mut stream = match stream {
        Ok(Ok(s)) => s,
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => return Holder::Nobody,
        Ok(Err(e)) => return Holder::Other(e.to_string()),
        Err(_) => return Holder::Other("(no connection in 3 s)".to_owned()),
    };
    let request = format!(
        "GET /v1/hello?nonce={nonce} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: renova-endpoint-status\r\nConnection: close\r\n\r\n"
    );
    let mut answer = Vec::new();
    let exchange = async {
        stream.write_all(request.as_bytes()).await?;
        (&mut stream)
            .take(ANSWER_LIMIT)
            .read_to_end(&mut answer)
            .await
    };
    match tokio::time::timeout(PATIENCE, exchange).await {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => return Holder::Other(e.to_string()),
        Err(_) => return Holder::Other("(no answer in 3 s)".to_owned()),
    }
    judge(&String::from_utf8_lossy(&answer), key, &nonce)
}

/// Renova when the answer is a 200 whose `proof` is the HMAC of `nonce` under `key`.
fn judge(answer: &str, key: &SecretString, nonce: &str) -> Holder {
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((answer, ""));
    let first = head.lines().next().unwrap_or_default();
    let proven = first.split(' ').nth(1) == Some("200")
        && serde_json::from_str::<serde_json::Value>(body)
            .ok()
            .and_then(|v| v["proof"].as_str().map(str::to_owned))
            .is_some_and(|p| crate::core::endpoint::same_key(&p, &proof(key, nonce).into()));
    if proven {
        return Holder::Renova;
    }
    let shown: String = first
        .chars()
        .filter(|c| c.is_ascii_graphic() || *c == ' ')
        .take(80)
        .collect();
    Holder::Other(if shown.is_empty() {
        "(an empty answer)".to_owned()
    } else {
        shown
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SecretString {
        SecretString::from("fake-endpoint-key-probe")
    }

    fn ok(body: &str) -> String {
        format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{body}")
    }

    #[test]
    fn only_the_right_proof_is_renova() {
        let nonce = "00112233445566778899aabbccddeeff";
        let right = serde_json::json!({"proof": proof(&key(), nonce)}).to_string();
        assert_eq!(judge(&ok(&right), &key(), nonce), Holder::Renova);
        let other_nonce = serde_json::json!({"proof": proof(&key(), "ffff0000ffff0000")});
        assert!(matches!(
            judge(&ok(&other_nonce.to_string()), &key(), nonce),
            Holder::Other(_)
        ));
        let wrong = SecretString::from("fake-endpoint-key-other");
        let forged = serde_json::json!({"proof": proof(&wrong, nonce)}).to_string();
        assert!(matches!(
            judge(&ok(&forged), &key(), nonce),
            Holder::Other(_)
        ));
    }

    #[test]
    fn another_program_is_named_by_its_first_line_without_control_characters() {
        let answer = "HTTP/1.0 404 File not found\x1b[31m\r\nServer: SimpleHTTP\r\n\r\nnope";
        assert_eq!(
            judge(answer, &key(), "00112233445566778899aabbccddeeff"),
            Holder::Other("HTTP/1.0 404 File not found[31m".to_owned())
        );
        assert_eq!(
            judge("", &key(), "00112233445566778899aabbccddeeff"),
            Holder::Other("(an empty answer)".to_owned())
        );
    }
}
