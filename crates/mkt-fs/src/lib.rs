//! The one writer for every file mkt produces: downloads, decrypted and sealed files,
//! conversions, key, config and state files.
//!
//! A [`Destination`] is resolved once from what the user typed (or a name mkt chose) by the
//! rules documented on it: `-` is standard output, symbolic links are followed, devices and FIFOs
//! are written in place, directories take a [`SafeName`], regular files are replaced atomically
//! (or not at all, for chosen names and key files). [`Destination::create`] gives an [`Output`]:
//! a 0600 temp file beside the target, locked while in use and named `.{name}.mkt-*.tmp`, so a
//! killed run's leftovers are found and removed (or resumed) by the next run.
//! [`Output::commit`] fsyncs and renames it into place unless the process was interrupted
//! ([`cancel`]).
//!
//! ```
//! use std::io::Write;
//! use mkt_fs::Destination;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = tempfile::tempdir()?;
//! let dest = Destination::user(dir.path().join("out.csv")).resolve()?;
//! let mut out = dest.create()?;
//! out.write_all(b"id,prediction\n")?;
//! out.commit()?;
//! assert_eq!(std::fs::read(dir.path().join("out.csv"))?, b"id,prediction\n");
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

pub mod cancel;
mod dest;
mod error;
mod name;
mod output;
mod temp;

pub use dest::{Destination, DestinationBuilder, Origin};
pub use error::{Error, Result};
pub use name::{SafeName, MAX_NAME_BYTES};
pub use output::{Output, Resumable};

/// The README's examples, compiled and run as doctests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
