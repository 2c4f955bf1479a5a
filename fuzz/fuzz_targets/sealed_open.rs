//! Fuzz target: opening arbitrary bytes as a sealed box fails cleanly (in memory and file to file).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let keys = artifact_crypto::KeyPair::from_secret(artifact_crypto::SecretKey::from_bytes([7u8; 32]));
    let in_memory = artifact_crypto::open(&keys, data);
    let dir = tempfile::tempdir().expect("temp dir");
    let src = dir.path().join("in.sealed");
    let dst = dir.path().join("out.plain");
    std::fs::write(&src, data).expect("write");
    let streamed = artifact_crypto::open_file(&keys, &src, &dst);
    assert_eq!(in_memory.is_ok(), streamed.is_ok(), "in-memory and streaming open disagree");
    if streamed.is_err() {
        assert!(!dst.exists(), "failed open left a file at the destination");
    }
});
