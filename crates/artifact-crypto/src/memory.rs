//! In-memory sealing and opening of small buffers.

use crate::engine::{split_header, BoxKey, EPK_LEN, SEAL_OVERHEAD, TAG_LEN};
use crate::{Error, KeyPair, PublicKey, Result, SecretKey};

/// Seals `plaintext` to `recipient` (libsodium `crypto_box_seal`) with a fresh ephemeral key.
///
/// The result is `epk(32) ‖ tag(16) ‖ ciphertext`, 48 bytes longer than `plaintext`; sealing
/// twice gives different bytes. For files use [`crate::seal_file`], which runs in constant memory.
///
/// # Errors
/// [`Error::WeakPublicKey`] when `recipient` is a low-order point (libsodium refuses those too).
pub fn seal(recipient: &PublicKey, plaintext: &[u8]) -> Result<Vec<u8>> {
    seal_with_ephemeral(&SecretKey::generate(), recipient, plaintext)
}

/// Seals with a caller-chosen ephemeral secret key, which makes the output deterministic.
///
/// **For tests and interoperability vectors only**: reusing an ephemeral key for two messages
/// to the same recipient reuses the keystream and destroys confidentiality. Use [`seal`].
///
/// # Errors
/// As [`seal`].
pub fn seal_with_ephemeral(
    ephemeral: &SecretKey,
    recipient: &PublicKey,
    plaintext: &[u8],
) -> Result<Vec<u8>> {
    let (epk, key) = BoxKey::for_seal(ephemeral, recipient)?;
    let mut out = Vec::with_capacity(plaintext.len() + SEAL_OVERHEAD);
    out.extend_from_slice(epk.as_bytes());
    out.extend_from_slice(&[0u8; TAG_LEN]);
    out.extend_from_slice(plaintext);
    key.apply_keystream(0, &mut out[SEAL_OVERHEAD..], 1);
    let mut mac = key.mac();
    mac.update(&out[SEAL_OVERHEAD..]);
    out[EPK_LEN..SEAL_OVERHEAD].copy_from_slice(&mac.finalize());
    Ok(out)
}

/// Opens a sealed box made for `recipient` and returns the plaintext.
///
/// The tag is verified before anything is decrypted.
///
/// # Errors
/// [`Error::TooShort`] under 48 bytes, [`Error::Authentication`] when the box was made for
/// another key or was tampered with or truncated.
pub fn open(recipient: &KeyPair, sealed: &[u8]) -> Result<Vec<u8>> {
    let Some((header, body)) = sealed.split_first_chunk::<SEAL_OVERHEAD>() else {
        return Err(Error::TooShort {
            path: None,
            len: sealed.len() as u64,
        });
    };
    let (epk, tag) = split_header(header);
    let key = BoxKey::for_open(recipient, &epk)?;
    let mut mac = key.mac();
    mac.update(body);
    if !mac.verify(&tag) {
        return Err(Error::Authentication { path: None });
    }
    let mut plain = body.to_vec();
    key.apply_keystream(0, &mut plain, 1);
    Ok(plain)
}

/// Length of the sealed box for a plaintext of `plaintext_len` bytes (48 more).
pub const fn sealed_len(plaintext_len: u64) -> u64 {
    plaintext_len + SEAL_OVERHEAD as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_open_round_trip_and_randomisation() {
        let pair = KeyPair::generate();
        let a = seal(pair.public(), b"hello").unwrap();
        let b = seal(pair.public(), b"hello").unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len() as u64, sealed_len(5));
        assert_eq!(open(&pair, &a).unwrap(), b"hello");
        assert_eq!(open(&pair, &b).unwrap(), b"hello");
    }

    #[test]
    fn low_order_ephemeral_key_is_rejected() {
        let pair = KeyPair::generate();
        // An all-zero "public key" is a low-order point: the shared secret would be all zeros.
        let forged = vec![0u8; 60];
        assert!(matches!(open(&pair, &forged), Err(Error::Authentication { .. })));
    }

    #[test]
    fn sealing_to_a_low_order_key_is_refused() {
        let zero = PublicKey::from_bytes([0u8; 32]);
        assert!(matches!(seal(&zero, b"secret"), Err(Error::WeakPublicKey { .. })));
    }

    #[test]
    fn every_flipped_bit_of_a_small_box_is_detected() {
        let pair = KeyPair::generate();
        let sealed = seal(pair.public(), b"abc").unwrap();
        for i in 0..sealed.len() * 8 {
            let mut bad = sealed.clone();
            bad[i / 8] ^= 1 << (i % 8);
            assert!(open(&pair, &bad).unwrap_err().is_authentication(), "bit {i}");
        }
    }
}
