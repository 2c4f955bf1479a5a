//! The `mkt` binary, rebuilt inside the e2e test crate so tests can find it via `CARGO_BIN_EXE_*`.
fn main() -> std::process::ExitCode {
    mkt_cli::main_entry()
}
