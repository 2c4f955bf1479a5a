//! Fuzz target: arbitrary bytes as a CSV file must read or fail with an error, never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut file = tempfile::Builder::new().suffix(".csv").tempfile().expect("temp file");
    std::io::Write::write_all(&mut file, data).expect("write");
    if let Ok(frame) = frame_io::read_frame(file.path()) {
        let _ = frame.to_csv_bytes();
    }
    let _ = frame_io::validate_path(file.path(), &frame_io::RuleSet::by_name("numerai-classic").expect("rule set"), None);
});
