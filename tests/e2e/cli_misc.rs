//! `mkt sandbox serve` and `mkt config`: the remaining command groups' happy paths; and what every
//! command shares: the help's global options, progress and logs on stderr, empty lists.

use std::io::BufRead;
use std::process::Stdio;

use clap::{CommandFactory, Parser};

use crate::util::{code, json, mkt_cmd, stderr, stdout, Env};

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

#[test]
fn every_help_lists_the_global_options_under_their_own_heading() {
    fn check(cmd: &mut clap::Command, path: &str, seen: &mut usize) {
        let help = cmd.render_help().to_string();
        let (own, global) = help
            .split_once("Global options:")
            .unwrap_or_else(|| panic!("`{path} --help` has no Global options heading:\n{help}"));
        for flag in ["--output", "--base-url", "--quiet", "--verbose", "--no-progress"] {
            assert!(
                global.contains(flag),
                "`{path} --help`: {flag} not under Global options:\n{help}"
            );
            assert!(
                !own.contains(flag),
                "`{path} --help`: {flag} listed before Global options:\n{help}"
            );
        }
        *seen += 1;
        for sub in cmd.get_subcommands_mut().filter(|s| s.get_name() != "help") {
            let name = format!("{path} {}", sub.get_name());
            check(sub, &name, seen);
        }
    }
    let mut root = mkt_cli::Cli::command();
    root.build();
    let mut seen = 0;
    check(&mut root, "mkt", &mut seen);
    assert!(seen > 40, "only {seen} commands");
    // And as printed by the binary.
    let out = crate::util::mkt(&["crypto", "open", "--help"]);
    assert!(stdout(&out).contains("Global options:\n"), "{}", stdout(&out));
}

/// Bar and spinner drawing: carriage returns, cursor movement, bar characters, byte counters.
fn assert_no_progress(what: &str, err: &str) {
    for needle in ["\r", "\u{1b}", "[=", "0 B/0 B", "B/s"] {
        assert!(
            !err.contains(needle),
            "{what}: progress drawn into a pipe ({needle:?}):\n{err:?}"
        );
    }
}

#[test]
fn no_progress_is_drawn_when_stderr_is_not_a_terminal() {
    let env = Env::start();
    let csv = env.predictions_csv("p.csv", 20_000);
    let csv = csv.to_str().unwrap();
    let out = env.seller(&[
        "numerbay",
        "submit",
        csv,
        "--product",
        &env.info.encrypted_product,
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_no_progress("numerbay submit", &stderr(&out));
    let pq = env.path("p.parquet");
    let out = env.anon(&["frame", "convert", csv, pq.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_no_progress("frame convert", &stderr(&out));
    let sealed = env.path("p.sealed");
    let key = env.info.buyer_key_file.to_str().unwrap();
    let out = env.anon(&["crypto", "seal", "--key-file", key, csv, sealed.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_no_progress("crypto seal", &stderr(&out));
    let opened = env.path("p.opened");
    let out = env.anon(&[
        "crypto",
        "open",
        "--key-file",
        key,
        sealed.to_str().unwrap(),
        opened.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_no_progress("crypto open", &stderr(&out));
}

#[test]
fn verbose_logs_each_request_and_dependencies_only_at_three() {
    let env = Env::start();
    let out = env.seller(&["-v", "numerbay", "account"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.lines()
            .any(|l| l.contains("GET ") && l.contains("-> 200") && l.contains(" ms)")),
        "-v should log the request with its status and duration:\n{err}"
    );
    assert!(
        !err.contains("hyper") && !err.contains("reqwest"),
        "-v shows dependency internals:\n{err}"
    );
    assert!(!err.contains('\u{1b}'), "colour codes in a pipe:\n{err:?}");

    let out = env.seller(&["-vv", "numerbay", "account"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        !stderr(&out).contains("hyper"),
        "-vv shows hyper internals:\n{}",
        stderr(&out)
    );

    let out = env.seller(&["-vvv", "numerbay", "account"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("hyper") || err.contains("reqwest"),
        "-vvv should show dependency logs:\n{err}"
    );
    assert!(!err.contains('\u{1b}'), "colour codes in a pipe:\n{err:?}");
}

#[test]
fn empty_lists_say_so_in_tables_and_stay_arrays_in_json() {
    let env = Env::start();
    // The seeded seller has bought nothing.
    let out = env.seller(&["numerbay", "orders"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stdout(&out), "no orders\n");
    let out = env.seller(&["--output", "json", "numerbay", "orders"]);
    assert_eq!(json(&out), serde_json::json!([]));
    let out = env.crowdcent(&["crowdcent", "submissions", "list"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stdout(&out), "no submissions\n");
    let out = env.crowdcent(&["--output", "json", "crowdcent", "submissions", "list"]);
    assert_eq!(json(&out), serde_json::json!([]));
}

/// Splits one shell command line into words (quotes, no expansion); stops at a comment.
fn shell_words(line: &str) -> Vec<String> {
    let (mut words, mut cur, mut quote, mut any) = (Vec::new(), String::new(), None, false);
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '"' | '\'') => (quote, any) = (Some(c), true),
            (None, '#') if !any && cur.is_empty() => break,
            (None, c) if c.is_whitespace() => {
                if any || !cur.is_empty() {
                    words.push(std::mem::take(&mut cur));
                }
                any = false;
            }
            (None, c) => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        words.push(cur);
    }
    words
}

/// Every `mkt …` invocation in the code blocks of `text`: pipelines and `&&` chains are split,
/// redirections and leading `VAR=value` assignments dropped.
fn mkt_examples(text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut in_code = false;
    // Continued lines (`\` at the end) are joined first.
    let joined = text.replace("\\\n", " ");
    for line in joined.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if !in_code {
            continue;
        }
        let line = line.trim().trim_start_matches('$').trim();
        for part in line
            .split("&&")
            .flat_map(|p| p.split(" | "))
            .flat_map(|p| p.split(';'))
        {
            let mut words = shell_words(part);
            if let Some(i) = words
                .iter()
                .position(|w| w.starts_with('>') || w == "2>&1" || w == "&")
            {
                words.truncate(i);
            }
            let start = words.iter().position(|w| !w.contains('=') || w.starts_with('-'));
            let Some(start) = start else { continue };
            let words = &words[start..];
            let is_mkt = words.first().is_some_and(|w| w == "mkt" || w.ends_with("/mkt"));
            if is_mkt && words.len() > 1 {
                out.push(words.to_vec());
            }
        }
    }
    out
}

#[test]
fn every_example_in_the_readme_and_guides_parses() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = vec![root.join("README.md")];
    for entry in std::fs::read_dir(root.join("docs/guide")).unwrap() {
        files.push(entry.unwrap().path());
    }
    let mut checked = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for words in mkt_examples(&text) {
            if let Err(e) = mkt_cli::Cli::try_parse_from(&words) {
                let shown = matches!(
                    e.kind(),
                    clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion
                );
                assert!(
                    shown,
                    "{}: `{}` does not parse:\n{e}",
                    file.display(),
                    words.join(" ")
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 20, "only {checked} examples found");
}
