//! X25519 key types, their base64 encodings and the key-rotation check.

use std::fmt;
use std::str::FromStr;

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use rand::RngCore as _;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::{Error, Result};

/// Length in bytes of X25519 public and secret keys.
pub const KEY_LEN: usize = 32;

/// A recipient's X25519 public key (what NumerBay stores as `buyer_public_key`).
///
/// `Display` and [`PublicKey::to_base64`] give standard padded base64, like the web app.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PublicKey([u8; KEY_LEN]);

impl PublicKey {
    /// Wraps raw key bytes.
    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> Self {
        Self(bytes)
    }

    /// The raw key bytes.
    pub fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    /// Parses base64: standard with padding as NumerBay emits it, but also unpadded or URL-safe,
    /// with surrounding whitespace ignored.
    ///
    /// # Errors
    /// [`Error::Base64`] or [`Error::KeyLength`].
    pub fn from_base64(s: &str) -> Result<Self> {
        Self::parse_named(s, "public key")
    }

    pub(crate) fn parse_named(s: &str, what: &'static str) -> Result<Self> {
        let bytes = decode_key(s, what)?;
        Ok(Self(*bytes))
    }

    /// Standard base64 with padding (44 characters).
    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.0)
    }

    /// A short, recognisable identifier: the first 8 base64 characters of the key followed by `…`.
    pub fn fingerprint(&self) -> String {
        let b64 = self.to_base64();
        format!("{}…", &b64[..8])
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.to_base64())
    }
}

impl fmt::Display for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_base64())
    }
}

impl FromStr for PublicKey {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        Self::from_base64(s)
    }
}

/// An X25519 secret key (the raw 32 bytes that `nacl.box.keyPair()` and PyNaCl produce).
///
/// Zeroized on drop; `Debug` shows only the fingerprint of the matching public key.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SecretKey([u8; KEY_LEN]);

impl SecretKey {
    /// A fresh random key from the operating system's generator.
    pub fn generate() -> Self {
        let mut bytes = [0u8; KEY_LEN];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self(bytes)
    }

    /// Wraps raw key bytes.
    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> Self {
        Self(bytes)
    }

    /// Parses base64 (as [`PublicKey::from_base64`] does).
    ///
    /// # Errors
    /// [`Error::Base64`] or [`Error::KeyLength`].
    pub fn from_base64(s: &str) -> Result<Self> {
        Self::parse_named(s, "private key")
    }

    pub(crate) fn parse_named(s: &str, what: &'static str) -> Result<Self> {
        let bytes = decode_key(s, what)?;
        Ok(Self(*bytes))
    }

    /// The raw secret bytes. Handle with care: never log them.
    pub fn expose_bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    /// The secret as standard padded base64, zeroized when dropped. Never log it.
    pub fn expose_base64(&self) -> Zeroizing<String> {
        Zeroizing::new(STANDARD.encode(self.0))
    }

    /// The matching public key.
    pub fn public_key(&self) -> PublicKey {
        let secret = x25519_dalek::StaticSecret::from(self.0);
        PublicKey(x25519_dalek::PublicKey::from(&secret).to_bytes())
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretKey(public {})", self.public_key().fingerprint())
    }
}

/// A secret key together with its public key; what opening a sealed box needs.
#[derive(Clone)]
pub struct KeyPair {
    public: PublicKey,
    secret: SecretKey,
}

impl KeyPair {
    /// A fresh random key pair.
    pub fn generate() -> Self {
        Self::from_secret(SecretKey::generate())
    }

    /// Derives the public key from `secret`.
    pub fn from_secret(secret: SecretKey) -> Self {
        Self {
            public: secret.public_key(),
            secret,
        }
    }

    /// The public key.
    pub fn public(&self) -> &PublicKey {
        &self.public
    }

    /// The secret key.
    pub fn secret(&self) -> &SecretKey {
        &self.secret
    }
}

impl fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyPair")
            .field("public", &self.public)
            .field("secret", &"<redacted>")
            .finish()
    }
}

impl From<SecretKey> for KeyPair {
    fn from(secret: SecretKey) -> Self {
        Self::from_secret(secret)
    }
}

/// Checks that `key_file_public` is the key an order's files were sealed for.
///
/// A sealed box cannot tell which key it was made for, so call this before opening an order's
/// file: NumerBay snapshots the buyer's public key into the order (`buyer_public_key`), and a
/// key pair created later cannot open it.
///
/// # Errors
/// [`Error::KeyMismatch`] when the keys differ (the key was rotated), [`Error::Base64`] or
/// [`Error::KeyLength`] when `order_buyer_public_key` is not a key.
pub fn ensure_key_matches(key_file_public: &PublicKey, order_buyer_public_key: &str) -> Result<()> {
    let order = PublicKey::parse_named(order_buyer_public_key, "order buyer public key")?;
    if &order == key_file_public {
        Ok(())
    } else {
        Err(Error::KeyMismatch {
            key_file: key_file_public.to_base64(),
            order: order_buyer_public_key.trim().to_owned(),
        })
    }
}

/// Lenient decoder: accepts padding or none, and the URL-safe alphabet.
const LENIENT_STANDARD: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);
const LENIENT_URL_SAFE: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

fn decode_key(s: &str, what: &'static str) -> Result<Zeroizing<[u8; KEY_LEN]>> {
    let s = s.trim();
    let engine = if s.contains(['-', '_']) {
        &LENIENT_URL_SAFE
    } else {
        &LENIENT_STANDARD
    };
    let decoded = Zeroizing::new(
        engine
            .decode(s)
            .map_err(|source| Error::Base64 { what, source })?,
    );
    let mut out = Zeroizing::new([0u8; KEY_LEN]);
    if decoded.len() != KEY_LEN {
        return Err(Error::KeyLength {
            what,
            len: decoded.len(),
        });
    }
    out.copy_from_slice(&decoded);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Spec §5.4 example key pair.
    const PK: &str = "CCWYG+zssYsX3JGcuqe8iiRXQgkJPN3zaagfokCBtEY=";
    const SK: &str = "eDb7Fx6oYmn1WRk1OE7opo94ccFXusvnHXrU0TYlpSc=";

    #[test]
    fn secret_derives_the_documented_public_key() {
        let sk = SecretKey::from_base64(SK).unwrap();
        assert_eq!(sk.public_key().to_base64(), PK);
        assert_eq!(*sk.expose_base64(), SK);
    }

    #[test]
    fn base64_is_lenient_on_input_and_padded_on_output() {
        let padded = PublicKey::from_base64(PK).unwrap();
        let unpadded = PublicKey::from_base64(PK.trim_end_matches('=')).unwrap();
        let url_safe = PublicKey::from_base64(&PK.replace('+', "-").replace('/', "_")).unwrap();
        let spaced = PublicKey::from_base64(&format!("  {PK}\n")).unwrap();
        assert_eq!(padded, unpadded);
        assert_eq!(padded, url_safe);
        assert_eq!(padded, spaced);
        assert_eq!(url_safe.to_string(), PK);
        assert_eq!(PK.parse::<PublicKey>().unwrap(), padded);
    }

    #[test]
    fn bad_base64_and_bad_lengths_are_typed_errors() {
        assert!(matches!(
            PublicKey::from_base64("not base64 at all!"),
            Err(Error::Base64 {
                what: "public key",
                ..
            })
        ));
        assert!(matches!(
            SecretKey::from_base64("AAAA"),
            Err(Error::KeyLength {
                what: "private key",
                len: 3
            })
        ));
        assert!(matches!(
            PublicKey::from_base64(""),
            Err(Error::KeyLength { len: 0, .. })
        ));
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let pair = KeyPair::from_secret(SecretKey::from_base64(SK).unwrap());
        for text in [format!("{pair:?}"), format!("{:?}", pair.secret())] {
            assert!(!text.contains(SK), "{text}");
            assert!(!text.contains(&SK[..8]), "{text}");
        }
        assert!(format!("{:?}", pair.secret()).contains("CCWYG+zs"));
        assert!(format!("{pair:?}").contains(PK));
    }

    #[test]
    fn generated_pairs_are_distinct_and_consistent() {
        let a = KeyPair::generate();
        let b = KeyPair::generate();
        assert_ne!(a.public(), b.public());
        assert_eq!(a.secret().public_key(), *a.public());
    }

    #[test]
    fn key_rotation_is_detected() {
        let pk = PublicKey::from_base64(PK).unwrap();
        ensure_key_matches(&pk, PK).unwrap();
        ensure_key_matches(&pk, PK.trim_end_matches('=')).unwrap();
        let other = KeyPair::generate().public().to_base64();
        let err = ensure_key_matches(&pk, &other).unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, Error::KeyMismatch { .. }));
        assert!(
            msg.contains("rotated") && msg.contains(PK) && msg.contains(&other),
            "{msg}"
        );
        assert!(matches!(
            ensure_key_matches(&pk, "%%%"),
            Err(Error::Base64 {
                what: "order buyer public key",
                ..
            })
        ));
    }
}
