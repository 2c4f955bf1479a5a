//! Per-order artifact encryption, byte-compatible with libsodium sealed boxes, in constant memory.
//!
//! NumerBay delivers each buyer's copy of an encrypted product as one NaCl sealed box
//! (`crypto_box_seal`): `epk(32) ‖ tag(16) ‖ XSalsa20-Poly1305 ciphertext`, 48 bytes of overhead.
//! This crate seals and opens that exact format:
//!
//! - keys: [`PublicKey`], [`SecretKey`] (zeroized, redacted `Debug`), [`KeyPair`], the web app's
//!   key file via [`load_key_file`] / [`write_key_file`], and [`ensure_key_matches`] to detect a
//!   rotated key before opening an order's file;
//! - small buffers: [`seal`] and [`open`];
//! - files, in constant memory and on several cores: [`seal_file`] (one pass, the tag is written
//!   back at offset 32), [`open_file`] (verify the whole tag first, then decrypt into a temporary
//!   file that is renamed only on success);
//! - uploads without a temporary file: [`SealedStream`] computes the tag, then
//!   [`SealedStream::reader`] streams the sealed bytes through [`std::io::Read`].
//!
//! File operations read, encrypt and write in 1 MiB pieces: the calling thread reads,
//! authenticates and writes while worker threads (one per core, at most 4, see
//! `threads` in [`FileOptions`]) compute the XSalsa20 keystream for their piece by seeking to its
//! offset. Peak memory is about 10 MiB whatever the file size (`cargo bench -p artifact-crypto`
//! measures it).
//!
//! The crate never touches the network, never prints and reads no environment variables.
//!
//! ```
//! use artifact_crypto::{open, seal, KeyPair};
//!
//! let buyer = KeyPair::generate();
//! let sealed = seal(buyer.public(), b"id,prediction\nabc,0.5\n")?;
//! assert_eq!(sealed.len(), 22 + 48);
//! assert_eq!(open(&buyer, &sealed)?, b"id,prediction\nabc,0.5\n");
//! # Ok::<(), artifact_crypto::Error>(())
//! ```
#![deny(missing_docs)]

mod engine;
mod error;
mod file;
mod keyfile;
mod keys;
mod memory;
mod pipeline;
mod stream;

pub use engine::{EPK_LEN, SEAL_OVERHEAD, TAG_LEN};
pub use error::{Error, Result};
pub use file::{open_file, open_file_with, seal_file, seal_file_with, FileOptions, Phase};
pub use keyfile::{load_key_file, write_key_file, KeyFileWarning, LoadedKeyFile, DEFAULT_KEY_FILE};
pub use keys::{ensure_key_matches, KeyPair, PublicKey, SecretKey, KEY_LEN};
pub use memory::{open, seal, seal_with_ephemeral, sealed_len};
pub use stream::{SealedStream, SealingReader};

/// The README's examples, compiled and run as doctests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
