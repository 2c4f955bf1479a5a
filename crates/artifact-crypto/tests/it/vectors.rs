//! Every case of `sealed_box.json` (PyNaCl/libsodium and tweetnacl output).

use artifact_crypto::{
    load_key_file, open, open_file, seal_with_ephemeral, Error, KeyFileWarning, KeyPair, PublicKey, SecretKey,
};
use serde_json::Value;

use crate::util::{crypto_box_open, data, read};

fn manifest() -> Value {
    serde_json::from_slice(&read("sealed_box.json")).expect("sealed_box.json parses")
}

fn recipient(manifest: &Value) -> KeyPair {
    let sk = SecretKey::from_base64(manifest["recipient_secret_key_b64"].as_str().unwrap()).unwrap();
    let pair = KeyPair::from_secret(sk);
    let pk = PublicKey::from_base64(manifest["recipient_public_key_b64"].as_str().unwrap()).unwrap();
    assert_eq!(pair.public(), &pk, "the vector's key pair is consistent");
    pair
}

fn str_field<'a>(case: &'a Value, key: &str) -> &'a str {
    case[key].as_str().unwrap_or_else(|| panic!("case field {key}"))
}

#[test]
fn all_positive_cases_open_in_memory_and_from_files() {
    let m = manifest();
    let pair = recipient(&m);
    let cases = m["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 17);
    let dir = tempfile::tempdir().unwrap();
    for case in cases {
        let name = str_field(case, "name");
        let plain = read(str_field(case, "plaintext_file"));
        for key in ["sealed_file", "deterministic_sealed_file"] {
            let file = str_field(case, key);
            let sealed = read(file);
            assert_eq!(sealed.len(), plain.len() + 48, "{name}");
            assert_eq!(
                open(&pair, &sealed).unwrap(),
                plain,
                "{name}: in-memory open of {file}"
            );
            assert_eq!(
                crypto_box_open(&pair, &sealed).as_deref(),
                Some(&plain[..]),
                "{name}"
            );
            let out = dir.path().join(format!("{name}.out"));
            let n = open_file(&pair, data(file), &out).unwrap();
            assert_eq!(n, plain.len() as u64);
            assert_eq!(std::fs::read(&out).unwrap(), plain, "{name}: open_file of {file}");
        }
    }
}

#[test]
fn deterministic_cases_are_reproduced_byte_for_byte() {
    let m = manifest();
    let pair = recipient(&m);
    for case in m["cases"].as_array().unwrap() {
        let name = str_field(case, "name");
        let eph = SecretKey::from_base64(str_field(case, "ephemeral_secret_key_b64")).unwrap();
        let plain = read(str_field(case, "plaintext_file"));
        let expected = read(str_field(case, "deterministic_sealed_file"));
        let sealed = seal_with_ephemeral(&eph, pair.public(), &plain).unwrap();
        assert!(
            sealed == expected,
            "{name}: deterministic seal differs from libsodium"
        );
    }
}

#[test]
fn negative_cases_fail_cleanly_and_leave_no_output() {
    let m = manifest();
    let pair = recipient(&m);
    let negatives = m["negative_cases"].as_array().unwrap();
    assert_eq!(negatives.len(), 7);
    let dir = tempfile::tempdir().unwrap();
    for case in negatives {
        let name = str_field(case, "name");
        let key = match case["recipient_secret_key_b64"].as_str() {
            Some(sk) => KeyPair::from_secret(SecretKey::from_base64(sk).unwrap()),
            None => pair.clone(),
        };
        let file = str_field(case, "sealed_file");
        let sealed = read(file);
        let err = open(&key, &sealed).unwrap_err();
        assert!(err.is_authentication(), "{name}: {err}");
        if sealed.len() < 48 {
            assert!(matches!(err, Error::TooShort { .. }), "{name}: {err:?}");
        } else {
            assert!(matches!(err, Error::Authentication { .. }), "{name}: {err:?}");
        }
        assert!(
            crypto_box_open(&key, &sealed).is_none(),
            "{name}: crypto_box agrees it is bad"
        );

        let out = dir.path().join(format!("{name}.out"));
        let err = open_file(&key, data(file), &out).unwrap_err();
        assert!(err.is_authentication(), "{name}: {err}");
        assert!(
            err.to_string().contains(file),
            "{name}: message names the file: {err}"
        );
        assert!(!out.exists(), "{name}: no output after a failed open");
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(leftovers.is_empty(), "no temporary files left: {leftovers:?}");
}

#[test]
fn browser_tweetnacl_case_opens_with_the_example_key_file() {
    let m = manifest();
    let browser = &m["browser_case"];
    let loaded = load_key_file(data(str_field(browser, "key_file"))).unwrap();
    // Spec §5.4: the documented key pair and ciphertext.
    assert_eq!(
        loaded.key_pair.public().to_base64(),
        "CCWYG+zssYsX3JGcuqe8iiRXQgkJPN3zaagfokCBtEY="
    );
    assert!(loaded
        .warnings
        .iter()
        .all(|w| matches!(w, KeyFileWarning::Readable { .. })));
    let sealed = read(str_field(browser, "sealed_file"));
    let plain = read(str_field(browser, "plaintext_file"));
    assert_eq!(plain, b"id,prediction\nabc,0.5\n");
    assert_eq!(open(&loaded.key_pair, &sealed).unwrap(), plain);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("browser.csv");
    open_file(&loaded.key_pair, data(str_field(browser, "sealed_file")), &out).unwrap();
    assert_eq!(std::fs::read(out).unwrap(), plain);
}
