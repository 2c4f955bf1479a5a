//! One autopilot per state file: an exclusive advisory lock on `<state>.lock`, which holds the PID.
//!
//! Two autopilots sharing a state file would both see a copy missing and both upload it, so
//! [`Autopilot::new`](super::Autopilot::new) takes this lock before it reads the state and keeps it
//! until the autopilot is dropped. The lock is the operating system's (`flock` on Unix, `LockFileEx`
//! on Windows): it is released when the process ends, however it ends, so a crash leaves no stale
//! lock behind. The lock file itself is never deleted (deleting it would let a third process lock a
//! new file while a second still waits on the old one); only the lock on it matters.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read as _, Seek as _, Write as _};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::AutopilotError;

/// Further attempts when the lock is held, [`RETRY_PAUSE`] apart (0.2 s in all).
const RETRIES: u32 = 10;
/// Pause between attempts.
const RETRY_PAUSE: Duration = Duration::from_millis(20);

/// An exclusive lock on an autopilot state file, released on drop.
#[derive(Debug)]
pub struct StateLock {
    file: File,
    path: PathBuf,
}

impl StateLock {
    /// The lock file of `state_file`: the same path with `.lock` appended (`state.json.lock`).
    pub fn lock_path(state_file: &Path) -> PathBuf {
        let mut name = state_file.as_os_str().to_owned();
        name.push(".lock");
        PathBuf::from(name)
    }

    /// Takes the lock of `state_file` (waiting at most 0.2 s), and writes this process's id into the lock
    /// file so that another instance can say who holds it.
    ///
    /// # Errors
    /// [`AutopilotError::StateLocked`] (with the holder's PID when it could be read) when another
    /// process or another [`Autopilot`](super::Autopilot) of this process holds it;
    /// [`AutopilotError::State`] when the lock file cannot be created or locked.
    pub fn acquire(state_file: &Path) -> Result<Self, AutopilotError> {
        let path = Self::lock_path(state_file);
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| AutopilotError::state(dir, "create", e))?;
        }
        // Never truncate on open: the file names the current holder until we own the lock.
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options
            .open(&path)
            .map_err(|e| AutopilotError::state(&path, "open the lock file", e))?;
        let mut tries = 0;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                // A process forked by another thread shares the lock until it execs (a few
                // milliseconds): a lock just released can look held for that long.
                Err(TryLockError::WouldBlock) if tries < RETRIES => {
                    tries += 1;
                    std::thread::sleep(RETRY_PAUSE);
                }
                Err(TryLockError::WouldBlock) => {
                    return Err(AutopilotError::StateLocked {
                        state: state_file.to_owned(),
                        pid: read_pid(&mut file),
                        lock: path,
                    })
                }
                Err(TryLockError::Error(e)) => return Err(AutopilotError::state(&path, "lock", e)),
            }
        }
        file.set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|()| writeln!(file, "{}", std::process::id()))
            .and_then(|()| file.flush())
            .map_err(|e| AutopilotError::state(&path, "write the lock file", e))?;
        Ok(Self { file, path })
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for StateLock {
    fn drop(&mut self) {
        // Best effort: an empty file names nobody; the lock itself goes with the handle.
        let _ = self.file.set_len(0);
    }
}

/// The PID written by the holder, if it wrote one yet.
fn read_pid(file: &mut File) -> Option<u32> {
    let mut text = String::new();
    file.rewind().ok()?;
    file.take(64).read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_fails_naming_the_holder_and_a_dropped_one_frees_it() {
        let dir = tempfile::tempdir().expect("dir");
        let state = dir.path().join("sub/state.json");
        let first = StateLock::acquire(&state).expect("first lock");
        assert_eq!(first.path(), dir.path().join("sub/state.json.lock"));
        let written = std::fs::read_to_string(first.path()).expect("lock file");
        assert_eq!(written.trim(), std::process::id().to_string());

        let err = StateLock::acquire(&state).expect_err("second lock");
        match &err {
            AutopilotError::StateLocked { pid, state: s, .. } => {
                assert_eq!(*pid, Some(std::process::id()));
                assert_eq!(s, &state);
            }
            other => panic!("unexpected {other:?}"),
        }
        let text = err.to_string();
        assert!(text.contains(&format!("PID {}", std::process::id())), "{text}");
        assert!(err.is_fatal() && err.is_locked());

        drop(first);
        let again = StateLock::acquire(&state).expect("free again");
        drop(again);
    }
}
