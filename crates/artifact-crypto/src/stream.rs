//! Sealing a file straight into an upload body: tag first (pass one), then `epk ‖ tag ‖ ciphertext`
//! streamed through [`std::io::Read`] (pass two), in constant memory and without a temporary file.

use std::fmt;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::engine::{default_threads, BoxKey, Mac, EPK_LEN, SEAL_OVERHEAD, TAG_LEN};
use crate::file::read_full;
use crate::pipeline::{self, Pipe};
use crate::{Error, PublicKey, Result, SecretKey};

/// Plaintext bytes encrypted per refill of a [`SealingReader`].
const READER_CHUNK: usize = 1024 * 1024;

/// A file prepared for sealed streaming: the tag is known, the ciphertext is produced on demand.
///
/// [`SealedStream::prepare`] runs pass one (encrypt and authenticate, discarding the
/// ciphertext); each [`SealedStream::reader`] then streams the exact same sealed bytes again, so
/// an upload can be retried without redoing pass one. Every reader authenticates what it emits
/// and fails if the file changed since `prepare`.
#[derive(Clone)]
pub struct SealedStream {
    path: PathBuf,
    inner: Arc<Prepared>,
}

struct Prepared {
    header: [u8; SEAL_OVERHEAD],
    key: BoxKey,
    plaintext_len: u64,
}

impl SealedStream {
    /// Runs pass one over the file at `path`: a fresh ephemeral key, the keystream over the whole
    /// file, and the tag.
    ///
    /// # Errors
    /// [`Error::Io`] naming the file, [`Error::WeakPublicKey`] for an unusable recipient key.
    pub fn prepare(recipient: &PublicKey, path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let mut file = File::open(path).map_err(|e| Error::io(path, "open", e))?;
        let inner = Prepared::compute(recipient, &mut file, path)?;
        Ok(Self {
            path: path.to_path_buf(),
            inner: Arc::new(inner),
        })
    }

    /// Length of the sealed output in bytes (plaintext + 48): the `Content-Length` of the upload.
    pub fn sealed_len(&self) -> u64 {
        crate::sealed_len(self.inner.plaintext_len)
    }

    /// Length of the plaintext file as it was during [`SealedStream::prepare`].
    pub fn plaintext_len(&self) -> u64 {
        self.inner.plaintext_len
    }

    /// The file being sealed.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Opens the file again and returns a reader over the sealed bytes.
    ///
    /// # Errors
    /// [`Error::Io`] when the file can't be opened.
    pub fn reader(&self) -> Result<SealingReader> {
        let file = File::open(&self.path).map_err(|e| Error::io(&self.path, "open", e))?;
        Ok(SealingReader::from_parts(
            file,
            self.path.clone(),
            Arc::clone(&self.inner),
        ))
    }
}

impl fmt::Debug for SealedStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SealedStream")
            .field("path", &self.path)
            .field("plaintext_len", &self.inner.plaintext_len)
            .finish_non_exhaustive()
    }
}

impl Prepared {
    fn compute(recipient: &PublicKey, file: &mut File, path: &Path) -> Result<Self> {
        let (epk, key) = BoxKey::for_seal(&SecretKey::generate(), recipient)?;
        let pipe = Pipe {
            piece: crate::file::CHUNK,
            threads: default_threads(),
        };
        let mut mac = key.mac();
        let done = pipeline::run(
            &key,
            file,
            path,
            pipe,
            |_| {},
            |chunk| {
                mac.update(chunk);
                Ok(())
            },
        )?;
        let mut header = [0u8; SEAL_OVERHEAD];
        header[..EPK_LEN].copy_from_slice(epk.as_bytes());
        header[EPK_LEN..].copy_from_slice(&mac.finalize());
        Ok(Self {
            header,
            key,
            plaintext_len: done,
        })
    }

    fn tag(&self) -> [u8; TAG_LEN] {
        let mut tag = [0u8; TAG_LEN];
        tag.copy_from_slice(&self.header[EPK_LEN..]);
        tag
    }
}

/// A [`Read`] over `epk ‖ tag ‖ ciphertext` of a file, for streaming into an HTTP body.
///
/// Reads fail with [`io::ErrorKind::InvalidData`] wrapping [`Error::Changed`] when the file's
/// size or content differs from pass one (the emitted bytes would not authenticate).
pub struct SealingReader {
    file: File,
    path: PathBuf,
    inner: Arc<Prepared>,
    mac: Option<Mac>,
    /// Position in the sealed output.
    pos: u64,
    /// Ciphertext bytes produced so far.
    produced: u64,
    buf: Vec<u8>,
    buf_pos: usize,
    threads: usize,
    /// Set after a failed read: every later read fails too.
    failed: bool,
}

impl SealingReader {
    /// Runs pass one over `file` (from its start) and returns a reader over the sealed bytes.
    ///
    /// # Errors
    /// [`Error::Io`], [`Error::WeakPublicKey`].
    pub fn new(recipient: &PublicKey, mut file: File) -> Result<Self> {
        let path = PathBuf::from("<sealed input>");
        file.seek(SeekFrom::Start(0))
            .map_err(|e| Error::io(&path, "seek in", e))?;
        let inner = Prepared::compute(recipient, &mut file, &path)?;
        file.seek(SeekFrom::Start(0))
            .map_err(|e| Error::io(&path, "seek in", e))?;
        Ok(Self::from_parts(file, path, Arc::new(inner)))
    }

    fn from_parts(file: File, path: PathBuf, inner: Arc<Prepared>) -> Self {
        let mac = Some(inner.key.mac());
        Self {
            file,
            path,
            inner,
            mac,
            pos: 0,
            produced: 0,
            buf: Vec::new(),
            buf_pos: 0,
            threads: default_threads(),
            failed: false,
        }
    }

    /// Total length of the sealed output (plaintext + 48).
    pub fn sealed_len(&self) -> u64 {
        crate::sealed_len(self.inner.plaintext_len)
    }

    fn changed(&self) -> io::Error {
        io::Error::new(
            io::ErrorKind::InvalidData,
            Error::Changed {
                path: self.path.clone(),
            },
        )
    }

    /// Encrypts the next chunk into `buf`; false at the end of the file.
    fn refill(&mut self) -> io::Result<bool> {
        self.buf.resize(READER_CHUNK, 0);
        self.buf_pos = 0;
        let n = read_full(&mut self.file, &mut self.buf)?;
        self.buf.truncate(n);
        if n == 0 {
            let mac = self.mac.take();
            let ok = self.produced == self.inner.plaintext_len
                && mac.is_some_and(|mac| mac.verify(&self.inner.tag()));
            return if ok { Ok(false) } else { Err(self.changed()) };
        }
        if self.produced + n as u64 > self.inner.plaintext_len {
            return Err(self.changed());
        }
        self.inner
            .key
            .apply_keystream(self.produced, &mut self.buf, self.threads);
        if let Some(mac) = self.mac.as_mut() {
            mac.update(&self.buf);
        }
        self.produced += n as u64;
        Ok(true)
    }
}

impl Read for SealingReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        if self.pos < SEAL_OVERHEAD as u64 {
            let header = &self.inner.header[self.pos as usize..];
            let n = header.len().min(out.len());
            out[..n].copy_from_slice(&header[..n]);
            self.pos += n as u64;
            return Ok(n);
        }
        if self.failed {
            return Err(self.changed());
        }
        if self.buf_pos == self.buf.len() {
            if self.mac.is_none() {
                return Ok(0);
            }
            match self.refill() {
                Ok(true) => {}
                Ok(false) => return Ok(0),
                Err(e) => {
                    self.failed = true;
                    return Err(e);
                }
            }
        }
        let avail = &self.buf[self.buf_pos..];
        let n = avail.len().min(out.len());
        out[..n].copy_from_slice(&avail[..n]);
        self.buf_pos += n;
        self.pos += n as u64;
        Ok(n)
    }
}

impl fmt::Debug for SealingReader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SealingReader")
            .field("path", &self.path)
            .field("pos", &self.pos)
            .field("sealed_len", &self.sealed_len())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn send_sync<T: Send + Sync>() {}

    #[test]
    fn streams_can_cross_threads_and_debug_hides_keys() {
        // The uploader shares a prepared stream across retries and tasks.
        send_sync::<SealedStream>();
        send_sync::<SealingReader>();
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("p");
        std::fs::write(&path, b"abc").expect("write");
        let pair = crate::KeyPair::generate();
        let stream = SealedStream::prepare(pair.public(), &path).expect("prepare");
        let reader = stream.reader().expect("reader");
        let text = format!("{stream:?} {reader:?}");
        assert!(
            text.contains("plaintext_len: 3") && text.contains("sealed_len: 51"),
            "{text}"
        );
        assert!(!text.contains("key"), "{text}");
    }
}
