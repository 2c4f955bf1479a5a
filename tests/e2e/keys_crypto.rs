//! `mkt keys` and `mkt crypto`: key files and sealed boxes from the command line.

use crate::util::{code, json, mkt_cmd, stderr};

#[test]
fn generate_show_seal_open_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| mkt_cmd(dir.path()).args(args).output().unwrap();
    let out = run(&["--output", "json", "keys", "generate", "--out", "k.json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("k.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "key file readable by others: {mode:o}");
    }
    assert_ne!(
        code(&run(&["keys", "generate", "--out", "k.json"])),
        0,
        "overwrote an existing key file"
    );

    let shown = json(&run(&[
        "--output",
        "json",
        "keys",
        "show",
        "--key-file",
        "k.json",
    ]));
    let public = shown["public_key"].as_str().expect("public key").to_owned();

    std::fs::write(dir.path().join("plain.txt"), b"the round's predictions").unwrap();
    let out = run(&[
        "crypto",
        "seal",
        "--public-key",
        &public,
        "plain.txt",
        "sealed.bin",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = run(&[
        "crypto",
        "open",
        "--key-file",
        "k.json",
        "sealed.bin",
        "opened.txt",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        std::fs::read(dir.path().join("opened.txt")).unwrap(),
        b"the round's predictions"
    );

    // Tampered data: non-zero exit, and the output file must not exist.
    let mut sealed = std::fs::read(dir.path().join("sealed.bin")).unwrap();
    let last = sealed.len() - 1;
    sealed[last] ^= 1;
    std::fs::write(dir.path().join("tampered.bin"), sealed).unwrap();
    let out = run(&[
        "crypto",
        "open",
        "--key-file",
        "k.json",
        "tampered.bin",
        "never.txt",
    ]);
    assert_ne!(code(&out), 0);
    assert!(!dir.path().join("never.txt").exists());
    assert!(stderr(&out).starts_with("error:"), "{}", stderr(&out));
}
