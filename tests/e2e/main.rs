//! End-to-end tests: the `mkt` CLI and the client libraries against the embedded sandbox.

mod autopilot;
mod cli_misc;
mod crowdcent;
mod crowdcent_score;
mod demo;
mod destinations;
mod docs;
mod exit_codes;
mod expired_links;
mod faults;
mod frame;
mod hostile;
mod keys_crypto;
mod numerbay;
mod numerbay_buyer;
mod numerbay_seller;
mod run_daily;
mod secrets;
mod signals;
mod terminal;
mod util;

#[test]
fn mkt_version_prints_the_workspace_version() {
    let out = util::mkt(&["--version"]);
    assert!(out.status.success());
    assert!(util::stdout(&out).contains(env!("CARGO_PKG_VERSION")));
}
