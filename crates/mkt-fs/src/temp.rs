//! Temp files beside a destination: one naming pattern, 0600, locked while in use, so that the
//! next run can tell a killed run's leftovers from a live run's files.
//!
//! Names: `.{name}.mkt-{random}.tmp`, and `.{name}.mkt-dl-{total}-{etag hex}.tmp` for downloads
//! whose content has a size and a strong ETag (the name is what lets a later run resume).

use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};

use tempfile::TempPath;

use crate::dest::parent_of;
use crate::{Error, Result};

/// The longest part of the destination's name kept in a temp file's name, in bytes.
const NAME_PART: usize = 120;
/// The longest ETag carried in a download temp file's name (hex doubles it).
const MAX_ETAG: usize = 48;

/// What identifies a download's content across runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Identity {
    pub(crate) total: u64,
    pub(crate) etag: String,
}

impl Identity {
    pub(crate) fn new(total: u64, etag: &str) -> Option<Identity> {
        (!etag.is_empty() && etag.len() <= MAX_ETAG && !etag.starts_with("W/")).then(|| Identity {
            total,
            etag: etag.to_owned(),
        })
    }
}

/// `.{name}.mkt-` for the destination `path`.
fn prefix(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".to_owned());
    let mut cut = name.len().min(NAME_PART);
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!(".{}.mkt-", &name[..cut])
}

pub(crate) fn identity_name(path: &Path, id: &Identity) -> Option<PathBuf> {
    let hex: String = id.etag.bytes().map(|b| format!("{b:02x}")).collect();
    let name = format!("{}dl-{}-{hex}.tmp", prefix(path), id.total);
    (name.len() <= 255).then(|| parent_of(path).join(name))
}

fn parse_identity(file_name: &str, prefix: &str) -> Option<Identity> {
    let rest = file_name
        .strip_prefix(prefix)?
        .strip_prefix("dl-")?
        .strip_suffix(".tmp")?;
    let (total, hex) = rest.split_once('-')?;
    if hex.len() % 2 != 0 {
        return None;
    }
    let bytes = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect::<Option<Vec<u8>>>()?;
    Identity::new(total.parse().ok()?, &String::from_utf8(bytes).ok()?)
}

/// Creates a 0600 temp file beside `path`, locked by this process.
pub(crate) fn create(path: &Path, identity: Option<&Identity>) -> Result<(File, TempPath)> {
    let dir = parent_of(path);
    if let Some(name) = identity.and_then(|id| identity_name(path, id)) {
        match open_new(&name) {
            Ok(file) => {
                lock(&file);
                let temp = TempPath::try_from_path(&name).map_err(|e| Error::io(&name, "track", e))?;
                return Ok((file, temp));
            }
            // Another live run downloads the same content: fall through to a private name.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(Error::io(dir, "create a temporary file in", e)),
        }
    }
    let named = tempfile::Builder::new()
        .prefix(&prefix(path))
        .suffix(".tmp")
        .rand_bytes(8)
        .tempfile_in(&dir)
        .map_err(|e| Error::io(&dir, "create a temporary file in", e))?;
    let (file, temp) = named.into_parts();
    lock(&file);
    Ok((file, temp))
}

fn open_new(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Best effort: a file system without locks still works, it only loses leftover detection.
fn lock(file: &File) {
    let _ = file.try_lock();
}

/// This destination's temp files that no live process holds, each opened and locked.
fn stale(path: &Path) -> Vec<(PathBuf, String, File)> {
    let prefix = prefix(path);
    let dir = parent_of(path);
    let Ok(entries) = fs::read_dir(&dir) else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let name = entry.file_name().into_string().ok()?;
            if !(name.starts_with(&prefix) && name.ends_with(".tmp")) {
                return None;
            }
            let full = dir.join(&name);
            if !fs::symlink_metadata(&full).ok()?.file_type().is_file() {
                return None;
            }
            let file = OpenOptions::new().read(true).write(true).open(&full).ok()?;
            file.try_lock().ok()?;
            Some((full, name, file))
        })
        .collect()
}

/// Removes this destination's stale temp files (a killed run's leftovers).
pub(crate) fn sweep(path: &Path, keep: Option<&Path>) {
    for (full, _, file) in stale(path) {
        if keep != Some(full.as_path()) {
            let _ = fs::remove_file(&full);
        }
        drop(file);
    }
}

/// Takes over the largest stale, incomplete download leftover for `path`; removes every other
/// stale file.
pub(crate) fn adopt(path: &Path) -> Option<(File, TempPath, Identity)> {
    let prefix = prefix(path);
    let mut best: Option<(File, PathBuf, Identity, u64)> = None;
    for (full, name, file) in stale(path) {
        let candidate = parse_identity(&name, &prefix)
            .and_then(|id| Some((id, file.metadata().ok()?.len())))
            // A complete leftover (killed between the last byte and the rename) is not resumed:
            // asking for `bytes={total}-` gets 416 from a server. It is downloaded again.
            .filter(|(id, len)| *len > 0 && *len < id.total);
        match candidate {
            Some((id, len)) if best.as_ref().is_none_or(|b| len > b.3) => {
                if let Some((_, old, _, _)) = best.replace((file, full, id, len)) {
                    let _ = fs::remove_file(old);
                }
            }
            _ => {
                let _ = fs::remove_file(&full);
            }
        }
    }
    let (file, full, id, _) = best?;
    Some((file, TempPath::try_from_path(full).ok()?, id))
}

/// The process umask, read without changing it (Linux `/proc`); 022 elsewhere.
pub(crate) fn umask() -> u32 {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Umask:"))
                .and_then(|v| u32::from_str_radix(v.trim(), 8).ok())
        })
        .unwrap_or(0o022)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_names_round_trip() {
        let id = Identity::new(1234, "\"abc-1\"").unwrap();
        let path = Path::new("/tmp/x/preds.csv");
        let name = identity_name(path, &id).unwrap();
        let file = name.file_name().unwrap().to_str().unwrap();
        assert!(file.starts_with(".preds.csv.mkt-dl-1234-"), "{file}");
        assert_eq!(parse_identity(file, &prefix(path)), Some(id));
    }

    #[test]
    fn weak_or_long_etags_are_not_identities() {
        assert!(Identity::new(1, "W/\"x\"").is_none());
        assert!(Identity::new(1, "").is_none());
        assert!(Identity::new(1, &"e".repeat(MAX_ETAG + 1)).is_none());
    }

    #[test]
    fn long_names_are_cut_on_a_char_boundary() {
        let name = "é".repeat(200);
        let p = prefix(Path::new(&name));
        assert!(p.len() <= NAME_PART + 6);
        assert!(p.ends_with(".mkt-"));
    }
}
