//! `accounts.toml`: parsing, versions, defaults.

use super::*;

#[test]
fn round_trip_keeps_unknown_keys() {
    let text = r#"
version = 1
future_top = "kept"

[defaults]
lead_time = "7m"
future_default = 3

[[account]]
id = "3f1c2f7e-8a1b-4c2d-9e3f-0a1b2c3d4e5f"
name = "loja"
provider = "rdstation"
client_id = "fake-client-id"
future_field = true
"#;
    let c = Config::parse(text, Path::new("x")).unwrap();
    assert_eq!(c.defaults.lead_time.0, Duration::from_secs(420));
    assert_eq!(c.defaults.copy_min_valid.0, Duration::from_secs(900));
    assert!(c.accounts[0].auto_refresh);
    let again = Config::parse(&c.to_toml(), Path::new("x")).unwrap();
    assert_eq!(c, again);
    let out = c.to_toml();
    assert!(out.contains("future_top"), "{out}");
    assert!(out.contains("future_default"), "{out}");
    assert!(out.contains("future_field"), "{out}");
    assert!(out.contains("[[account]]"), "{out}");
}

#[test]
fn bad_files_and_newer_versions_are_refused() {
    assert!(matches!(
        Config::parse("version = 1\n[[account]\n", Path::new("x")),
        Err(ConfigError::Invalid { .. })
    ));
    assert!(matches!(
        Config::parse("version = 2\n", Path::new("x")),
        Err(ConfigError::NewerVersion { version: 2, .. })
    ));
}

#[test]
fn update_writes_atomically_with_private_mode() {
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths::under(dir.path());
    Config::update(&paths, |c| {
        c.accounts.push(AccountConfig::new(
            "loja",
            ProviderKind::RdStation,
            "fake-id",
        ));
        Ok::<_, ConfigError>(())
    })
    .unwrap();
    let loaded = Config::load(&paths).unwrap();
    assert_eq!(loaded.find("LOJA").unwrap().name, "loja");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(paths.accounts_file())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // A failing change writes nothing.
    let r: Result<(), ConfigError> = Config::update(&paths, |c| {
        c.accounts.clear();
        Err(ConfigError::Busy { pid: None })
    });
    assert!(r.is_err());
    assert_eq!(Config::load(&paths).unwrap().accounts.len(), 1);
}

#[test]
fn an_unparsable_file_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths::under(dir.path());
    std::fs::create_dir_all(&paths.config_dir).unwrap();
    std::fs::write(paths.accounts_file(), "version = 1\n[[account]\nbroken").unwrap();
    let r = Config::update(&paths, |_| Ok::<_, ConfigError>(()));
    assert!(r.is_err());
    assert_eq!(
        std::fs::read_to_string(paths.accounts_file()).unwrap(),
        "version = 1\n[[account]\nbroken"
    );
}
