//! End-to-end tests: the `mkt` CLI and the client libraries against the embedded sandbox.

mod util;

#[test]
fn mkt_version_prints_the_workspace_version() {
    let out = util::mkt(&["--version"]);
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(env!("CARGO_PKG_VERSION")), "{stdout}");
}
