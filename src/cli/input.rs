//! Reading secrets: from standard input when it is not a terminal (one per line, at most
//! 8 KiB in all), else from hidden prompts. Secrets never come as arguments, which other users
//! could read in `ps`.

use std::io::{BufRead, IsTerminal, Read};

use secrecy::SecretString;
use zeroize::Zeroizing;

use crate::core::error::InputError;
use crate::core::pasted::clean_pasted;
use crate::i18n::{Lang, T};

/// Most bytes read from standard input.
pub(super) const STDIN_LIMIT: usize = 8 * 1024;

/// Reads `prompts.len()` secrets; a blank or missing one is `None`. Pasted whitespace and a
/// leading `Bearer ` are removed.
pub(super) fn read_secrets(
    prompts: &[T],
    lang: Lang,
) -> Result<Vec<Option<SecretString>>, InputError> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        let mut out = Vec::new();
        for p in prompts {
            let answer = Zeroizing::new(
                rpassword::prompt_password(p.tr(lang)).map_err(|_| InputError::StdinNotText)?,
            );
            out.push(clean(&answer));
        }
        return Ok(out);
    }
    // Read only the lines needed (stdin may stay open, as under `ssh host renova add`), on a
    // side thread so a silent pipe cannot hang the command.
    let n = prompts.len();
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::Builder::new()
        .name("renova-stdin".to_owned())
        .spawn(move || {
            let mut bytes = Zeroizing::new(Vec::with_capacity(1024));
            let mut limited = std::io::stdin().lock().take(STDIN_LIMIT as u64 + 1);
            for _ in 0..n {
                match limited.read_until(b'\n', &mut bytes) {
                    Ok(0) => break,
                    Ok(_) => {}
                    Err(_) => {
                        let _ = tx.send(Err(InputError::StdinNotText));
                        return;
                    }
                }
            }
            let _ = tx.send(Ok(bytes));
        });
    if reader.is_err() {
        return Err(InputError::StdinNotText);
    }
    match rx.recv_timeout(STDIN_WAIT) {
        Ok(Ok(bytes)) => parse_lines(&bytes, n),
        Ok(Err(e)) => Err(e),
        Err(_) => Err(InputError::StdinSilent),
    }
}

/// How long to wait for secrets on a standard input that is not a terminal.
pub(super) const STDIN_WAIT: std::time::Duration = std::time::Duration::from_secs(60);

fn clean(s: &str) -> Option<SecretString> {
    let c = clean_pasted(s);
    (!c.is_empty()).then(|| SecretString::from(c.to_owned()))
}

/// Splits standard input into `n` cleaned secrets.
pub(super) fn parse_lines(bytes: &[u8], n: usize) -> Result<Vec<Option<SecretString>>, InputError> {
    if bytes.len() > STDIN_LIMIT {
        return Err(InputError::StdinTooLarge);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| InputError::StdinNotText)?;
    let mut lines = text.lines();
    Ok((0..n).map(|_| lines.next().and_then(clean)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn lines_are_cleaned_and_limited() {
        let v = parse_lines(b"  fake-secret \r\nBearer fake-rt\n", 2).unwrap();
        assert_eq!(v[0].as_ref().unwrap().expose_secret(), "fake-secret");
        assert_eq!(v[1].as_ref().unwrap().expose_secret(), "fake-rt");
        let v = parse_lines(b"fake-secret\n\n", 2).unwrap();
        assert!(v[1].is_none());
        let v = parse_lines(b"fake-secret", 2).unwrap();
        assert!(v[1].is_none());
        assert_eq!(
            parse_lines(&vec![b'a'; STDIN_LIMIT + 1], 2).unwrap_err(),
            InputError::StdinTooLarge
        );
        assert_eq!(
            parse_lines(b"\xff\n", 2).unwrap_err(),
            InputError::StdinNotText
        );
    }
}
