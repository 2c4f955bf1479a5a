//! Fuzz target: arbitrary bytes as a `numerbay.json` key file, and as base64 keys.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut file = tempfile::Builder::new().suffix(".json").tempfile().expect("temp file");
    std::io::Write::write_all(&mut file, data).expect("write");
    let _ = artifact_crypto::load_key_file(file.path());
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = artifact_crypto::PublicKey::from_base64(text);
        let _ = artifact_crypto::SecretKey::from_base64(text);
    }
});
