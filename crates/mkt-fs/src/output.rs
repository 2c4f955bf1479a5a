//! The open output of a [`Destination`] and how it is put in place.

use std::fs::{self, File};
use std::io::{self, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use tempfile::TempPath;

use crate::dest::{parent_of, Destination, Target};
use crate::{cancel, temp, Error, Result};

/// Bytes on their way to a [`Destination`]. Implements [`Write`]; nothing is visible at the
/// destination until [`commit`](Output::commit) (except for standard output and devices, which
/// are written as the bytes come). Dropping it uncommitted removes the temp file.
#[derive(Debug)]
pub struct Output {
    sink: Sink,
    dest: Destination,
}

#[derive(Debug)]
enum Sink {
    Stdout(io::Stdout),
    InPlace(File),
    Temp { file: File, temp: TempPath },
}

/// An earlier run's partial download found beside the destination, locked by this process.
#[derive(Debug)]
pub struct Resumable {
    file: File,
    temp: TempPath,
    len: u64,
    identity: temp::Identity,
}

impl Resumable {
    /// Bytes already there.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// True when nothing was downloaded yet.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The total size the server announced for the content.
    pub fn total(&self) -> u64 {
        self.identity.total
    }

    /// The strong ETag the content had.
    pub fn etag(&self) -> &str {
        &self.identity.etag
    }
}

impl Output {
    pub(crate) fn create(dest: &Destination) -> Result<Output> {
        let sink = match &dest.target {
            Target::Stdout => Sink::Stdout(io::stdout()),
            Target::InPlace(path) => Sink::InPlace(open_in_place(path)?),
            Target::File { path, .. } => {
                temp::sweep(path, None);
                let (file, temp) = temp::create(path, None)?;
                Sink::Temp { file, temp }
            }
        };
        Ok(Output {
            sink,
            dest: dest.clone(),
        })
    }

    /// Opens a temp file for a download whose content is identified by its size and strong
    /// ETag, so that a run killed midway leaves a file the next run can [`resume`](Destination::resumable)
    /// from. Without an identity (or for non-file destinations) this is [`Destination::create`].
    ///
    /// # Errors
    /// As [`Destination::create`].
    pub fn for_download(dest: &Destination, total: Option<u64>, etag: Option<&str>) -> Result<Output> {
        let identity = match (total, etag, &dest.target) {
            (Some(total), Some(etag), Target::File { path, .. }) => {
                temp::Identity::new(total, etag).filter(|id| temp::identity_name(path, id).is_some())
            }
            _ => None,
        };
        let Some(identity) = identity else {
            return Output::create(dest);
        };
        let Target::File { path, .. } = &dest.target else {
            unreachable!("identity implies a file target")
        };
        temp::sweep(path, None);
        let (file, temp) = temp::create(path, Some(&identity))?;
        Ok(Output {
            sink: Sink::Temp { file, temp },
            dest: dest.clone(),
        })
    }

    /// Continues a [`Resumable`] leftover: the output is positioned after its bytes.
    ///
    /// # Errors
    /// [`Error::Io`] when it cannot be positioned.
    pub fn resume(dest: &Destination, mut leftover: Resumable) -> Result<Output> {
        let path = leftover.temp.to_path_buf();
        leftover
            .file
            .seek(SeekFrom::Start(leftover.len))
            .map_err(|e| Error::io(&path, "seek in", e))?;
        Ok(Output {
            sink: Sink::Temp {
                file: leftover.file,
                temp: leftover.temp,
            },
            dest: dest.clone(),
        })
    }

    /// The destination this output belongs to.
    pub fn destination(&self) -> &Destination {
        &self.dest
    }

    /// The open file (temp file or device), for seeking, syncing or cloning into an async
    /// handle; `None` for standard output.
    pub fn file(&self) -> Option<&File> {
        match &self.sink {
            Sink::Stdout(_) => None,
            Sink::InPlace(f) | Sink::Temp { file: f, .. } => Some(f),
        }
    }

    /// The path being written: the temp file, the device, or `None` for standard output.
    pub fn path(&self) -> Option<&Path> {
        match &self.sink {
            Sink::Stdout(_) => None,
            Sink::InPlace(_) => self.dest.path(),
            Sink::Temp { temp, .. } => Some(temp),
        }
    }

    /// True when the output can seek (a temp file).
    pub fn is_seekable(&self) -> bool {
        matches!(self.sink, Sink::Temp { .. })
    }

    /// Empties a temp file to start again from zero.
    ///
    /// # Errors
    /// [`Error::Io`]; `InvalidInput` for standard output and devices, which cannot rewind.
    pub fn truncate(&mut self) -> Result<()> {
        match &mut self.sink {
            Sink::Temp { file, temp } => file
                .set_len(0)
                .and_then(|()| file.seek(SeekFrom::Start(0)).map(drop))
                .map_err(|e| Error::io(temp.to_path_buf(), "truncate", e)),
            _ => Err(Error::io(
                self.dest.shown().to_path_buf(),
                "rewind",
                io::Error::new(io::ErrorKind::InvalidInput, "a stream cannot start over"),
            )),
        }
    }

    /// Puts the result in place: flushes, fsyncs and renames the temp file over the target (with
    /// the replaced file's permissions, or 0666 minus the umask), then fsyncs the directory.
    /// Standard output and devices are flushed.
    ///
    /// # Errors
    /// [`Error::Interrupted`] when the process was interrupted (the temp file is removed),
    /// [`Error::Exists`] when a file appeared at a target that must not be replaced,
    /// [`Error::Io`].
    pub fn commit(self) -> Result<()> {
        let shown = self.dest.shown().to_path_buf();
        match self.sink {
            Sink::Stdout(mut out) => {
                cancel::check()?;
                out.flush().map_err(|e| Error::io(shown, "write to", e))
            }
            Sink::InPlace(mut f) => {
                cancel::check()?;
                f.flush().map_err(|e| Error::io(shown, "write to", e))
            }
            Sink::Temp { file, temp } => {
                let Target::File { path, replace, mode } = &self.dest.target else {
                    unreachable!("temp sinks belong to file targets")
                };
                file.sync_all()
                    .map_err(|e| Error::io(temp.to_path_buf(), "sync", e))?;
                set_mode(&file, mode.unwrap_or_else(|| 0o666 & !temp::umask()))
                    .map_err(|e| Error::io(temp.to_path_buf(), "set permissions of", e))?;
                drop(file);
                cancel::commit_with(|| place(temp, path, *replace))?;
                if let Ok(d) = File::open(parent_of(path)) {
                    let _ = d.sync_all();
                }
                Ok(())
            }
        }
    }
}

/// How often a FIFO without a reader is tried again (and the interruption flag looked at).
const FIFO_POLL: std::time::Duration = std::time::Duration::from_millis(20);

/// Opens a device or FIFO for writing. A plain blocking open of a FIFO with no reader would
/// wait in the kernel where no interruption reaches it, so a FIFO is probed without blocking
/// until a reader is there, checking [`cancel`] between tries.
fn open_in_place(path: &Path) -> Result<File> {
    let open = || fs::OpenOptions::new().write(true).open(path);
    if !is_fifo(path) {
        return open().map_err(|e| Error::io(path, "open", e));
    }
    loop {
        match open_nonblocking(path) {
            // A reader is there, so the ordinary (blocking-mode) open returns at once.
            Ok(probe) => {
                let file = open().map_err(|e| Error::io(path, "open", e));
                drop(probe);
                return file;
            }
            Err(e) if is_no_reader(&e) => {
                cancel::check()?;
                std::thread::sleep(FIFO_POLL);
            }
            Err(e) => return Err(Error::io(path, "open", e)),
        }
    }
}

#[cfg(unix)]
fn is_fifo(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    fs::metadata(path).is_ok_and(|m| m.file_type().is_fifo())
}

#[cfg(not(unix))]
fn is_fifo(_: &Path) -> bool {
    false
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> io::Result<File> {
    fs::OpenOptions::new().write(true).open(path)
}

/// `ENXIO`: a FIFO opened for writing without blocking has no reader yet.
fn is_no_reader(e: &io::Error) -> bool {
    #[cfg(unix)]
    {
        e.raw_os_error() == Some(libc::ENXIO)
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

fn place(temp: TempPath, path: &PathBuf, replace: bool) -> Result<()> {
    let placed = if replace {
        temp.persist(path)
    } else {
        temp.persist_noclobber(path)
    };
    // On failure the PathPersistError hands the TempPath back; dropping it removes the file.
    placed.map_err(|e| {
        if e.error.kind() == io::ErrorKind::AlreadyExists {
            Error::Exists { path: path.clone() }
        } else {
            Error::io(path, "move the finished file to", e.error)
        }
    })
}

#[cfg(unix)]
fn set_mode(file: &File, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_: &File, _: u32) -> io::Result<()> {
    Ok(())
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.sink {
            Sink::Stdout(s) => s.write(buf),
            Sink::InPlace(f) | Sink::Temp { file: f, .. } => f.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match &mut self.sink {
            Sink::Stdout(s) => s.write_all(buf),
            Sink::InPlace(f) | Sink::Temp { file: f, .. } => f.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.sink {
            Sink::Stdout(s) => s.flush(),
            Sink::InPlace(f) | Sink::Temp { file: f, .. } => f.flush(),
        }
    }
}

impl Seek for Output {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        match &mut self.sink {
            Sink::Temp { file, .. } => file.seek(pos),
            _ => Err(io::Error::new(io::ErrorKind::Unsupported, "a stream cannot seek")),
        }
    }
}

impl Destination {
    /// Finds a partial download left by a killed run for this destination (locking it so no
    /// other run takes it too). Other stale leftovers are removed.
    pub fn resumable(&self) -> Option<Resumable> {
        let Target::File { path, .. } = &self.target else {
            return None;
        };
        let (file, temp, identity) = temp::adopt(path)?;
        let len = file.metadata().ok()?.len();
        Some(Resumable {
            file,
            temp,
            len,
            identity,
        })
    }

    /// Writes `bytes` as the whole content, atomically (see [`Output::commit`]).
    ///
    /// # Errors
    /// As [`Destination::create`] and [`Output::commit`].
    pub fn write_all(&self, bytes: &[u8]) -> Result<()> {
        let mut out = self.create()?;
        out.write_all(bytes).map_err(|e| {
            Error::io(
                out.path()
                    .map_or_else(|| self.shown().to_path_buf(), Path::to_path_buf),
                "write",
                e,
            )
        })?;
        out.commit()
    }
}

impl Destination {
    /// Moves a complete file that already sits in the destination's directory (e.g. a download
    /// named before its final name was known) into place, by the same rules as
    /// [`Output::commit`]: the same interruption check, no-clobber for chosen names.
    ///
    /// # Errors
    /// [`Error::Interrupted`], [`Error::Exists`], [`Error::Io`]; `InvalidInput` for a standard
    /// output or device destination.
    pub fn place(&self, file: &Path) -> Result<()> {
        let Target::File { path, replace, .. } = &self.target else {
            return Err(Error::io(
                self.shown().to_path_buf(),
                "move a file to",
                io::Error::new(io::ErrorKind::InvalidInput, "not a regular file destination"),
            ));
        };
        let temp = TempPath::try_from_path(file).map_err(|e| Error::io(file, "track", e))?;
        cancel::commit_with(|| place(temp, path, *replace))
    }
}
