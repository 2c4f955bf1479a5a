//! The destination rules, on a real file system.

use std::fs;
use std::io::{Read, Write};
use std::path::Path;

use mkt_fs::{Destination, Error, SafeName};

fn write(dest: &Destination, bytes: &[u8]) {
    let mut out = dest.create().unwrap();
    out.write_all(bytes).unwrap();
    out.commit().unwrap();
}

/// Every directory entry, so a test can assert no temp file was left behind.
fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    v.sort();
    v
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn user_path_is_replaced_atomically_keeping_its_mode() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("out.csv");
    fs::write(&p, "old").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
    }
    let dest = Destination::user(&p).resolve().unwrap();
    let mut out = dest.create().unwrap();
    out.write_all(b"new").unwrap();
    // Until commit the old content is intact and the temp file is private.
    assert_eq!(fs::read(&p).unwrap(), b"old");
    let tmp = out.path().unwrap().to_path_buf();
    let tmp_name = tmp.file_name().unwrap().to_str().unwrap().to_owned();
    assert!(
        tmp_name.starts_with(".out.csv.mkt-") && tmp_name.ends_with(".tmp"),
        "{tmp_name}"
    );
    #[cfg(unix)]
    assert_eq!(mode(&tmp), 0o600);
    out.commit().unwrap();
    assert_eq!(fs::read(&p).unwrap(), b"new");
    #[cfg(unix)]
    assert_eq!(mode(&p), 0o640);
    assert_eq!(entries(dir.path()), ["out.csv"]);
}

#[test]
fn dropping_an_uncommitted_output_removes_the_temp_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("x.bin");
    let mut out = Destination::user(&p).resolve().unwrap().create().unwrap();
    out.write_all(b"partial plaintext").unwrap();
    drop(out);
    assert!(entries(dir.path()).is_empty());
}

#[cfg(unix)]
#[test]
fn symlink_is_followed_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let real_dir = dir.path().join("real");
    fs::create_dir(&real_dir).unwrap();
    let target = real_dir.join("data.parquet");
    fs::write(&target, "old").unwrap();
    let link = dir.path().join("link.parquet");
    std::os::unix::fs::symlink("real/data.parquet", &link).unwrap();
    write(&Destination::user(&link).resolve().unwrap(), b"new");
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert_eq!(fs::read(&target).unwrap(), b"new");
    assert_eq!(entries(&real_dir), ["data.parquet"]);
}

#[cfg(unix)]
#[test]
fn dangling_symlink_creates_its_target() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(dir.path().join("made.csv"), &link).unwrap();
    write(&Destination::user(&link).resolve().unwrap(), b"x");
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert_eq!(fs::read(dir.path().join("made.csv")).unwrap(), b"x");
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    std::os::unix::fs::symlink("a", &a).unwrap();
    let err = Destination::user(&a).resolve().unwrap_err();
    assert!(matches!(err, Error::TooManyLinks { .. }), "{err}");
}

#[cfg(unix)]
#[test]
fn character_device_is_written_in_place() {
    let dest = Destination::user("/dev/null").resolve().unwrap();
    assert!(!dest.is_atomic());
    write(&dest, b"discarded");
    use std::os::unix::fs::FileTypeExt;
    assert!(fs::metadata("/dev/null").unwrap().file_type().is_char_device());
}

#[cfg(unix)]
#[test]
fn fifo_is_written_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    let ok = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(ok.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut s = String::new();
            fs::File::open(fifo).unwrap().read_to_string(&mut s).unwrap();
            s
        })
    };
    let dest = Destination::user(&fifo).resolve().unwrap();
    write(&dest, b"through the pipe");
    assert_eq!(reader.join().unwrap(), "through the pipe");
    use std::os::unix::fs::FileTypeExt;
    assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());
    assert_eq!(entries(dir.path()), ["pipe"]);
}

#[test]
fn dash_is_standard_output_for_users_only() {
    assert!(Destination::user("-").resolve().unwrap().is_stdout());
    let dir = tempfile::tempdir().unwrap();
    let cwd_dash = Destination::chosen(dir.path().join("-")).resolve().unwrap();
    assert!(!cwd_dash.is_stdout());
}

#[test]
fn a_bare_dash_is_refused_where_standard_output_cannot_be() {
    // `keys generate --out -` or `--state-file -` mean standard output to the user; writing a
    // file named `-` (or a private key to the terminal) would be wrong either way.
    for builder in [Destination::key_file("-"), Destination::chosen("-")] {
        let err = builder.force(true).resolve().unwrap_err();
        assert!(matches!(err, Error::NotStdout { .. }), "{err:?}");
        assert!(err.to_string().contains("standard output"), "{err}");
    }
    assert!(!Path::new("-").exists());
}

/// Runs the named test again in a child process with `MKT_FS_CHILD` set (for tests that
/// interrupt the process-wide flag or may hang), failing if it does not pass within 20 s.
fn in_child(test: &str) -> bool {
    if std::env::var_os("MKT_FS_CHILD").is_some() {
        return false;
    }
    let exe = std::env::current_exe().unwrap();
    let mut child = std::process::Command::new(exe)
        .args(["--exact", test, "--test-threads=1"])
        .env("MKT_FS_CHILD", "1")
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{test} hung");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert!(status.success(), "{test} failed in its child process");
    true
}

#[test]
fn a_fifo_without_a_reader_waits_but_gives_way_to_an_interruption() {
    if in_child("a_fifo_without_a_reader_waits_but_gives_way_to_an_interruption") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    let ok = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(ok.success());
    let dest = Destination::user(&fifo).resolve().unwrap();
    let interrupter = std::thread::spawn(|| {
        std::thread::sleep(std::time::Duration::from_millis(100));
        mkt_fs::cancel::interrupt(mkt_fs::cancel::Signal::Interrupt);
    });
    let started = std::time::Instant::now();
    let err = dest.create().unwrap_err();
    assert!(err.is_interrupted(), "{err:?}");
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(100),
        "did not wait"
    );
    interrupter.join().unwrap();
    use std::os::unix::fs::FileTypeExt;
    assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());
}

#[test]
fn directory_takes_the_chosen_name_and_never_clobbers() {
    let dir = tempfile::tempdir().unwrap();
    let name = SafeName::new("../.env").unwrap();
    let dest = Destination::user(dir.path())
        .file_name_in_dir(name.clone())
        .resolve()
        .unwrap();
    assert_eq!(dest.path().unwrap(), dir.path().join("env"));
    write(&dest, b"1");
    let again = Destination::user(dir.path())
        .file_name_in_dir(name.clone())
        .resolve();
    assert!(matches!(again, Err(Error::Exists { .. })));
    let forced = Destination::user(dir.path())
        .file_name_in_dir(name)
        .force(true)
        .resolve()
        .unwrap();
    write(&forced, b"2");
    assert_eq!(fs::read(dir.path().join("env")).unwrap(), b"2");
}

#[test]
fn directory_without_a_name_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let err = Destination::user(dir.path()).resolve().unwrap_err();
    assert!(matches!(err, Error::IsDirectory { .. }), "{err}");
}

#[test]
fn chosen_names_and_key_files_need_force() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("numerbay.json");
    fs::write(&p, "keep me").unwrap();
    for builder in [Destination::chosen(&p), Destination::key_file(&p)] {
        assert!(matches!(builder.resolve(), Err(Error::Exists { .. })));
    }
    assert_eq!(fs::read(&p).unwrap(), b"keep me");
    write(
        &Destination::key_file(&p).force(true).resolve().unwrap(),
        b"replaced",
    );
    assert_eq!(fs::read(&p).unwrap(), b"replaced");
}

#[test]
fn a_file_that_appears_meanwhile_is_not_clobbered() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("late.csv");
    let dest = Destination::chosen(&p).resolve().unwrap();
    let mut out = dest.create().unwrap();
    out.write_all(b"mine").unwrap();
    fs::write(&p, "theirs").unwrap();
    assert!(matches!(out.commit(), Err(Error::Exists { .. })));
    assert_eq!(fs::read(&p).unwrap(), b"theirs");
    assert_eq!(entries(dir.path()), ["late.csv"]);
}

#[test]
fn same_file_as_an_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("in.csv");
    fs::write(&p, "data").unwrap();
    let via_dot = dir.path().join(".").join("in.csv");
    let err = Destination::user(&via_dot)
        .distinct_from(&p)
        .resolve()
        .unwrap_err();
    assert!(matches!(err, Error::SameAsInput { .. }), "{err}");
    #[cfg(unix)]
    {
        let link = dir.path().join("l.csv");
        std::os::unix::fs::symlink(&p, &link).unwrap();
        let err = Destination::user(&link).distinct_from(&p).resolve().unwrap_err();
        assert!(matches!(err, Error::SameAsInput { .. }), "{err}");
    }
}

#[test]
fn stale_leftovers_are_removed_and_live_ones_kept() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("f.csv");
    // A killed run's leftover: right pattern, nobody holds its lock.
    fs::write(dir.path().join(".f.csv.mkt-AbCdEfGh.tmp"), "stale plaintext").unwrap();
    // A live run's temp file: held open (and locked) by this Output.
    let live = Destination::user(&p).resolve().unwrap().create().unwrap();
    let live_name = live
        .path()
        .unwrap()
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    // Unrelated files stay.
    fs::write(dir.path().join(".f.csv.bak"), "mine").unwrap();
    write(&Destination::user(&p).resolve().unwrap(), b"done");
    let mut expected = vec![".f.csv.bak".to_owned(), "f.csv".to_owned(), live_name];
    expected.sort();
    assert_eq!(entries(dir.path()), expected);
    drop(live);
    assert_eq!(entries(dir.path()), [".f.csv.bak", "f.csv"]);
}

#[test]
fn a_download_leftover_is_resumable_by_identity() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("big.bin");
    let dest = Destination::user(&p).resolve().unwrap();
    {
        let mut out = mkt_fs::Output::for_download(&dest, Some(10), Some("\"v1\"")).unwrap();
        out.write_all(b"01234").unwrap();
        // Simulate SIGKILL: the file stays, the lock goes with the process (here: the fd).
        let path = out.path().unwrap().to_path_buf();
        std::mem::forget(out);
        // forget keeps the fd (and lock) open in this process; release it by reopening the
        // path as a plain leftover.
        let bytes = fs::read(&path).unwrap();
        fs::remove_file(&path).unwrap();
        fs::write(&path, bytes).unwrap();
    }
    let leftover = dest.resumable().expect("leftover found");
    assert_eq!(
        (leftover.len(), leftover.total(), leftover.etag()),
        (5, 10, "\"v1\"")
    );
    let mut out = mkt_fs::Output::resume(&dest, leftover).unwrap();
    out.write_all(b"56789").unwrap();
    out.commit().unwrap();
    assert_eq!(fs::read(&p).unwrap(), b"0123456789");
    assert_eq!(entries(dir.path()), ["big.bin"]);
}

/// A leftover as a SIGKILLed run leaves it: the bytes on disk, no lock held.
fn killed_download(dest: &Destination, total: u64, bytes: &[u8]) {
    let mut out = mkt_fs::Output::for_download(dest, Some(total), Some("\"v1\"")).unwrap();
    out.write_all(bytes).unwrap();
    let path = out.path().unwrap().to_path_buf();
    std::mem::forget(out);
    fs::remove_file(&path).unwrap();
    fs::write(&path, bytes).unwrap();
}

#[test]
fn a_complete_download_leftover_is_not_resumed() {
    // Killed after the last byte but before the rename: resuming would ask the server for
    // `bytes=10-` of a 10-byte object, which it answers 416, failing every later run.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("big.bin");
    let dest = Destination::user(&p).resolve().unwrap();
    killed_download(&dest, 10, b"0123456789");
    assert!(dest.resumable().is_none());
    assert!(entries(dir.path()).is_empty(), "{:?}", entries(dir.path()));
}

#[test]
fn interruption_stops_commits() {
    // Runs in its own process (integration test binary), but other tests share it: use a child.
    if std::env::var_os("MKT_FS_INTERRUPT_CHILD").is_none() {
        let exe = std::env::current_exe().unwrap();
        let status = std::process::Command::new(exe)
            .args(["--exact", "interruption_stops_commits", "--test-threads=1"])
            .env("MKT_FS_INTERRUPT_CHILD", "1")
            .status()
            .unwrap();
        assert!(status.success());
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("out.csv");
    let mut out = Destination::user(&p).resolve().unwrap().create().unwrap();
    out.write_all(b"complete but abandoned").unwrap();
    mkt_fs::cancel::interrupt(mkt_fs::cancel::Signal::Terminate);
    assert!(mkt_fs::cancel::check().is_err());
    assert!(matches!(out.commit(), Err(Error::Interrupted)));
    assert!(!p.exists());
    assert!(entries(dir.path()).is_empty());
    assert_eq!(
        mkt_fs::cancel::interrupted(),
        Some(mkt_fs::cancel::Signal::Terminate)
    );
    mkt_fs::cancel::reset();
    assert!(mkt_fs::cancel::check().is_ok());
}
