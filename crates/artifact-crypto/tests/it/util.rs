//! Shared helpers: test data paths and a cross-check against the RustCrypto `crypto_box` crate.

use std::path::PathBuf;

use artifact_crypto::KeyPair;

/// Path of a file in `tests/data/` (copied from the shared interop vectors).
pub fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// Reads a test data file.
pub fn read(name: &str) -> Vec<u8> {
    std::fs::read(data(name)).unwrap_or_else(|e| panic!("reading {name}: {e}"))
}

/// Opens with the independent `crypto_box` implementation (libsodium's algorithm).
pub fn crypto_box_open(pair: &KeyPair, sealed: &[u8]) -> Option<Vec<u8>> {
    let sk = crypto_box::SecretKey::from_bytes(*pair.secret().expose_bytes());
    sk.unseal(sealed).ok()
}

/// Seals with the independent `crypto_box` implementation.
pub fn crypto_box_seal(pair: &KeyPair, plain: &[u8]) -> Vec<u8> {
    let pk = crypto_box::PublicKey::from_bytes(*pair.public().as_bytes());
    pk.seal(&mut crypto_box::aead::OsRng, plain)
        .expect("crypto_box seal")
}
