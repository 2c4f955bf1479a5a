//! File-to-file sealing and opening in constant memory.

use std::fmt;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use mkt_fs::{Destination, Output};

use crate::engine::{default_threads, split_header, BoxKey, EPK_LEN, SEAL_OVERHEAD, TAG_LEN};
use crate::pipeline::{self, Pipe};
use crate::{Error, KeyPair, PublicKey, Result, SealedStream, SecretKey};

/// Bytes read, processed and written at a time: memory use is about this much, whatever the
/// file size.
pub(crate) const CHUNK: usize = 1024 * 1024;

/// Which pass of a file operation a progress report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Phase {
    /// Sealing: encrypting and authenticating in one pass (file to file), or computing the tag
    /// before streaming ([`crate::SealedStream::prepare`]).
    Seal,
    /// Opening, first pass: verifying the tag over the whole ciphertext.
    Verify,
    /// Opening, second pass: decrypting into a temporary file.
    Decrypt,
}

/// Tuning and progress reporting for [`seal_file_with`] and [`open_file_with`].
#[derive(Clone, Copy, Default)]
pub struct FileOptions<'a> {
    /// Threads that compute the keystream; 0 means the available cores (at most 4).
    pub threads: usize,
    /// Bytes per piece of work; memory use is bounded by a few pieces per thread. 0 means 1 MiB.
    pub chunk_size: usize,
    /// Called after each chunk with the pass and the bytes done so far in that pass (out of the
    /// plaintext or ciphertext length, i.e. the input size minus the 48-byte overhead when opening).
    pub progress: Option<&'a (dyn Fn(Phase, u64) + Sync)>,
    /// When set to true (e.g. from a Ctrl-C handler), the operation stops after the current
    /// piece with [`Error::Cancelled`], removing its temporary file.
    pub cancel: Option<&'a AtomicBool>,
}

impl fmt::Debug for FileOptions<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileOptions")
            .field("threads", &self.threads)
            .field("chunk_size", &self.chunk_size)
            .field("progress", &self.progress.is_some())
            .field("cancel", &self.cancel)
            .finish()
    }
}

impl FileOptions<'_> {
    fn threads(&self) -> usize {
        if self.threads == 0 {
            default_threads()
        } else {
            self.threads
        }
    }

    fn chunk(&self) -> usize {
        if self.chunk_size == 0 {
            CHUNK
        } else {
            self.chunk_size
        }
    }

    fn pipe(&self) -> Pipe {
        Pipe {
            piece: self.chunk(),
            threads: self.threads(),
        }
    }

    /// Reports progress and stops the operation when it was cancelled (through
    /// [`FileOptions::cancel`] or a process-wide [`mkt_fs::cancel::interrupt`]).
    fn step(&self, phase: Phase, done: u64) -> Result<()> {
        if self.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) || mkt_fs::cancel::check().is_err() {
            return Err(Error::Cancelled);
        }
        if let Some(progress) = self.progress {
            progress(phase, done);
        }
        Ok(())
    }
}

/// Seals the file `src` to `recipient` into `dst` (a path the caller chose: `-` is standard
/// output, see [`mkt_fs::Destination`]) in constant memory. Returns the sealed length.
///
/// The output is byte-compatible with libsodium `crypto_box_seal` over the whole file. A file
/// destination is sealed in one pass into a temp file beside it, the tag written back at offset
/// 32, then synced and renamed over `dst`; a stream (standard output, a FIFO) gets the tag
/// computed in a first pass and the sealed bytes in a second.
///
/// # Errors
/// [`Error::Io`] naming the file, [`Error::WeakPublicKey`] for an unusable recipient key,
/// [`Error::Write`] for the destination.
pub fn seal_file(recipient: &PublicKey, src: impl AsRef<Path>, dst: impl AsRef<Path>) -> Result<u64> {
    let src = src.as_ref();
    let dest = Destination::user(dst.as_ref()).distinct_from(src).resolve()?;
    seal_file_with(recipient, src, &dest, &FileOptions::default())
}

/// [`seal_file`] into a resolved [`Destination`], with explicit options.
///
/// # Errors
/// As [`seal_file`], and [`Error::Cancelled`].
pub fn seal_file_with(
    recipient: &PublicKey,
    src: impl AsRef<Path>,
    dst: &Destination,
    options: &FileOptions<'_>,
) -> Result<u64> {
    let src = src.as_ref();
    let mut out = dst.create()?;
    let sealed = if out.is_seekable() {
        seal_in_one_pass(recipient, src, &mut out, options)?
    } else {
        seal_as_stream(recipient, src, &mut out, options)?
    };
    out.commit()?;
    Ok(sealed)
}

fn seal_in_one_pass(
    recipient: &PublicKey,
    src: &Path,
    out: &mut Output,
    options: &FileOptions<'_>,
) -> Result<u64> {
    let (epk, key) = BoxKey::for_seal(&SecretKey::generate(), recipient)?;
    let mut input = File::open(src).map_err(|e| Error::io(src, "open", e))?;
    let mut header = [0u8; SEAL_OVERHEAD];
    header[..EPK_LEN].copy_from_slice(epk.as_bytes());
    write_all(out, &header)?;

    let mut mac = key.mac();
    let mut done = 0u64;
    pipeline::run(
        &key,
        &mut input,
        src,
        options.pipe(),
        |_| {},
        |chunk| {
            mac.update(chunk);
            write_all(out, chunk)?;
            done += chunk.len() as u64;
            options.step(Phase::Seal, done)
        },
    )?;
    let tag = mac.finalize();
    out.seek(SeekFrom::Start(EPK_LEN as u64))
        .and_then(|_| out.write_all(&tag))
        .map_err(|e| Error::io(&out_path(out), "write", e))?;
    Ok(done + SEAL_OVERHEAD as u64)
}

/// Two passes for outputs that cannot seek: the tag first, then the bytes in order.
fn seal_as_stream(
    recipient: &PublicKey,
    src: &Path,
    out: &mut Output,
    options: &FileOptions<'_>,
) -> Result<u64> {
    let stream = SealedStream::prepare(recipient, src)?;
    options.step(Phase::Seal, 0)?;
    let mut reader = stream.reader()?;
    let mut buf = vec![0u8; options.chunk()];
    let mut done = 0u64;
    loop {
        let n = reader.read(&mut buf).map_err(|e| Error::io(src, "read", e))?;
        if n == 0 {
            break;
        }
        write_all(out, &buf[..n])?;
        done += n as u64;
        options.step(Phase::Seal, done)?;
    }
    Ok(done)
}

/// Opens the sealed file `src` with `recipient` into `dst` in constant memory.
///
/// Pass one verifies the tag over the whole ciphertext; only then does pass two decrypt into a
/// temporary file next to `dst`, which is synced and renamed over `dst` on success. No plaintext
/// byte is written before the tag has verified, and on any failure `dst` is left untouched
/// (and not created). Pass two authenticates the ciphertext again, so a file changed between
/// the passes is detected too. Returns the plaintext length.
///
/// # Errors
/// [`Error::TooShort`] and [`Error::Authentication`] (wrong key, tampered or truncated data)
/// naming `src`, [`Error::Changed`] when `src` was modified meanwhile, [`Error::Io`].
pub fn open_file(recipient: &KeyPair, src: impl AsRef<Path>, dst: impl AsRef<Path>) -> Result<u64> {
    let src = src.as_ref();
    let dest = Destination::user(dst.as_ref()).distinct_from(src).resolve()?;
    open_file_with(recipient, src, &dest, &FileOptions::default())
}

/// [`open_file`] into a resolved [`Destination`], with explicit options. A stream destination
/// (standard output, a FIFO) gets plaintext only after the whole file has verified.
///
/// # Errors
/// As [`open_file`], and [`Error::Cancelled`].
pub fn open_file_with(
    recipient: &KeyPair,
    src: impl AsRef<Path>,
    dst: &Destination,
    options: &FileOptions<'_>,
) -> Result<u64> {
    let src = src.as_ref();
    let mut input = File::open(src).map_err(|e| Error::io(src, "open", e))?;
    let len = input.metadata().map_err(|e| Error::io(src, "inspect", e))?.len();
    let mut header = [0u8; SEAL_OVERHEAD];
    let got = read_full(&mut input, &mut header).map_err(|e| Error::io(src, "read", e))?;
    if got < SEAL_OVERHEAD {
        return Err(Error::TooShort {
            path: Some(src.to_path_buf()),
            len: got as u64,
        });
    }
    let body_len = len.saturating_sub(SEAL_OVERHEAD as u64);
    let (epk, tag) = split_header(&header);
    let key = BoxKey::for_open(recipient, &epk).map_err(|e| e.with_path(src))?;

    // Pass 1: authenticate. Cheap (Poly1305 runs at several GB/s, reading overlaps with it on
    // another thread) and writes nothing.
    let mut mac = key.mac();
    let mut done = 0u64;
    pipeline::read_ahead(&mut input, src, options.pipe(), |chunk| {
        mac.update(chunk);
        done += chunk.len() as u64;
        options.step(Phase::Verify, done)
    })?;
    if !mac.verify(&tag) {
        return Err(Error::Authentication {
            path: Some(src.to_path_buf()),
        });
    }
    if done != body_len {
        return Err(Error::Changed {
            path: src.to_path_buf(),
        });
    }

    // Pass 2: decrypt, authenticating the same bytes again in case the file changed meanwhile.
    input
        .seek(SeekFrom::Start(SEAL_OVERHEAD as u64))
        .map_err(|e| Error::io(src, "seek in", e))?;
    let mut out = dst.create()?;
    let mut mac = key.mac();
    let mut done = 0u64;
    pipeline::run(
        &key,
        &mut input,
        src,
        options.pipe(),
        |chunk| mac.update(chunk),
        |chunk| {
            write_all(&mut out, chunk)?;
            done += chunk.len() as u64;
            options.step(Phase::Decrypt, done)
        },
    )?;
    if done != body_len || !mac.verify(&tag) {
        // Dropping `out` deletes the temporary file.
        return Err(Error::Changed {
            path: src.to_path_buf(),
        });
    }
    out.commit()?;
    Ok(done)
}

/// Reads until `buf` is full or the input ends; returns the bytes read.
pub(crate) fn read_full(input: &mut (impl Read + ?Sized), buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match input.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

fn out_path(out: &Output) -> std::path::PathBuf {
    out.path()
        .unwrap_or_else(|| out.destination().shown())
        .to_path_buf()
}

fn write_all(out: &mut Output, data: &[u8]) -> Result<()> {
    out.write_all(data)
        .map_err(|e| Error::io(&out_path(out), "write", e))
}

const _: () = assert!(TAG_LEN + EPK_LEN == SEAL_OVERHEAD);
