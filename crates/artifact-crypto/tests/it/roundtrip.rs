//! Round trips through every seal/open path, which must all produce interchangeable bytes.

use std::io::Read;

use artifact_crypto::{
    open, open_file, open_file_with, seal, seal_file, seal_file_with, sealed_len, Error, FileOptions,
    KeyPair, Phase, SealedStream, SealingReader,
};
use proptest::prelude::*;

use crate::util::{crypto_box_open, crypto_box_seal};

fn to(path: &std::path::Path) -> mkt_fs::Destination {
    mkt_fs::Destination::user(path).resolve().expect("destination")
}

fn pattern(len: usize, salt: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(salt) ^ (i >> 8) as u8)
        .collect()
}

/// Reads a whole reader with an awkward read size, to exercise the header/body boundaries.
fn drain(mut reader: impl Read, step: usize) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut buf = vec![0u8; step];
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            return Ok(out);
        }
        out.extend_from_slice(&buf[..n]);
    }
}

/// All paths agree for one plaintext: memory, file (with `options`), streaming, crypto_box.
fn check_all_paths(plain: &[u8], options: &FileOptions<'_>, read_step: usize) {
    let pair = KeyPair::generate();
    let dir = tempfile::tempdir().unwrap();
    let (src, sealed_path, out) = (dir.path().join("p"), dir.path().join("s"), dir.path().join("o"));
    std::fs::write(&src, plain).unwrap();

    // in-memory seal -> file open
    let sealed = seal(pair.public(), plain).unwrap();
    assert_eq!(sealed.len() as u64, sealed_len(plain.len() as u64));
    std::fs::write(&sealed_path, &sealed).unwrap();
    assert_eq!(
        open_file_with(&pair, &sealed_path, &to(&out), options).unwrap(),
        plain.len() as u64
    );
    assert!(std::fs::read(&out).unwrap() == plain, "memory seal -> open_file");

    // file seal -> in-memory open, and crypto_box opens it too
    let n = seal_file_with(pair.public(), &src, &to(&sealed_path), options).unwrap();
    let sealed = std::fs::read(&sealed_path).unwrap();
    assert_eq!(n, sealed.len() as u64);
    assert!(open(&pair, &sealed).unwrap() == plain, "seal_file -> open");
    assert!(
        crypto_box_open(&pair, &sealed).as_deref() == Some(plain),
        "seal_file -> crypto_box"
    );

    // streaming seal -> in-memory open
    let stream = SealedStream::prepare(pair.public(), &src).unwrap();
    assert_eq!(stream.sealed_len(), sealed_len(plain.len() as u64));
    let first = drain(stream.reader().unwrap(), read_step).unwrap();
    let second = drain(stream.reader().unwrap(), read_step + 1).unwrap();
    assert!(first == second, "a prepared stream replays the same bytes");
    assert_eq!(first.len() as u64, stream.sealed_len());
    assert!(open(&pair, &first).unwrap() == plain, "SealedStream -> open");

    // crypto_box seal -> file open
    std::fs::write(&sealed_path, crypto_box_seal(&pair, plain)).unwrap();
    open_file_with(&pair, &sealed_path, &to(&out), options).unwrap();
    assert!(std::fs::read(&out).unwrap() == plain, "crypto_box -> open_file");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn random_sizes_round_trip_through_every_path(
        len in prop_oneof![0usize..200, 0usize..300_000],
        salt in any::<u8>(),
        chunk in prop_oneof![Just(0usize), 1usize..100, 1usize..70_000],
        threads in 0usize..4,
        read_step in 1usize..5000,
    ) {
        let options = FileOptions { threads, chunk_size: chunk, ..FileOptions::default() };
        check_all_paths(&pattern(len, salt), &options, read_step);
    }
}

#[test]
fn boundary_sizes_round_trip() {
    // Poly1305 blocks (16), Salsa20 blocks (64), the parallel threshold (256 KiB) and the
    // streaming reader's chunk (1 MiB), each -1/0/+1.
    let sizes = [
        0usize, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 262_143, 262_144, 262_145, 1_048_576,
        1_048_577,
    ];
    for (i, len) in sizes.into_iter().enumerate() {
        let options = FileOptions {
            threads: 2,
            chunk_size: if len > 1000 { 0 } else { 16 },
            ..FileOptions::default()
        };
        check_all_paths(&pattern(len, i as u8), &options, 4096);
    }
}

#[test]
fn sealing_reader_over_an_open_file() {
    let pair = KeyPair::generate();
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("p");
    let plain = pattern(100_003, 9);
    std::fs::write(&src, &plain).unwrap();
    let file = std::fs::File::open(&src).unwrap();
    let reader = SealingReader::new(pair.public(), file).unwrap();
    assert_eq!(reader.sealed_len(), 100_051);
    let sealed = drain(reader, 48).unwrap();
    assert_eq!(open(&pair, &sealed).unwrap(), plain);
}

#[test]
fn a_file_changed_after_prepare_fails_the_stream() {
    let pair = KeyPair::generate();
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("p");
    std::fs::write(&src, pattern(5000, 1)).unwrap();
    let stream = SealedStream::prepare(pair.public(), &src).unwrap();

    // Same size, different content: detected at the end of the body.
    std::fs::write(&src, pattern(5000, 2)).unwrap();
    let err = drain(stream.reader().unwrap(), 1000).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
    let inner = err.into_inner().unwrap().downcast::<Error>().unwrap();
    assert!(matches!(*inner, Error::Changed { .. }), "{inner}");

    // Grown file: detected as soon as it exceeds the prepared length.
    std::fs::write(&src, pattern(6000, 1)).unwrap();
    assert!(drain(stream.reader().unwrap(), 1000).is_err());
    // Shrunk file.
    std::fs::write(&src, pattern(10, 1)).unwrap();
    assert!(drain(stream.reader().unwrap(), 1000).is_err());
}

#[test]
fn tampered_and_truncated_files_never_produce_output() {
    let pair = KeyPair::generate();
    let dir = tempfile::tempdir().unwrap();
    let (src, sealed_path, out) = (dir.path().join("p"), dir.path().join("s"), dir.path().join("o"));
    std::fs::write(&src, pattern(70_000, 3)).unwrap();
    seal_file(pair.public(), &src, &sealed_path).unwrap();
    let good = std::fs::read(&sealed_path).unwrap();
    for (what, bad) in [
        ("flipped body byte", {
            let mut b = good.clone();
            b[40_000] ^= 0x80;
            b
        }),
        ("truncated", good[..good.len() - 1].to_vec()),
        ("extended", [good.as_slice(), b"x"].concat()),
        ("header only", good[..48].to_vec()),
    ] {
        std::fs::write(&sealed_path, &bad).unwrap();
        let err = open_file(&pair, &sealed_path, &out).unwrap_err();
        assert!(matches!(err, Error::Authentication { .. }), "{what}: {err:?}");
        assert!(!out.exists(), "{what}: no output");
    }
    let other = KeyPair::generate();
    std::fs::write(&sealed_path, &good).unwrap();
    assert!(open_file(&other, &sealed_path, &out)
        .unwrap_err()
        .is_authentication());
    assert!(!out.exists());
    // A failed open leaves an existing destination untouched.
    std::fs::write(&out, b"previous").unwrap();
    assert!(open_file(&other, &sealed_path, &out).is_err());
    assert_eq!(std::fs::read(&out).unwrap(), b"previous");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        3,
        "no temporary files left"
    );
}

#[test]
fn progress_reports_each_pass_up_to_the_total() {
    let pair = KeyPair::generate();
    let dir = tempfile::tempdir().unwrap();
    let (src, sealed_path, out) = (dir.path().join("p"), dir.path().join("s"), dir.path().join("o"));
    std::fs::write(&src, pattern(10_000, 4)).unwrap();
    let seen = std::sync::Mutex::new(Vec::new());
    let record = |phase: Phase, done: u64| seen.lock().unwrap().push((phase, done));
    let options = FileOptions {
        chunk_size: 4096,
        progress: Some(&record),
        ..FileOptions::default()
    };
    seal_file_with(pair.public(), &src, &to(&sealed_path), &options).unwrap();
    open_file_with(&pair, &sealed_path, &to(&out), &options).unwrap();
    let seen = seen.into_inner().unwrap();
    let expect = |phase| vec![(phase, 4096), (phase, 8192), (phase, 10_000)];
    let want: Vec<_> = [Phase::Seal, Phase::Verify, Phase::Decrypt]
        .into_iter()
        .flat_map(expect)
        .collect();
    assert_eq!(seen, want);
}

#[test]
fn a_cancelled_operation_writes_nothing() {
    let pair = KeyPair::generate();
    let dir = tempfile::tempdir().unwrap();
    let (src, sealed_path, out) = (dir.path().join("p"), dir.path().join("s"), dir.path().join("o"));
    std::fs::write(&src, pattern(50_000, 5)).unwrap();
    seal_file(pair.public(), &src, &sealed_path).unwrap();
    let cancel = std::sync::atomic::AtomicBool::new(false);
    // Cancel from the progress callback after the first piece.
    let trip = |_: Phase, _: u64| cancel.store(true, std::sync::atomic::Ordering::Relaxed);
    let options = FileOptions {
        chunk_size: 4096,
        progress: Some(&trip),
        cancel: Some(&cancel),
        ..FileOptions::default()
    };
    let err = open_file_with(&pair, &sealed_path, &to(&out), &options).unwrap_err();
    assert!(matches!(err, Error::Cancelled), "{err:?}");
    cancel.store(false, std::sync::atomic::Ordering::Relaxed);
    let err = seal_file_with(pair.public(), &src, &to(&out), &options).unwrap_err();
    assert!(matches!(err, Error::Cancelled), "{err:?}");
    assert!(!out.exists());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        2,
        "no temporary files left"
    );
}

#[test]
fn missing_input_is_an_io_error_naming_the_path() {
    let pair = KeyPair::generate();
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.csv");
    let err = seal_file(pair.public(), &missing, dir.path().join("x")).unwrap_err();
    assert!(matches!(err, Error::Io { .. }));
    assert!(err.to_string().contains("nope.csv"), "{err}");
    assert!(SealedStream::prepare(pair.public(), &missing).is_err());
    assert!(open_file(&pair, &missing, dir.path().join("y")).is_err());
}
