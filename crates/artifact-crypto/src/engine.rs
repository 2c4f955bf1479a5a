//! The sealed-box primitives, split so that files can be processed in pieces and on several cores.
//!
//! `crypto_box_seal` is: ephemeral X25519 key pair, nonce = BLAKE2b-192(epk ‖ recipient_pk),
//! key = HSalsa20(X25519(esk, recipient_pk), 0), then XSalsa20-Poly1305 as `crypto_secretbox`:
//! the first 32 bytes of the XSalsa20 keystream are the one-time Poly1305 key, the message is
//! XORed with the keystream from offset 32 on, and the tag is Poly1305 over the ciphertext.

use blake2::digest::{Update as _, VariableOutput as _};
use poly1305::universal_hash::{KeyInit as _, UniversalHash as _};
use poly1305::Poly1305;
use salsa20::cipher::{KeyIvInit as _, StreamCipher as _, StreamCipherSeek as _};
use salsa20::XSalsa20;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::{Error, KeyPair, PublicKey, Result, SecretKey};

/// Length of the ephemeral public key at the start of a sealed box.
pub const EPK_LEN: usize = 32;
/// Length of the Poly1305 tag that follows it.
pub const TAG_LEN: usize = 16;
/// Bytes a sealed box adds to its plaintext: ephemeral public key plus tag.
pub const SEAL_OVERHEAD: usize = EPK_LEN + TAG_LEN;

/// Keystream bytes reserved for the Poly1305 key before the message keystream starts.
const MAC_KEY_LEN: u64 = 32;
/// Below this many bytes a buffer is encrypted on the calling thread only.
const PARALLEL_MIN: usize = 256 * 1024;

/// The XSalsa20 key and nonce of one sealed box.
#[derive(Zeroize, ZeroizeOnDrop)]
pub(crate) struct BoxKey {
    key: [u8; 32],
    nonce: [u8; 24],
}

impl BoxKey {
    /// Key material for sealing to `recipient` with the ephemeral secret `ephemeral`; also
    /// returns the ephemeral public key that starts the box.
    pub(crate) fn for_seal(ephemeral: &SecretKey, recipient: &PublicKey) -> Result<(PublicKey, Self)> {
        let epk = ephemeral.public_key();
        let key = Self::derive(ephemeral, recipient, &epk, recipient).map_err(|_| Error::WeakPublicKey {
            public_key: recipient.to_base64(),
        })?;
        Ok((epk, key))
    }

    /// Key material for opening a box that starts with `epk`.
    pub(crate) fn for_open(recipient: &KeyPair, epk: &PublicKey) -> Result<Self> {
        Self::derive(recipient.secret(), epk, epk, recipient.public())
    }

    fn derive(ours: &SecretKey, theirs: &PublicKey, epk: &PublicKey, recipient: &PublicKey) -> Result<Self> {
        let secret = x25519_dalek::StaticSecret::from(*ours.expose_bytes());
        let shared = secret.diffie_hellman(&x25519_dalek::PublicKey::from(*theirs.as_bytes()));
        // libsodium refuses low-order points (an all-zero shared secret): a box made with such an
        // "ephemeral key" could be forged by anyone.
        if !shared.was_contributory() {
            return Err(Error::Authentication { path: None });
        }
        let mut key = [0u8; 32];
        let mut derived =
            salsa20::hsalsa::<salsa20::cipher::consts::U10>(shared.as_bytes().into(), &Default::default());
        key.copy_from_slice(&derived);
        derived.zeroize();

        let mut nonce = [0u8; 24];
        let mut hasher = blake2::Blake2bVar::new(24).map_err(|_| Error::Authentication { path: None })?;
        hasher.update(epk.as_bytes());
        hasher.update(recipient.as_bytes());
        hasher
            .finalize_variable(&mut nonce)
            .map_err(|_| Error::Authentication { path: None })?;
        Ok(Self { key, nonce })
    }

    fn cipher(&self) -> XSalsa20 {
        XSalsa20::new(&self.key.into(), &self.nonce.into())
    }

    /// A fresh Poly1305 state keyed with the first 32 keystream bytes.
    pub(crate) fn mac(&self) -> Mac {
        let mut mac_key = [0u8; 32];
        self.cipher().apply_keystream(&mut mac_key);
        let poly = Poly1305::new(&mac_key.into());
        mac_key.zeroize();
        Mac {
            poly,
            pending: [0u8; 16],
            pending_len: 0,
        }
    }

    /// XORs `buf` with the message keystream, `buf[0]` being message byte `offset`.
    ///
    /// Large buffers are split into `threads` ranges that seek the keystream independently.
    pub(crate) fn apply_keystream(&self, offset: u64, buf: &mut [u8], threads: usize) {
        let threads = threads.max(1);
        if threads == 1 || buf.len() < PARALLEL_MIN {
            self.apply_range(offset, buf);
            return;
        }
        // Ranges are multiples of the 64-byte Salsa20 block so that no block is computed twice.
        let per = buf.len().div_ceil(threads).div_ceil(64) * 64;
        std::thread::scope(|scope| {
            let mut parts = buf.chunks_mut(per);
            let first = parts.next();
            for (i, part) in parts.enumerate() {
                let at = offset + ((i + 1) * per) as u64;
                scope.spawn(move || self.apply_range(at, part));
            }
            if let Some(first) = first {
                self.apply_range(offset, first);
            }
        });
    }

    fn apply_range(&self, offset: u64, buf: &mut [u8]) {
        let mut cipher = self.cipher();
        cipher.seek(MAC_KEY_LEN + offset);
        cipher.apply_keystream(buf);
    }
}

/// Poly1305 over a ciphertext fed in arbitrary pieces.
///
/// NaCl's Poly1305 pads only the very last partial block, so pieces are regrouped into whole
/// 16-byte blocks and the remainder is carried to the next call.
#[derive(Clone)]
pub(crate) struct Mac {
    poly: Poly1305,
    pending: [u8; 16],
    pending_len: usize,
}

impl Mac {
    pub(crate) fn update(&mut self, mut data: &[u8]) {
        if self.pending_len > 0 {
            let take = (16 - self.pending_len).min(data.len());
            self.pending[self.pending_len..self.pending_len + take].copy_from_slice(&data[..take]);
            self.pending_len += take;
            data = &data[take..];
            if self.pending_len < 16 {
                return;
            }
            self.poly.update_padded(&self.pending);
            self.pending_len = 0;
        }
        let whole = data.len() / 16 * 16;
        // Whole blocks only, so `update_padded` adds no padding here.
        self.poly.update_padded(&data[..whole]);
        let rest = &data[whole..];
        self.pending[..rest.len()].copy_from_slice(rest);
        self.pending_len = rest.len();
    }

    pub(crate) fn finalize(self) -> [u8; TAG_LEN] {
        let tag = self.poly.compute_unpadded(&self.pending[..self.pending_len]);
        tag.into()
    }

    /// Finishes and compares with `expected` without an early exit.
    pub(crate) fn verify(self, expected: &[u8; TAG_LEN]) -> bool {
        let tag = self.finalize();
        let diff = tag.iter().zip(expected).fold(0u8, |acc, (a, b)| acc | (a ^ b));
        std::hint::black_box(diff) == 0
    }
}

/// Splits a sealed box's header into the ephemeral public key and the tag.
pub(crate) fn split_header(header: &[u8; SEAL_OVERHEAD]) -> (PublicKey, [u8; TAG_LEN]) {
    let mut epk = [0u8; EPK_LEN];
    epk.copy_from_slice(&header[..EPK_LEN]);
    let mut tag = [0u8; TAG_LEN];
    tag.copy_from_slice(&header[EPK_LEN..]);
    (PublicKey::from_bytes(epk), tag)
}

/// How many threads to use for the keystream by default: the available cores, at most 4.
pub(crate) fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> BoxKey {
        BoxKey {
            key: [7u8; 32],
            nonce: [9u8; 24],
        }
    }

    #[test]
    fn parallel_keystream_matches_sequential() {
        let k = key();
        let len = PARALLEL_MIN * 3 + 77;
        let mut a = vec![0u8; len];
        let mut b = vec![0u8; len];
        k.apply_keystream(5, &mut a, 1);
        k.apply_keystream(5, &mut b, 3);
        assert_eq!(a, b);
        // Seeking to a later offset yields the tail of the same keystream.
        let mut c = vec![0u8; 1000];
        k.apply_keystream(5 + 300, &mut c, 1);
        assert_eq!(&a[300..1300], &c[..]);
    }

    #[test]
    fn piecewise_mac_equals_one_shot() {
        let k = key();
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 31 % 251) as u8).collect();
        let mut one = k.mac();
        one.update(&data);
        let one = one.finalize();
        for split in [0usize, 1, 15, 16, 17, 33, 500, 999, 1000] {
            let mut mac = k.mac();
            for piece in data[..split].chunks(7) {
                mac.update(piece);
            }
            mac.update(&data[split..]);
            assert_eq!(mac.finalize(), one, "split at {split}");
        }
        let mut mac = k.mac();
        mac.update(&data);
        assert!(mac.clone().verify(&one));
        let mut wrong = one;
        wrong[15] ^= 1;
        assert!(!mac.verify(&wrong));
    }
}
