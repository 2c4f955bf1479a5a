//! Fuzz target: arbitrary bytes as a Parquet file must read or fail with an error, never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut file = tempfile::Builder::new().suffix(".parquet").tempfile().expect("temp file");
    std::io::Write::write_all(&mut file, data).expect("write");
    if let Ok(frame) = frame_io::read_frame(file.path()) {
        let _ = frame.num_rows();
    }
    let _ = frame_io::inspect(file.path(), &frame_io::ReadOptions::default(), 5);
});
