//! SIGINT and SIGTERM (and SIGKILL) at several points of long commands, through the real
//! binary: the exit code says which signal, the destination is absent or unchanged, and no temp
//! file is left; a killed download is resumed by the next run.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::json;

use crate::util::{assert_no_partial_files, code, mkt_cmd, stderr, temp_files, wait_until, Env, Running};

/// How long a command may take to show progress before the test gives up.
const START: Duration = Duration::from_secs(60);

/// Writes a CSV of `rows` prediction rows (about 20 bytes each).
fn big_csv(path: &Path, rows: usize) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("create csv"));
    out.write_all(b"id,prediction\n").unwrap();
    for i in 0..rows {
        writeln!(out, "n{i:08x},0.{:03}", (i * 7919) % 1000).unwrap();
    }
    out.flush().unwrap();
}

/// Which signal, the exit code it must give, and whether to wait for the temp file to grow
/// (mid-way) or only to appear (just started).
const CASES: [(&str, i32, bool); 3] = [("INT", 130, false), ("TERM", 143, true), ("INT", 130, true)];

/// Runs `args` in `dir` once per case, signals it once its temp file for `out` exists (and has
/// grown past `grown` bytes for mid-way cases), and checks the exit code, that `out` is as it
/// was and that no temp file is left. Returns the slowest signal-to-exit time.
fn interrupt_each_way(dir: &Path, args: &[&str], out: &Path, grown: u64) -> Duration {
    let before = std::fs::read(out).ok();
    let mut slowest = Duration::ZERO;
    for (signal, expected, mid) in CASES {
        let mut child = Running::spawn(mkt_cmd(dir).args(args));
        let out_dir = out.parent().expect("out has a directory");
        let mut stopped_early = false;
        wait_until(START, "the temp file", || {
            if !child.alive() {
                stopped_early = true;
                return true;
            }
            temp_files(out_dir).iter().any(|(_, len)| !mid || *len > grown)
        });
        assert!(
            !stopped_early,
            "mkt {args:?} finished before it could be signalled; use more data"
        );
        let (exit, took, err) = child.signal(signal);
        assert_eq!(exit, Some(expected), "SIG{signal} (mid-way: {mid}): {err}");
        assert_eq!(
            std::fs::read(out).ok(),
            before,
            "SIG{signal} changed {}",
            out.display()
        );
        assert_no_partial_files(out_dir, &[]);
        slowest = slowest.max(took);
    }
    slowest
}

#[test]
fn interrupted_conversions_leave_nothing() {
    let dir = tempfile::tempdir().unwrap();
    big_csv(&dir.path().join("big.csv"), 2_000_000);
    let out = dir.path().join("big.parquet");
    let took = interrupt_each_way(
        dir.path(),
        &["frame", "convert", "big.csv", "big.parquet"],
        &out,
        4096,
    );
    // An existing destination stays as it was.
    std::fs::write(&out, b"keep me").unwrap();
    interrupt_each_way(
        dir.path(),
        &["frame", "convert", "big.csv", "big.parquet"],
        &out,
        4096,
    );
    assert!(took < Duration::from_secs(5), "convert took {took:?} to stop");
    eprintln!("convert stopped within {took:?} of the signal");
}

/// A key pair and a sparse file of `size` bytes in `dir`.
fn crypto_files(dir: &Path, size: u64) {
    let out = mkt_cmd(dir)
        .args(["keys", "generate", "--out", "key.json"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    std::fs::File::create(dir.join("big.bin"))
        .and_then(|f| f.set_len(size))
        .expect("sparse file");
}

#[test]
fn interrupted_seal_and_open_leave_nothing() {
    let dir = tempfile::tempdir().unwrap();
    crypto_files(dir.path(), 32 << 20);
    let sealed = dir.path().join("big.sealed");
    let seal = [
        "crypto",
        "seal",
        "--key-file",
        "key.json",
        "big.bin",
        "big.sealed",
    ];
    let took_seal = interrupt_each_way(dir.path(), &seal, &sealed, 1 << 20);
    let out = mkt_cmd(dir.path()).args(seal).output().unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));

    let opened = dir.path().join("big.out");
    let open = [
        "crypto",
        "open",
        "--key-file",
        "key.json",
        "big.sealed",
        "big.out",
    ];
    let took_open = interrupt_each_way(dir.path(), &open, &opened, 1 << 20);
    std::fs::write(&opened, b"keep me").unwrap();
    interrupt_each_way(dir.path(), &open, &opened, 1 << 20);
    assert!(took_seal.max(took_open) < Duration::from_secs(5));
    eprintln!("seal stopped within {took_seal:?}, open within {took_open:?}");
}

/// Uploads `rows` rows of predictions for the encrypted product; returns their bytes.
fn sell(env: &Env, rows: usize) -> Vec<u8> {
    let csv = env.predictions_csv("sold.csv", rows);
    let out = env.seller(&[
        "numerbay",
        "submit",
        csv.to_str().unwrap(),
        "--product",
        &env.info.encrypted_product,
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let bytes = std::fs::read(&csv).unwrap();
    std::fs::remove_file(csv).unwrap();
    bytes
}

fn buyer_cmd(env: &Env, out: &Path) -> std::process::Command {
    let mut cmd = mkt_cmd(env.dir.path());
    cmd.env("NUMERBAY_API_URL", &env.info.numerbay_url)
        .env("NUMERBAY_USERNAME", &env.info.buyer.username)
        .env("NUMERBAY_PASSWORD", &env.info.buyer.password)
        .env("NUMERBAY_KEY_PATH", &env.info.buyer_key_file)
        .args([
            "--output",
            "json",
            "numerbay",
            "download",
            "--product",
            &env.info.encrypted_product,
            "--out",
            out.to_str().unwrap(),
        ]);
    cmd
}

/// Storage that sends 10,000 bytes, cuts the connection, then answers the retry only after a
/// pause: a download is reliably mid-way (a partial temp file on disk) for a while.
fn slow_storage(env: &Env) {
    env.fault(json!({"prefix": "/storage/", "method": "GET", "cut_after_bytes": 10_000, "count": 1}));
    env.fault(json!({"prefix": "/storage/", "method": "GET", "latency_ms": 1500}));
}

/// A download temp file with bytes in it (the delayed retry keeps the run busy after that).
fn partial_download(dir: &Path) -> bool {
    temp_files(dir).iter().any(|(_, len)| *len > 0)
}

#[test]
fn interrupted_sealed_downloads_leave_nothing() {
    let env = Env::start();
    sell(&env, 2000);
    let out: PathBuf = env.path("bought.csv");
    for (signal, expected) in [("INT", 130), ("TERM", 143)] {
        slow_storage(&env);
        let mut child = Running::spawn(&mut buyer_cmd(&env, &out));
        wait_until(START, "a partial download", || partial_download(env.dir.path()));
        let (exit, took, err) = child.signal(signal);
        assert_eq!(exit, Some(expected), "SIG{signal}: {err}");
        assert!(!out.exists(), "SIG{signal} left {}", out.display());
        assert_no_partial_files(env.dir.path(), &[]);
        assert!(took < Duration::from_secs(5), "download took {took:?} to stop");
        env.clear_faults();
    }
}

// FIXME(#13): SIGKILL mid-download then resume: the cut fault never left a partial temp file on
// disk in these runs (0 bytes until the retry completes), so no kill point mid-body was found.
