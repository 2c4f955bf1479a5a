//! Terminal safety: control characters in server strings never reach the terminal raw, while
//! `--output json` keeps them exactly.
//!
//! A one-file HTTP server on 127.0.0.1 stands in for CrowdCent: it lists a challenge whose name
//! holds escape sequences and one whose name is 100,000 characters long, and answers every other
//! request with a 400 whose `detail` holds escape sequences.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::Output;

use crate::util;

/// ESC sequences (colour, clear screen), BEL, CR/LF (a fake extra line), C1 CSI and a bidi override.
const EVIL_NAME: &str = "\u{1b}[31mred\u{1b}[0m\u{7}\r\nfake line\u{9b}2J\u{202e}txt.exe";
const EVIL_DETAIL: &str = "\u{1b}[2J\u{1b}]0;pwned\u{7}gone\r\nhint: run something bad\u{9b}31m";

/// Starts the stand-in server on an ephemeral port and returns its base URL.
fn evil_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let url = format!("http://{}/api", listener.local_addr().expect("local addr"));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(&stream);
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            // Skip the headers; the requests carry no body.
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                header.clear();
            }
            let (status, body) = if request_line.starts_with("GET /api/challenges/ ") {
                let list = serde_json::json!([{
                    "id": 1,
                    "name": EVIL_NAME,
                    "slug": "evil",
                    "description": "",
                    "start_date": "2026-01-01T00:00:00Z",
                    "end_date": null,
                    "is_active": true,
                }, {
                    "id": 2,
                    "name": "é".repeat(100_000),
                    "slug": "long",
                    "start_date": "2026-01-01T00:00:00Z",
                }]);
                ("200 OK", list.to_string())
            } else {
                (
                    "400 Bad Request",
                    serde_json::json!({ "detail": EVIL_DETAIL }).to_string(),
                )
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
                 connection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    url
}

fn mkt_against(url: &str, args: &[&str]) -> Output {
    let dir = tempfile::tempdir().expect("temp dir");
    util::mkt_cmd(dir.path())
        .env("CROWDCENT_API_URL", url)
        .env("CROWDCENT_API_KEY", "test-key")
        .args(args)
        .output()
        .expect("run mkt")
}

/// No ESC, BEL, CR, C1 or bidi override, and LF only as line ends of our own making.
fn assert_terminal_safe(text: &str, what: &str) {
    let bad = ['\u{1b}', '\u{7}', '\r', '\u{9b}', '\u{202e}'];
    assert!(
        !text.contains(bad),
        "{what} holds a raw control character: {text:?}"
    );
}

#[test]
fn table_output_escapes_server_strings_and_json_keeps_them() {
    let url = evil_server();

    let table = mkt_against(&url, &["crowdcent", "challenges"]);
    assert_eq!(util::code(&table), 0, "stderr: {}", util::stderr(&table));
    let out = util::stdout(&table);
    assert_terminal_safe(&out, "table stdout");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "header and two rows, no injected line: {out:?}");
    assert!(
        lines[2].contains(&format!("{}…", "é".repeat(199))),
        "long name cut"
    );
    assert!(
        lines[2].chars().count() < 300,
        "long name cut: {} chars",
        lines[2].chars().count()
    );
    assert!(
        out.contains(r"\x1b[31mred\x1b[0m\x07\r\nfake line\u{9b}2J\u{202e}txt.exe"),
        "{out:?}"
    );

    let json = mkt_against(&url, &["crowdcent", "challenges", "--output", "json"]);
    assert_eq!(util::code(&json), 0, "stderr: {}", util::stderr(&json));
    let list = util::json(&json);
    assert_eq!(list[0]["name"], EVIL_NAME);
    assert_eq!(list[1]["name"].as_str().map(|n| n.chars().count()), Some(100_000));
}

#[test]
fn error_details_are_escaped_on_stderr() {
    let url = evil_server();
    for args in [
        &["crowdcent", "auth-check"][..],
        &["crowdcent", "auth-check", "--output", "json"][..],
        &["-vv", "crowdcent", "auth-check"][..],
    ] {
        let out = mkt_against(&url, args);
        assert_eq!(util::code(&out), 1, "{args:?}");
        let err = util::stderr(&out);
        assert_terminal_safe(&err, "stderr");
        assert!(
            err.contains(r"\x1b[2J\x1b]0;pwned\x07gone\r\nhint: run something bad\u{9b}31m"),
            "{err:?}"
        );
        assert!(
            !err.lines().any(|l| l.starts_with("hint: run")),
            "a line break in the detail must not fake a hint line: {err:?}"
        );
    }
}
