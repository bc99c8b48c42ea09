//! Random hex strings from the OS: the authorization `state`, the endpoint hello's nonce, the
//! window's single-instance nonce.

/// `N` random bytes from the OS, in hex (`2 × N` digits).
pub(crate) fn hex_string<const N: usize>() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes)?;
    Ok(hex::encode(bytes))
}
