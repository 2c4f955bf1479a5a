//! `mkt sandbox serve` and `mkt config`: the remaining command groups' happy paths.

use std::io::BufRead;
use std::process::Stdio;

use crate::util::{code, json, mkt_cmd, stderr, stdout};

#[test]
fn sandbox_serve_prints_one_json_line_then_serves() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("sandbox-data");
    let mut child = mkt_cmd(dir.path())
        .args(["--output", "json", "sandbox", "serve", "--data-dir"])
        .arg(&data)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let info: serde_json::Value = serde_json::from_str(line.trim()).expect("first line is JSON");
    for key in [
        "numerbay_url",
        "crowdcent_url",
        "seller",
        "buyer",
        "buyer_key_file",
        "crowdcent_api_key",
        "challenge",
    ] {
        assert!(!info[key].is_null(), "{key} missing from {info}");
    }
    assert!(info["numerbay_url"]
        .as_str()
        .unwrap()
        .ends_with("/backend-api/v1"));
    assert!(info["crowdcent_url"].as_str().unwrap().ends_with("/api"));
    assert!(std::path::Path::new(info["buyer_key_file"].as_str().unwrap()).exists());

    // The printed credentials work with the real CLI.
    let out = mkt_cmd(dir.path())
        .env("NUMERBAY_API_URL", info["numerbay_url"].as_str().unwrap())
        .env("NUMERBAY_USERNAME", info["seller"]["username"].as_str().unwrap())
        .env("NUMERBAY_PASSWORD", info["seller"]["password"].as_str().unwrap())
        .args(["--output", "json", "numerbay", "account"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(json(&out)["username"], info["seller"]["username"]);
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn config_set_get_path_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| mkt_cmd(dir.path()).args(args).output().unwrap();
    let path = run(&["config", "path"]);
    assert_eq!(code(&path), 0);
    assert!(
        stdout(&path).trim().ends_with("mkt-config.toml"),
        "{}",
        stdout(&path)
    );

    let missing = run(&["config", "get", "crowdcent.challenge"]);
    assert_eq!(code(&missing), 4, "{}", stderr(&missing));
    assert_eq!(
        code(&run(&[
            "config",
            "set",
            "crowdcent.challenge",
            "hyperliquid-ranking"
        ])),
        0
    );
    let got = run(&["config", "get", "crowdcent.challenge"]);
    assert_eq!(stdout(&got).trim(), "hyperliquid-ranking");
    let all = run(&["--output", "json", "config", "get"]);
    assert_eq!(json(&all)["crowdcent.challenge"], "hyperliquid-ranking");
    assert_eq!(code(&run(&["config", "set", "no.such.key", "x"])), 2);
    assert_eq!(code(&run(&["config", "unset", "crowdcent.challenge"])), 0);
    assert_eq!(code(&run(&["config", "get", "crowdcent.challenge"])), 4);
}
