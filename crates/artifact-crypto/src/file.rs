//! File-to-file sealing and opening in constant memory.

use std::fmt;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use tempfile::NamedTempFile;

use crate::engine::{default_threads, split_header, BoxKey, EPK_LEN, SEAL_OVERHEAD, TAG_LEN};
use crate::keyfile::parent_dir;
use crate::pipeline::{self, Pipe};
use crate::{Error, KeyPair, PublicKey, Result, SecretKey};

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

    /// Reports progress and stops the operation when it was cancelled.
    fn step(&self, phase: Phase, done: u64) -> Result<()> {
        if self.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
            return Err(Error::Cancelled);
        }
        if let Some(progress) = self.progress {
            progress(phase, done);
        }
        Ok(())
    }
}

/// Seals the file `src` to `recipient` into `dst` in one pass and constant memory.
///
/// The output is byte-compatible with libsodium `crypto_box_seal` over the whole file. It is
/// written to a temporary file next to `dst`, the tag is written back at offset 32 at the end,
/// and the file is synced and renamed over `dst`. Returns the sealed length.
///
/// # Errors
/// [`Error::Io`] naming the file, [`Error::WeakPublicKey`] for an unusable recipient key.
pub fn seal_file(recipient: &PublicKey, src: impl AsRef<Path>, dst: impl AsRef<Path>) -> Result<u64> {
    seal_file_with(recipient, src, dst, &FileOptions::default())
}

/// [`seal_file`] with explicit options.
///
/// # Errors
/// As [`seal_file`].
pub fn seal_file_with(
    recipient: &PublicKey,
    src: impl AsRef<Path>,
    dst: impl AsRef<Path>,
    options: &FileOptions<'_>,
) -> Result<u64> {
    let (src, dst) = (src.as_ref(), dst.as_ref());
    let (epk, key) = BoxKey::for_seal(&SecretKey::generate(), recipient)?;
    let mut input = File::open(src).map_err(|e| Error::io(src, "open", e))?;
    let mut out = temp_next_to(dst)?;
    let mut header = [0u8; SEAL_OVERHEAD];
    header[..EPK_LEN].copy_from_slice(epk.as_bytes());
    write_all(&mut out, &header)?;

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
            write_all(&mut out, chunk)?;
            done += chunk.len() as u64;
            options.step(Phase::Seal, done)
        },
    )?;
    let tag = mac.finalize();
    let tmp_path = out.path().to_path_buf();
    out.seek(SeekFrom::Start(EPK_LEN as u64))
        .and_then(|_| out.write_all(&tag))
        .and_then(|()| out.as_file().sync_all())
        .map_err(|e| Error::io(&tmp_path, "write", e))?;
    persist(out, dst)?;
    Ok(done + SEAL_OVERHEAD as u64)
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
    open_file_with(recipient, src, dst, &FileOptions::default())
}

/// [`open_file`] with explicit options.
///
/// # Errors
/// As [`open_file`].
pub fn open_file_with(
    recipient: &KeyPair,
    src: impl AsRef<Path>,
    dst: impl AsRef<Path>,
    options: &FileOptions<'_>,
) -> Result<u64> {
    let (src, dst) = (src.as_ref(), dst.as_ref());
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
    let mut out = temp_next_to(dst)?;
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
    let tmp_path = out.path().to_path_buf();
    out.as_file()
        .sync_all()
        .map_err(|e| Error::io(&tmp_path, "sync", e))?;
    persist(out, dst)?;
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

fn temp_next_to(dst: &Path) -> Result<NamedTempFile> {
    let dir = parent_dir(dst);
    let mut builder = tempfile::Builder::new();
    builder.prefix(".mkt-crypto").suffix(".part");
    // Files that land at a user-chosen path get what `File::create` gives (0666 minus the umask),
    // not the owner-only mode tempfile uses for scratch files.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, "create a temporary file in", e))
}

fn write_all(out: &mut NamedTempFile, data: &[u8]) -> Result<()> {
    out.write_all(data).map_err(|e| Error::io(out.path(), "write", e))
}

fn persist(out: NamedTempFile, dst: &Path) -> Result<()> {
    out.persist(dst)
        .map_err(|e| Error::io(dst, "move the finished file to", e.error))?;
    Ok(())
}

const _: () = assert!(TAG_LEN + EPK_LEN == SEAL_OVERHEAD);
