//! Where `mkt` writes, through the real binary: symbolic links, FIFOs, devices, `-`,
//! directories, inputs named as outputs, existing files with and without `--force`.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::util::{assert_no_partial_files, code, mkt_cmd, stderr, stdout, Env};

/// A scratch directory with a key pair, a plaintext CSV and its sealed copy.
struct Files {
    dir: tempfile::TempDir,
}

impl Files {
    fn new() -> Files {
        let files = Files {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        let mut csv = String::from("id,prediction\n");
        for i in 0..2000 {
            csv.push_str(&format!("n{i:06x},0.{:03}\n", (i * 7919) % 1000));
        }
        std::fs::write(files.path("p.csv"), csv).expect("write csv");
        files.ok(&["keys", "generate", "--out", "key.json"]);
        files.ok(&["crypto", "seal", "--key-file", "key.json", "p.csv", "p.sealed"]);
        files
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn run(&self, args: &[&str]) -> std::process::Output {
        mkt_cmd(self.dir.path()).args(args).output().expect("run mkt")
    }

    fn ok(&self, args: &[&str]) -> std::process::Output {
        let out = self.run(args);
        assert_eq!(code(&out), 0, "mkt {args:?}: {}", stderr(&out));
        out
    }

    fn plaintext(&self) -> Vec<u8> {
        std::fs::read(self.path("p.csv")).expect("read csv")
    }
}

fn is_parquet(path: &Path) -> bool {
    let bytes = std::fs::read(path).expect("read output");
    bytes.len() > 8 && bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1")
}

fn symlink(target: impl AsRef<Path>, link: impl AsRef<Path>) {
    std::os::unix::fs::symlink(target, link).expect("symlink");
}

fn is_symlink(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

#[test]
fn a_symlinked_out_replaces_its_target_in_place_and_keeps_the_link() {
    let f = Files::new();
    std::fs::create_dir(f.path("real")).unwrap();
    std::fs::write(f.path("real/target.parquet"), b"old").unwrap();
    symlink("real/target.parquet", f.path("link.parquet"));
    f.ok(&["frame", "convert", "p.csv", "link.parquet"]);
    assert!(is_symlink(&f.path("link.parquet")), "the link was replaced");
    assert_eq!(
        std::fs::read_link(f.path("link.parquet")).unwrap(),
        Path::new("real/target.parquet")
    );
    assert!(is_parquet(&f.path("real/target.parquet")));
    assert_no_partial_files(f.dir.path(), &[]);
    assert_no_partial_files(&f.path("real"), &[]);
}

#[test]
fn a_dangling_symlink_gets_its_target_created() {
    let f = Files::new();
    std::fs::create_dir(f.path("sub")).unwrap();
    symlink("sub/new.csv", f.path("dangling.csv"));
    f.ok(&[
        "crypto",
        "open",
        "--key-file",
        "key.json",
        "p.sealed",
        "dangling.csv",
    ]);
    assert!(is_symlink(&f.path("dangling.csv")));
    assert_eq!(std::fs::read(f.path("sub/new.csv")).unwrap(), f.plaintext());
    assert_no_partial_files(f.dir.path(), &[]);
    assert_no_partial_files(&f.path("sub"), &[]);
}

#[test]
fn a_symlink_to_another_file_system_is_replaced_there() {
    let shm = Path::new("/dev/shm");
    if !shm.is_dir() {
        return;
    }
    let f = Files::new();
    let other = tempfile::tempdir_in(shm).expect("dir in /dev/shm");
    let target = other.path().join("out.csv");
    std::fs::write(&target, b"old").unwrap();
    symlink(&target, f.path("far.csv"));
    f.ok(&["crypto", "open", "--key-file", "key.json", "p.sealed", "far.csv"]);
    assert!(is_symlink(&f.path("far.csv")));
    assert_eq!(std::fs::read(&target).unwrap(), f.plaintext());
    assert_no_partial_files(other.path(), &[]);
    assert_no_partial_files(f.dir.path(), &[]);
}

/// Creates a FIFO with the `mkfifo` command (no `unsafe`, no new dependency).
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo");
    assert!(status.success());
}

fn is_fifo(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_fifo())
}

#[test]
fn a_fifo_is_written_in_place_for_its_reader() {
    let f = Files::new();
    let fifo = f.path("pipe");
    mkfifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            std::fs::File::open(&fifo)
                .and_then(|mut r| r.read_to_end(&mut bytes))
                .expect("read fifo");
            bytes
        })
    };
    f.ok(&["crypto", "open", "--key-file", "key.json", "p.sealed", "pipe"]);
    assert_eq!(reader.join().expect("reader"), f.plaintext());
    assert!(is_fifo(&fifo), "the FIFO was replaced by a file");
    assert_no_partial_files(f.dir.path(), &[]);
}

#[test]
fn dev_null_stays_a_character_device() {
    use std::os::unix::fs::FileTypeExt;
    let f = Files::new();
    f.ok(&["crypto", "seal", "--key-file", "key.json", "p.csv", "/dev/null"]);
    f.ok(&["frame", "convert", "p.csv", "/dev/null", "--format", "parquet"]);
    let meta = std::fs::symlink_metadata("/dev/null").unwrap();
    assert!(meta.file_type().is_char_device());
    assert_no_partial_files(Path::new("/dev"), &[]);
}

#[test]
fn dash_is_standard_output_and_carries_exactly_the_data() {
    let f = Files::new();
    let out = f.ok(&["crypto", "open", "--key-file", "key.json", "p.sealed", "-"]);
    assert_eq!(out.stdout, f.plaintext());

    f.ok(&["frame", "convert", "p.csv", "copy.csv", "--format", "csv"]);
    let out = f.ok(&["frame", "convert", "p.csv", "-", "--format", "csv"]);
    assert_eq!(out.stdout, std::fs::read(f.path("copy.csv")).unwrap());
    assert!(!f.path("-").exists(), "a file named - was created");
    assert_no_partial_files(f.dir.path(), &[]);
}

#[test]
fn a_directory_out_is_a_usage_error_when_no_name_is_known() {
    let f = Files::new();
    std::fs::create_dir(f.path("outdir")).unwrap();
    let out = f.run(&["crypto", "seal", "--key-file", "key.json", "p.csv", "outdir"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("is a directory"), "{}", stderr(&out));
    assert_eq!(std::fs::read_dir(f.path("outdir")).unwrap().count(), 0);
    assert_no_partial_files(f.dir.path(), &[]);
}

#[test]
fn an_input_named_as_output_is_refused_and_left_alone() {
    let f = Files::new();
    let before = f.plaintext();
    let out = f.run(&["frame", "convert", "p.csv", "p.csv", "--format", "csv"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("also an input"), "{}", stderr(&out));
    // The same file under another name: a symlink and a hard link.
    symlink("p.csv", f.path("alias.csv"));
    std::fs::hard_link(f.path("p.csv"), f.path("hard.csv")).unwrap();
    for alias in ["alias.csv", "hard.csv", "./p.csv"] {
        let out = f.run(&["frame", "convert", "p.csv", alias, "--format", "csv"]);
        assert_eq!(code(&out), 2, "{alias}: {}", stderr(&out));
    }
    let out = f.run(&["crypto", "seal", "--key-file", "key.json", "p.csv", "hard.csv"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert_eq!(f.plaintext(), before);
    assert_no_partial_files(f.dir.path(), &[]);
}

#[test]
fn keys_generate_refuses_an_existing_file_without_force() {
    let f = Files::new();
    let before = std::fs::read(f.path("key.json")).unwrap();
    let out = f.run(&["keys", "generate", "--out", "key.json"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    assert_eq!(std::fs::read(f.path("key.json")).unwrap(), before);
    f.ok(&["keys", "generate", "--out", "key.json", "--force"]);
    assert_ne!(std::fs::read(f.path("key.json")).unwrap(), before);
    assert_no_partial_files(f.dir.path(), &[]);
}

#[test]
fn paths_with_spaces_and_unicode_work() {
    let f = Files::new();
    std::fs::create_dir(f.path("dir with spaces ü")).unwrap();
    std::fs::copy(f.path("p.csv"), f.path("in ø é.csv")).unwrap();
    f.ok(&[
        "frame",
        "convert",
        "in ø é.csv",
        "dir with spaces ü/out ☃.parquet",
    ]);
    assert!(is_parquet(&f.path("dir with spaces ü/out ☃.parquet")));
    assert_no_partial_files(&f.path("dir with spaces ü"), &[]);
}

#[test]
fn a_255_byte_name_is_written_and_a_longer_one_fails_cleanly() {
    let f = Files::new();
    let longest = format!("{}.csv", "n".repeat(251));
    f.ok(&["crypto", "open", "--key-file", "key.json", "p.sealed", &longest]);
    assert_eq!(std::fs::read(f.path(&longest)).unwrap(), f.plaintext());
    let too_long = format!("{}.csv", "n".repeat(252));
    let out = f.run(&["crypto", "open", "--key-file", "key.json", "p.sealed", &too_long]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("name too long"), "{}", stderr(&out));
    assert_no_partial_files(f.dir.path(), &[]);
}

#[test]
fn dash_is_not_a_key_file() {
    let f = Files::new();
    let out = f.run(&["keys", "generate", "--out", "-"]);
    assert_ne!(code(&out), 0, "{}", stdout(&out));
    assert!(!f.path("-").exists(), "a key file named - was written");
    assert!(
        !stdout(&out).contains("secret"),
        "a private key went to standard output: {}",
        stdout(&out)
    );
}

/// Uploads predictions for the encrypted product and returns their bytes.
fn sell(env: &Env) -> Vec<u8> {
    let csv = env.predictions_csv("sold.csv", 300);
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

fn download_json(env: &Env, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "--output",
        "json",
        "numerbay",
        "download",
        "--product",
        &env.info.encrypted_product,
    ];
    args.extend_from_slice(extra);
    env.buyer(&args)
}

fn path_of(out: &std::process::Output) -> PathBuf {
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", stdout(out), stderr(out)));
    PathBuf::from(v["path"].as_str().expect("path"))
}

#[test]
fn a_download_into_a_directory_takes_the_artifact_name_and_never_clobbers_unasked() {
    let env = Env::start();
    let sold = sell(&env);
    std::fs::create_dir(env.path("into")).unwrap();
    let into = env.path("into");
    let out = download_json(&env, &["--out", into.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let landed = path_of(&out);
    assert_eq!(landed.parent(), Some(into.as_path()), "{}", landed.display());
    assert_eq!(std::fs::read(&landed).unwrap(), sold);
    assert_no_partial_files(&into, &[]);

    // The default name in the working directory: a second run refuses, --force replaces.
    let out = download_json(&env, &[]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let name = path_of(&out);
    let name = env.dir.path().join(name.file_name().unwrap());
    std::fs::write(&name, b"mine").unwrap();
    let out = download_json(&env, &[]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&name).unwrap(), b"mine");
    let out = download_json(&env, &["--force"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(std::fs::read(&name).unwrap(), sold);

    // `.` and `..` are directories like any other.
    std::fs::create_dir(env.path("deeper")).unwrap();
    let mut cmd = mkt_cmd(&env.path("deeper"));
    cmd.env("NUMERBAY_API_URL", &env.info.numerbay_url)
        .env("NUMERBAY_USERNAME", &env.info.buyer.username)
        .env("NUMERBAY_PASSWORD", &env.info.buyer.password)
        .env("NUMERBAY_KEY_PATH", &env.info.buyer_key_file);
    for (out_arg, dir) in [(".", env.path("deeper")), ("..", env.dir.path().to_path_buf())] {
        let out = cmd
            .args([
                "--output",
                "json",
                "numerbay",
                "download",
                "--product",
                &env.info.encrypted_product,
                "--force",
                "--out",
                out_arg,
            ])
            .output()
            .unwrap();
        assert_eq!(code(&out), 0, "{out_arg}: {}", stderr(&out));
        let landed = path_of(&out);
        let file = dir.join(landed.file_name().unwrap());
        assert_eq!(std::fs::read(&file).unwrap(), sold, "{out_arg}");
        assert_no_partial_files(&dir, &[]);
        cmd = mkt_cmd(&env.path("deeper"));
        cmd.env("NUMERBAY_API_URL", &env.info.numerbay_url)
            .env("NUMERBAY_USERNAME", &env.info.buyer.username)
            .env("NUMERBAY_PASSWORD", &env.info.buyer.password)
            .env("NUMERBAY_KEY_PATH", &env.info.buyer_key_file);
    }
    assert_no_partial_files(env.dir.path(), &["sold.csv"]);
}

#[test]
fn a_sealed_download_to_standard_output_carries_exactly_the_plaintext() {
    let env = Env::start();
    let sold = sell(&env);
    let out = env.buyer(&[
        "numerbay",
        "download",
        "--product",
        &env.info.encrypted_product,
        "--out",
        "-",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(out.stdout, sold);
    assert_no_partial_files(env.dir.path(), &[]);
}
