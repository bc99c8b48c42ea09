//! Who answers on the token endpoint's port: Renova's agent, another program, or nobody.
//! `renova endpoint status` asks before anyone sends the key there. The check sends no key: it
//! asks `GET /v1/hello` with a fresh nonce, and only the process holding the key can answer
//! the HMAC of that nonce under it.

use std::time::Duration;

use secrecy::SecretString;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::{nonce, proof, same_key};

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
    /// Another program: a whole HTTP answer without the proof (its first line, printable
    /// characters only).
    Other(String),
    /// Not known: no whole answer in time (`None`: the agent may be busy), a broken connection,
    /// or an agent that could not make the proof (what it said).
    Unverified(Option<String>),
    /// An agent that says it has not read its key yet (its keychain is locked): it cannot
    /// prove it is Renova until it has.
    NotReady,
}

/// How long the check waits for an answer, in seconds (for messages).
pub(crate) const PATIENCE_SECONDS: u64 = PATIENCE.as_secs();

/// Asks 127.0.0.1:`port` to prove that it holds `key`.
pub(crate) async fn who_holds(port: u16, key: &SecretString) -> Holder {
    let Some(nonce) = nonce() else {
        return Holder::Unverified(Some("getrandom failed".to_owned()));
    };
    let stream = tokio::time::timeout(PATIENCE, TcpStream::connect(("127.0.0.1", port))).await;
    let mut stream = match stream {
        Ok(Ok(s)) => s,
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => return Holder::Nobody,
        Ok(Err(e)) => return Holder::Unverified(Some(e.to_string())),
        Err(_) => return Holder::Unverified(None),
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
    let whole = match tokio::time::timeout(PATIENCE, exchange).await {
        Ok(Ok(_)) => true,
        Ok(Err(e)) => return Holder::Unverified(Some(e.to_string())),
        // What came before the time ran out is still looked at.
        Err(_) => false,
    };
    judge(
        &String::from_utf8_lossy(&answer),
        whole,
        (key, port, &nonce),
    )
}

/// Renova when the answer is a 200 whose `proof` is the 64-digit HMAC for this key, port and
/// nonce; another program when a whole answer is anything else but the agent's own failure.
fn judge(answer: &str, whole: bool, (key, port, nonce): (&SecretString, u16, &str)) -> Holder {
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((answer, ""));
    let first = head.lines().next().unwrap_or_default();
    let status = first.split(' ').nth(1);
    let json = serde_json::from_str::<serde_json::Value>(body).ok();
    let expected = proof(key, port, nonce);
    let proven = status == Some("200")
        && json
            .as_ref()
            .and_then(|v| v["proof"].as_str())
            .zip(expected)
            .is_some_and(|(p, e)| p.len() == 64 && same_key(p, &e.into()));
    if proven {
        return Holder::Renova;
    }
    let shown: String = first
        .chars()
        .filter(|c| c.is_ascii_graphic() || *c == ' ')
        .take(80)
        .collect();
    if !whole || answer.is_empty() {
        return Holder::Unverified((!shown.is_empty()).then_some(shown));
    }
    // The agent has no key in memory yet: its keychain is locked.
    let not_ready =
        status == Some("503") && json.as_ref().is_some_and(|v| v["error"] == "not_ready");
    if not_ready {
        return Holder::NotReady;
    }
    // The agent could not make the proof (another failure): it says why.
    let agent_failed = matches!(status, Some("500" | "503"))
        && json.as_ref().is_some_and(|v| v["reason"].is_string());
    if agent_failed {
        return Holder::Unverified(Some(shown));
    }
    Holder::Other(shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONCE: &str = "00112233445566778899aabbccddeeff";

    fn key() -> SecretString {
        SecretString::from("fake-endpoint-key-probe")
    }

    fn ok(body: &str) -> String {
        format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{body}")
    }

    fn judged(answer: &str) -> Holder {
        judge(answer, true, (&key(), 8788, NONCE))
    }

    fn with_proof(key: &SecretString, port: u16, nonce: &str) -> String {
        ok(&serde_json::json!({"proof": proof(key, port, nonce).unwrap()}).to_string())
    }

    #[test]
    fn only_the_proof_for_this_key_port_and_nonce_is_renova() {
        assert_eq!(judged(&with_proof(&key(), 8788, NONCE)), Holder::Renova);
        let wrong = SecretString::from("fake-endpoint-key-other");
        for forged in [
            with_proof(&key(), 8788, "ffff0000ffff0000"),
            with_proof(&key(), 8789, NONCE),
            with_proof(&wrong, 8788, NONCE),
            ok(r#"{"proof":""}"#),
        ] {
            assert_eq!(
                judged(&forged),
                Holder::Other("HTTP/1.1 200 OK".to_owned()),
                "{forged}"
            );
        }
        // The proof in an answer cut short still counts.
        let cut = with_proof(&key(), 8788, NONCE);
        assert_eq!(judge(&cut, false, (&key(), 8788, NONCE)), Holder::Renova);
    }

    #[test]
    fn another_program_is_named_by_its_first_line_without_control_characters() {
        let answer = "HTTP/1.0 404 File not found\x1b[31m\r\nServer: SimpleHTTP\r\n\r\nnope";
        assert_eq!(
            judged(answer),
            Holder::Other("HTTP/1.0 404 File not found[31m".to_owned())
        );
    }

    #[test]
    fn silence_a_cut_answer_and_the_agents_own_failure_are_not_known() {
        assert_eq!(judged(""), Holder::Unverified(None));
        assert_eq!(
            judge("HTTP/1.1 200 OK\r\n", false, (&key(), 8788, NONCE)),
            Holder::Unverified(Some("HTTP/1.1 200 OK".to_owned()))
        );
        let busy = "HTTP/1.1 503 Service Unavailable\r\n\r\n{\"error\":\"unavailable\",\"reason\":\"Renova cannot read its keychain now.\"}";
        assert_eq!(
            judged(busy),
            Holder::Unverified(Some("HTTP/1.1 503 Service Unavailable".to_owned()))
        );
    }
}
