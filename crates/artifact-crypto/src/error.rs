//! The crate's error type.

use std::path::{Path, PathBuf};

/// Everything that can go wrong while handling keys and sealed boxes.
///
/// Messages are lowercase and say what to do; none of them ever contains private key material.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input is shorter than the 48-byte sealed box overhead, so it cannot be a sealed box.
    #[error(
        "{}sealed data is too short: {len} bytes, but every sealed box has at least 48 \
         (32-byte ephemeral key + 16-byte tag); the file is truncated or not a sealed box",
        path_prefix(path)
    )]
    TooShort {
        /// The file, when the data came from one.
        path: Option<PathBuf>,
        /// Length of the input in bytes.
        len: u64,
    },

    /// The Poly1305 tag did not verify: wrong key, tampered or truncated data.
    #[error(
        "{}authentication failed: the data was not sealed for this key pair, or it was tampered \
         with or truncated; check that the key file matches the order's buyer public key and \
         download the file again",
        path_prefix(path)
    )]
    Authentication {
        /// The file, when the data came from one.
        path: Option<PathBuf>,
    },

    /// The recipient public key is a low-order point: anyone could read a box sealed to it.
    #[error(
        "refusing to seal to public key {public_key}: it is not a usable X25519 key (low-order \
         point); ask the buyer to set a new key pair"
    )]
    WeakPublicKey {
        /// The rejected key (base64).
        public_key: String,
    },

    /// A key is not valid base64.
    #[error("{what} is not valid base64 (expected 44 characters of standard base64 with padding)")]
    Base64 {
        /// Which key ("public key", "private key", "order buyer public key", ...).
        what: &'static str,
        /// The decoder's complaint.
        #[source]
        source: base64::DecodeError,
    },

    /// A key decoded to the wrong number of bytes.
    #[error("{what} decodes to {len} bytes, but X25519 keys are exactly 32 bytes")]
    KeyLength {
        /// Which key.
        what: &'static str,
        /// The decoded length.
        len: usize,
    },

    /// The key file is not the expected JSON object.
    #[error(
        "key file {path} is not a NumerBay key file (expected JSON {{\"public_key\": \"...\", \
         \"private_key\": \"...\"}}); export it again from the NumerBay web app or generate a new key pair"
    )]
    KeyFileFormat {
        /// The key file.
        path: PathBuf,
        /// The JSON decoder's complaint (it names the missing or malformed field).
        #[source]
        source: serde_json::Error,
    },

    /// One field of the key file holds an invalid key.
    #[error("key file {path}: field `{field}` is invalid")]
    KeyFileField {
        /// The key file.
        path: PathBuf,
        /// The offending field (`public_key` or `private_key`).
        field: &'static str,
        /// What is wrong with it.
        #[source]
        source: Box<Error>,
    },

    /// The key file's `public_key` does not belong to its `private_key`.
    #[error(
        "key file {path}: `public_key` does not match `private_key` (the private key's public key \
         is {derived}); the file was edited or mixes two key pairs, export it again"
    )]
    KeyFileMismatch {
        /// The key file.
        path: PathBuf,
        /// The public key derived from the private key (base64).
        derived: String,
    },

    /// The key file's public key differs from the key the order was sealed for.
    #[error(
        "the key file's public key {key_file} differs from the order's buyer public key {order}: \
         the key pair was rotated after the order was placed, so this key cannot open the order's \
         files; use the key file that was current when the order was placed"
    )]
    KeyMismatch {
        /// The key file's public key (base64).
        key_file: String,
        /// The order's `buyer_public_key` (as given).
        order: String,
    },

    /// Refused to overwrite an existing file.
    #[error("{path} already exists and replacing it was not requested; remove it or ask for a replacement")]
    AlreadyExists {
        /// The existing file.
        path: PathBuf,
    },

    /// The input file changed while it was being read twice.
    #[error(
        "{path} changed while it was being processed (its size or content differs between the two \
         passes); make sure nothing writes to it and try again"
    )]
    Changed {
        /// The input file.
        path: PathBuf,
    },

    /// The operation was cancelled through [`crate::FileOptions::cancel`]; nothing was written.
    #[error("cancelled; no output file was written")]
    Cancelled,

    /// The destination could not be chosen, written or put in place.
    #[error("the output was not written")]
    Write(#[source] mkt_fs::Error),

    /// An I/O operation on a file failed.
    #[error("could not {op} {path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What was being done ("read", "create", ...).
        op: &'static str,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Whether this error means the sealed data did not authenticate (wrong key, tampering,
    /// truncation) or was too short to be a sealed box.
    pub fn is_authentication(&self) -> bool {
        matches!(self, Error::Authentication { .. } | Error::TooShort { .. })
    }

    pub(crate) fn io(path: &Path, op: &'static str, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            op,
            source,
        }
    }

    pub(crate) fn with_path(self, path: &Path) -> Self {
        match self {
            Error::TooShort { path: None, len } => Error::TooShort {
                path: Some(path.to_path_buf()),
                len,
            },
            Error::Authentication { path: None } => Error::Authentication {
                path: Some(path.to_path_buf()),
            },
            other => other,
        }
    }
}

fn path_prefix(path: &Option<PathBuf>) -> String {
    path.as_ref()
        .map(|p| format!("{}: ", p.display()))
        .unwrap_or_default()
}

impl From<mkt_fs::Error> for Error {
    fn from(e: mkt_fs::Error) -> Self {
        match e {
            mkt_fs::Error::Interrupted => Error::Cancelled,
            mkt_fs::Error::Exists { path } => Error::AlreadyExists { path },
            other => Error::Write(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authentication_message_names_the_file_when_known() {
        let err = Error::Authentication { path: None }.with_path(Path::new("a.sealed"));
        let msg = err.to_string();
        assert!(msg.starts_with("a.sealed: authentication failed"), "{msg}");
        assert!(err.is_authentication());
        let bare = Error::Authentication { path: None }.to_string();
        assert!(bare.starts_with("authentication failed"), "{bare}");
    }

    #[test]
    fn too_short_counts_as_authentication_failure() {
        let err = Error::TooShort { path: None, len: 47 };
        assert!(err.is_authentication());
        assert!(err.to_string().contains("47 bytes"));
    }
}
