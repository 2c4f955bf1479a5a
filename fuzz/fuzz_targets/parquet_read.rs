//! Fuzz target: arbitrary bytes as a Parquet file must read or fail with an error, never panic.
//!
//! parquet-rs itself panics on some corrupt pages; frame-io contains those panics (`catch_unwind`)
//! and reports `ParquetCorrupt`. libFuzzer's panic hook aborts even on contained panics, so the
//! target re-installs a hook that aborts for every panic except those frame-io is containing
//! (`frame_io::panic_is_contained`).
#![no_main]
use libfuzzer_sys::fuzz_target;

static HOOK: std::sync::Once = std::sync::Once::new();

fuzz_target!(|data: &[u8]| {
    HOOK.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            if frame_io::panic_is_contained() {
                return;
            }
            eprintln!("{info}");
            std::process::abort();
        }));
    });
    let mut file = tempfile::Builder::new().suffix(".parquet").tempfile().expect("temp file");
    std::io::Write::write_all(&mut file, data).expect("write");
    if let Ok(frame) = frame_io::read_frame(file.path()) {
        let _ = frame.num_rows();
    }
    let _ = frame_io::inspect(file.path(), &frame_io::ReadOptions::default(), 5);
});
