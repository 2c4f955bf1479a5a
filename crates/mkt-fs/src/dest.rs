//! Resolving what the user (or mkt) named into the one place bytes will go.

use std::fs;
use std::path::{Path, PathBuf};

use crate::name::SafeName;
use crate::output::Output;
use crate::{Error, Result};

/// Who chose the destination path; decides whether an existing file may be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Origin {
    /// A path the user typed: it is theirs and an existing file there is replaced atomically.
    User,
    /// A name mkt chose itself (from a server, or a default pattern): an existing file is never
    /// replaced unless forced.
    Chosen,
    /// A key file: never replaced unless forced, and never written to standard output.
    KeyFile,
}

/// Where a command's output goes, resolved once before any work starts.
///
/// Build one with [`Destination::user`], [`Destination::chosen`] or [`Destination::key_file`],
/// adjust it with the builder methods, then [`resolve`](DestinationBuilder::resolve) it and
/// [`create`](Destination::create) the [`Output`].
///
/// The rules:
/// - `-` (for [`Origin::User`]) is standard output; nothing is buffered in a temp file. For key
///   files and chosen names a bare `-` is an error ([`Error::NotStdout`]), not a file named `-`.
/// - A symbolic link is followed: the file it points to is replaced in *its* directory (a
///   dangling link's target is created) and the link stays.
/// - A character device or FIFO is written in place, without a temp file or rename. Opening a
///   FIFO waits for a reader, as a shell redirection does, but gives way to an interruption.
/// - A directory takes the file inside it under [`file_name_in_dir`](DestinationBuilder::file_name_in_dir)
///   (a name mkt chose, so it does not replace an existing file unless forced); without one it
///   is an error.
/// - A regular file is replaced atomically (temp file beside it, fsync, rename) when the rules
///   allow; it keeps its permissions. A new file gets 0666 minus the umask.
/// - The destination must not be one of the inputs.
#[derive(Debug, Clone)]
pub struct Destination {
    pub(crate) target: Target,
    shown: PathBuf,
}

#[derive(Debug, Clone)]
pub(crate) enum Target {
    Stdout,
    InPlace(PathBuf),
    File {
        path: PathBuf,
        replace: bool,
        /// Permission bits of the file being replaced.
        mode: Option<u32>,
    },
}

/// Options for a [`Destination`] before it is resolved.
#[derive(Debug, Clone)]
#[must_use = "call resolve() to get a Destination"]
pub struct DestinationBuilder {
    path: PathBuf,
    origin: Origin,
    force: bool,
    dir_name: Option<SafeName>,
    inputs: Vec<PathBuf>,
    private: bool,
}

impl Destination {
    /// A path the user typed (`-` is standard output).
    pub fn user(path: impl Into<PathBuf>) -> DestinationBuilder {
        DestinationBuilder::new(path.into(), Origin::User)
    }

    /// A path mkt chose itself (a server's file name, a default pattern).
    pub fn chosen(path: impl Into<PathBuf>) -> DestinationBuilder {
        DestinationBuilder::new(path.into(), Origin::Chosen)
    }

    /// A key file.
    pub fn key_file(path: impl Into<PathBuf>) -> DestinationBuilder {
        DestinationBuilder::new(path.into(), Origin::KeyFile)
    }

    /// Opens the output: standard output, the device in place, or a fresh 0600 temp file beside
    /// the target (stale leftovers of killed runs for the same target are removed first).
    ///
    /// # Errors
    /// [`Error::Io`] when the temp file or device cannot be opened.
    pub fn create(&self) -> Result<Output> {
        Output::create(self)
    }

    /// The file that will hold the result, or `None` for standard output.
    pub fn path(&self) -> Option<&Path> {
        match &self.target {
            Target::Stdout => None,
            Target::InPlace(p) | Target::File { path: p, .. } => Some(p),
        }
    }

    /// The path as given (for messages): `-` for standard output.
    pub fn shown(&self) -> &Path {
        &self.shown
    }

    /// True when the output is standard output.
    pub fn is_stdout(&self) -> bool {
        matches!(self.target, Target::Stdout)
    }

    /// True when a temp file is written and renamed (a regular file target), which is what
    /// makes resuming and seeking possible.
    pub fn is_atomic(&self) -> bool {
        matches!(self.target, Target::File { .. })
    }
}

impl DestinationBuilder {
    fn new(path: PathBuf, origin: Origin) -> Self {
        DestinationBuilder {
            path,
            origin,
            force: false,
            dir_name: None,
            inputs: Vec::new(),
            private: origin == Origin::KeyFile,
        }
    }

    /// Lets a name mkt chose, or a key file, replace an existing file.
    pub fn force(mut self, force: bool) -> Self {
        self.force = force;
        self
    }

    /// The name to use when the path is a directory.
    pub fn file_name_in_dir(mut self, name: SafeName) -> Self {
        self.dir_name = Some(name);
        self
    }

    /// Gives the finished file mode 0600 whatever it replaces (key files always are).
    pub fn private(mut self, private: bool) -> Self {
        self.private = private || self.origin == Origin::KeyFile;
        self
    }

    /// An input the destination must not be.
    pub fn distinct_from(mut self, input: impl AsRef<Path>) -> Self {
        self.inputs.push(input.as_ref().to_path_buf());
        self
    }

    /// Applies the rules (see [`Destination`]) to what is on disk now.
    ///
    /// # Errors
    /// [`Error::Exists`], [`Error::IsDirectory`], [`Error::SameAsInput`],
    /// [`Error::Unsupported`], [`Error::TooManyLinks`], [`Error::NotStdout`] (a bare `-` for a
    /// key file or a name mkt chose), [`Error::Io`].
    pub fn resolve(self) -> Result<Destination> {
        let shown = self.path.clone();
        if self.path.as_os_str() == "-" {
            return match self.origin {
                Origin::User => Ok(Destination {
                    target: Target::Stdout,
                    shown,
                }),
                // Only a user types a bare `-` (server names never are one): they mean standard
                // output, which a key or state file cannot be; a file named `-` is not what they meant.
                Origin::KeyFile => Err(Error::NotStdout { what: "a key file" }),
                Origin::Chosen => Err(Error::NotStdout { what: "this file" }),
            };
        }
        let replace = match self.origin {
            Origin::User => true,
            Origin::Chosen | Origin::KeyFile => self.force,
        };
        let target = self.classify(&self.path, replace, true)?;
        Ok(Destination { target, shown })
    }

    fn classify(&self, path: &Path, replace: bool, may_descend: bool) -> Result<Target> {
        let real = follow_links(path)?;
        let meta = match fs::symlink_metadata(&real) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Target::File {
                    path: real,
                    replace,
                    mode: self.private.then_some(0o600),
                })
            }
            Err(e) => return Err(Error::io(&real, "inspect", e)),
        };
        let ft = meta.file_type();
        if ft.is_dir() {
            return match (&self.dir_name, may_descend) {
                (Some(name), true) => self.classify(&real.join(name.as_str()), self.force, false),
                _ => Err(Error::IsDirectory { path: real }),
            };
        }
        if self.is_an_input(&meta) {
            return Err(Error::SameAsInput { path: real });
        }
        if ft.is_file() {
            if !replace {
                return Err(Error::Exists { path: real });
            }
            return Ok(Target::File {
                path: real,
                replace,
                mode: Some(if self.private { 0o600 } else { mode_of(&meta) }),
            });
        }
        if self.origin == Origin::KeyFile {
            return Err(Error::Unsupported {
                path: real,
                kind: "special file (a key file must be a regular file)",
            });
        }
        match special_kind(&ft) {
            Some(kind) => Err(Error::Unsupported { path: real, kind }),
            None => Ok(Target::InPlace(real)),
        }
    }

    fn is_an_input(&self, meta: &fs::Metadata) -> bool {
        self.inputs
            .iter()
            .filter_map(|p| fs::metadata(p).ok())
            .any(|m| same_file(&m, meta))
    }
}

/// Follows symbolic links (up to 40) to the path that will really be written.
fn follow_links(path: &Path) -> Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&current) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = fs::read_link(&current).map_err(|e| Error::io(&current, "read the link", e))?;
                current = if to.is_absolute() {
                    to
                } else {
                    parent_of(&current).join(to)
                };
            }
            _ => return Ok(current),
        }
    }
    Err(Error::TooManyLinks {
        path: path.to_path_buf(),
    })
}

/// The directory a file is in (`.` for a bare name).
pub(crate) fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

#[cfg(unix)]
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &fs::Metadata, _: &fs::Metadata) -> bool {
    false
}

#[cfg(unix)]
fn mode_of(meta: &fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o7777
}

#[cfg(not(unix))]
fn mode_of(_: &fs::Metadata) -> u32 {
    0o666
}

/// `Some(kind)` for special files that cannot be opened for writing (sockets); `None` for the
/// ones written in place (character and block devices, FIFOs).
#[cfg(unix)]
fn special_kind(ft: &fs::FileType) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    ft.is_socket().then_some("socket")
}

#[cfg(not(unix))]
fn special_kind(_: &fs::FileType) -> Option<&'static str> {
    Some("special file")
}
