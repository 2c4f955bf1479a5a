//! Helpers shared by the end-to-end tests.

use std::process::{Command, Output};

/// Path of the `mkt` binary built for this test run.
pub const MKT: &str = env!("CARGO_BIN_EXE_mkt-e2e-cli");

/// A `mkt` command with credentials scrubbed from the environment, so tests never pick up the
/// developer's real accounts.
pub fn mkt_cmd() -> Command {
    let mut cmd = Command::new(MKT);
    for var in [
        "NUMERBAY_USERNAME",
        "NUMERBAY_PASSWORD",
        "NUMERBAY_API_URL",
        "NUMERBAY_KEY_PATH",
        "CROWDCENT_API_KEY",
        "CROWDCENT_API_URL",
        "CROWDCENT_CHALLENGE",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

/// Runs `mkt` with `args`, returning its output.
pub fn mkt(args: &[&str]) -> Output {
    mkt_cmd().args(args).output().expect("run mkt")
}
