//! The web app's exported key file `numerbay.json`: reading, checking and writing it.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::{Error, KeyPair, PublicKey, Result, SecretKey};

/// The file name the NumerBay web app uses when exporting a key pair.
pub const DEFAULT_KEY_FILE: &str = "numerbay.json";

/// A key file that was read and checked.
#[derive(Debug)]
pub struct LoadedKeyFile {
    /// Where it was read from.
    pub path: PathBuf,
    /// The key pair (the public key is checked against the private key).
    pub key_pair: KeyPair,
    /// Things the caller should tell the user about (libraries don't print).
    pub warnings: Vec<KeyFileWarning>,
}

/// Something suspicious about a key file that does not stop it from being used.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyFileWarning {
    /// The file can be read by the group or by others.
    Readable {
        /// The key file.
        path: PathBuf,
        /// Its permission bits (e.g. `0o644`).
        mode: u32,
    },
    /// The file has no `public_key` field, so nothing could be cross-checked.
    MissingPublicKey {
        /// The key file.
        path: PathBuf,
    },
}

impl fmt::Display for KeyFileWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyFileWarning::Readable { path, mode } => write!(
                f,
                "key file {} is readable by group or others (mode {mode:04o}); run `chmod 600 {}`",
                path.display(),
                path.display()
            ),
            KeyFileWarning::MissingPublicKey { path } => write!(
                f,
                "key file {} has no `public_key`; it was derived from `private_key`",
                path.display()
            ),
        }
    }
}

/// Reads and checks a key file: JSON `{"public_key": B64, "private_key": B64}`.
///
/// Base64 is accepted padded or not, standard or URL-safe. When `public_key` is present it must
/// belong to `private_key`; when missing (the Python client only needs the private key) it is
/// derived and a warning says so. A file readable by group or others also yields a warning.
///
/// # Errors
/// [`Error::Io`] when the file can't be read, [`Error::KeyFileFormat`] when it is not that JSON
/// object, [`Error::KeyFileField`] naming the field with an invalid key, and
/// [`Error::KeyFileMismatch`] when the two keys don't belong together.
pub fn load_key_file(path: impl AsRef<Path>) -> Result<LoadedKeyFile> {
    let path = path.as_ref();
    let mut warnings = Vec::new();
    let text = zeroize::Zeroizing::new(std::fs::read(path).map_err(|e| Error::io(path, "read key file", e))?);
    if let Some(mode) = loose_mode(path) {
        warnings.push(KeyFileWarning::Readable {
            path: path.to_path_buf(),
            mode,
        });
    }
    let raw: RawKeyFile = serde_json::from_slice(&text).map_err(|source| Error::KeyFileFormat {
        path: path.to_path_buf(),
        source,
    })?;
    let field_err = |field: &'static str| {
        move |e: Error| Error::KeyFileField {
            path: path.to_path_buf(),
            field,
            source: Box::new(e),
        }
    };
    let secret = SecretKey::parse_named(&raw.private_key, "private key").map_err(field_err("private_key"))?;
    let key_pair = KeyPair::from_secret(secret);
    match raw.public_key.as_deref() {
        Some(public) => {
            let public = PublicKey::parse_named(public, "public key").map_err(field_err("public_key"))?;
            if &public != key_pair.public() {
                return Err(Error::KeyFileMismatch {
                    path: path.to_path_buf(),
                    derived: key_pair.public().to_base64(),
                });
            }
        }
        None => warnings.push(KeyFileWarning::MissingPublicKey {
            path: path.to_path_buf(),
        }),
    }
    Ok(LoadedKeyFile {
        path: path.to_path_buf(),
        key_pair,
        warnings,
    })
}

/// Writes `key_pair` as a key file in the web app's format, with mode 0600 on Unix.
///
/// The file is written to a temporary file in the same directory, synced, then moved into place,
/// so a crash never leaves a half-written key file. Without `force` an existing file is never
/// replaced (checked atomically).
///
/// # Errors
/// [`Error::AlreadyExists`] when `path` exists and `force` is false; [`Error::Io`] otherwise.
pub fn write_key_file(path: impl AsRef<Path>, key_pair: &KeyPair, force: bool) -> Result<()> {
    let path = path.as_ref();
    let dest = mkt_fs::Destination::key_file(path).force(force).resolve()?;
    let body = RawKeyFileOut {
        public_key: key_pair.public().to_base64(),
        private_key: key_pair.secret().expose_base64().to_string(),
    };
    let mut json = zeroize::Zeroizing::new(serde_json::to_vec(&body).map_err(|e| Error::KeyFileFormat {
        path: path.to_path_buf(),
        source: e,
    })?);
    drop(body);
    json.push(b'\n');
    dest.write_all(&json)?;
    Ok(())
}

#[derive(Deserialize, Zeroize, ZeroizeOnDrop)]
struct RawKeyFile {
    #[serde(default)]
    public_key: Option<String>,
    private_key: String,
}

#[derive(Serialize, Zeroize, ZeroizeOnDrop)]
struct RawKeyFileOut {
    public_key: String,
    private_key: String,
}

#[cfg(unix)]
fn loose_mode(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
    (mode & 0o077 != 0).then_some(mode)
}

#[cfg(not(unix))]
fn loose_mode(_path: &Path) -> Option<u32> {
    None
}
