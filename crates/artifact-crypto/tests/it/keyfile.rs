//! The `numerbay.json` key file: format, permissions, overwrite protection, consistency checks.

use artifact_crypto::{load_key_file, write_key_file, Error, KeyFileWarning, KeyPair};

const PK: &str = "CCWYG+zssYsX3JGcuqe8iiRXQgkJPN3zaagfokCBtEY=";
const SK: &str = "eDb7Fx6oYmn1WRk1OE7opo94ccFXusvnHXrU0TYlpSc=";

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
fn chmod(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn written_key_file_has_web_app_format_and_mode_0600() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("numerbay.json");
    let pair = KeyPair::generate();
    write_key_file(&path, &pair, false).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let expected = format!(
        "{{\"public_key\":\"{}\",\"private_key\":\"{}\"}}\n",
        pair.public(),
        *pair.secret().expose_base64()
    );
    assert_eq!(text, expected);
    #[cfg(unix)]
    assert_eq!(mode(&path), 0o600);
    let loaded = load_key_file(&path).unwrap();
    assert_eq!(loaded.key_pair.public(), pair.public());
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let debug = format!("{loaded:?}");
    assert!(!debug.contains(&*pair.secret().expose_base64()), "{debug}");
}

#[test]
fn existing_key_file_is_never_overwritten_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("numerbay.json");
    let first = KeyPair::generate();
    write_key_file(&path, &first, false).unwrap();
    let before = std::fs::read(&path).unwrap();
    let err = write_key_file(&path, &KeyPair::generate(), false).unwrap_err();
    assert!(matches!(err, Error::AlreadyExists { .. }), "{err:?}");
    assert_eq!(std::fs::read(&path).unwrap(), before);

    let second = KeyPair::generate();
    write_key_file(&path, &second, true).unwrap();
    assert_eq!(load_key_file(&path).unwrap().key_pair.public(), second.public());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary files left"
    );
}

#[cfg(unix)]
#[test]
fn group_or_world_readable_key_file_warns() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("numerbay.json");
    std::fs::write(
        &path,
        format!("{{\"public_key\":\"{PK}\",\"private_key\":\"{SK}\"}}"),
    )
    .unwrap();
    chmod(&path, 0o644);
    let loaded = load_key_file(&path).unwrap();
    assert_eq!(
        loaded.warnings,
        vec![KeyFileWarning::Readable {
            path: path.clone(),
            mode: 0o644
        }]
    );
    assert!(loaded.warnings[0].to_string().contains("chmod 600"));
    chmod(&path, 0o600);
    assert!(load_key_file(&path).unwrap().warnings.is_empty());
}

fn load_text(text: &str) -> Result<artifact_crypto::LoadedKeyFile, Error> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("numerbay.json");
    std::fs::write(&path, text).unwrap();
    load_key_file(&path)
}

#[test]
fn lenient_base64_and_missing_public_key_are_accepted() {
    let unpadded = format!(
        "{{\"public_key\":\"{}\",\"private_key\":\"{}\",\"extra\":1}}",
        PK.trim_end_matches('='),
        SK.replace('+', "-").replace('/', "_")
    );
    assert_eq!(load_text(&unpadded).unwrap().key_pair.public().to_base64(), PK);
    let only_private = load_text(&format!("{{\"private_key\":\"{SK}\"}}")).unwrap();
    assert_eq!(only_private.key_pair.public().to_base64(), PK);
    assert!(only_private
        .warnings
        .iter()
        .any(|w| matches!(w, KeyFileWarning::MissingPublicKey { .. })));
}

#[test]
fn bad_key_files_say_what_is_wrong() {
    let other = KeyPair::generate().public().to_base64();
    let err = load_text(&format!(
        "{{\"public_key\":\"{other}\",\"private_key\":\"{SK}\"}}"
    ))
    .unwrap_err();
    assert!(matches!(err, Error::KeyFileMismatch { .. }), "{err:?}");
    assert!(err.to_string().contains(PK), "names the derived key: {err}");

    let err = load_text(&format!(
        "{{\"public_key\":\"{PK}\",\"private_key\":\"@@not base64@@\"}}"
    ))
    .unwrap_err();
    assert!(
        matches!(&err, Error::KeyFileField { field: "private_key", source, .. } if matches!(**source, Error::Base64 { .. })),
        "{err:?}"
    );
    let err = load_text(&format!("{{\"public_key\":\"AAAA\",\"private_key\":\"{SK}\"}}")).unwrap_err();
    assert!(
        matches!(&err, Error::KeyFileField { field: "public_key", source, .. } if matches!(**source, Error::KeyLength { len: 3, .. })),
        "{err:?}"
    );
    let err = load_text(&format!("{{\"public_key\":\"{PK}\"}}")).unwrap_err();
    assert!(matches!(err, Error::KeyFileFormat { .. }), "{err:?}");
    let chain = format!("{err} / {}", std::error::Error::source(&err).unwrap());
    assert!(chain.contains("private_key"), "{chain}");
    assert!(matches!(load_text("not json"), Err(Error::KeyFileFormat { .. })));

    let err = load_key_file("/nonexistent/dir/numerbay.json").unwrap_err();
    assert!(matches!(err, Error::Io { .. }));
    assert!(err.to_string().contains("/nonexistent/dir/numerbay.json"));
}

#[test]
fn bad_key_file_errors_never_echo_the_private_key() {
    let other = KeyPair::generate().public().to_base64();
    let err = load_text(&format!(
        "{{\"public_key\":\"{other}\",\"private_key\":\"{SK}\"}}"
    ))
    .unwrap_err();
    let all = format!("{err} {err:?}");
    assert!(!all.contains(SK), "{all}");
}
