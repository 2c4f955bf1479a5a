//! The `mkt` binary: all logic lives in the `mkt_cli` library so xtask and tests can reuse it.
fn main() -> std::process::ExitCode {
    mkt_cli::main_entry()
}
