//! Hostile servers: the real `mkt` against a stand-in NumerBay API, storage host and CrowdCent
//! API on 127.0.0.1 that send endless bodies, lie about paging and sizes, hand out unsafe file
//! names and put escape sequences in their errors.
//!
//! Every case checks the exit code, the message (what went wrong and what to do) and that no
//! file changed except the one intended: the whole scratch tree, above the working directory
//! too, is compared before and after (names, sizes, contents).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Output;
use std::sync::atomic::Ordering;

use serde_json::{json, Value};

use crate::util;

mod server;

use server::{Reply, Request, Routes};

const API: &str = "/backend-api/v1";
/// The order artifact every download asks for (`--artifact-id`).
const AID: &str = "0123456789abcdef0123456789abcdef";
const ROUND: u32 = 500;
const CONTENT: &[u8] = b"id,prediction\nn000001,0.5\nn000002,0.25\n";
/// The client's default cap on a JSON body (`marketplace_core::DEFAULT_MAX_BODY_BYTES`).
const BODY_LIMIT: u64 = 64 * 1024 * 1024;
/// Socket buffers on both ends and the client's read buffer hold what was sent but not read.
const BODY_SLACK: u64 = 16 * 1024 * 1024;
const EVIL_DETAIL: &str = "\u{1b}[2J\u{1b}]0;pwned\u{7}gone\r\nhint: run something bad";

/// The buyer's side of NumerBay for `download --artifact-id AID` (a plaintext order artifact
/// named `object_name`) and `orders`, after `routes` (which win), with `storage` at `/storage/`.
impl Routes {
    fn numerbay(
        self,
        object_name: &str,
        storage: impl Fn(&Request) -> Reply + Send + Sync + 'static,
    ) -> Routes {
        let artifact = json!({"id": AID, "order_id": 11, "object_name": object_name, "state": "active",
                          "round_tournament": ROUND, "date": "2026-01-03T12:00:00"});
        self.on("POST", format!("{API}/login/access-token"), |_| {
            Reply::json(200, &json!({"access_token": "tok", "token_type": "bearer"}))
        })
        .on("GET", format!("{API}/globals/"), |_| {
            Reply::json(200, &json!({"active_round": ROUND, "selling_round": ROUND}))
        })
        .on(
            "GET",
            format!("{API}/artifacts/{AID}/generate-download-url"),
            |r| Reply::json(200, &json!(format!("{}/storage/obj?X-Goog-Signature=s", r.base))),
        )
        .on("GET", format!("{API}/artifacts/{AID}"), move |_| {
            Reply::json(200, &artifact)
        })
        .on("POST", format!("{API}/orders/search"), |_| {
            Reply::json(200, &json!({"total": 1, "data": [order(11, "alpha")]}))
        })
        .on("GET", "/storage/", storage)
    }
}

/// A storage answer with `body` and its true length.
fn file(body: &[u8]) -> Reply {
    Reply::raw(200, &[("content-length", &body.len().to_string())], body)
}

/// An order as `orders/search` lists it (plaintext product 7, current for [`ROUND`]).
fn order(id: u64, product_name: &str) -> Value {
    json!({"id": id, "date_order": "2026-01-02T10:00:00", "round_order": ROUND, "rounds": [ROUND],
           "price": 9, "currency": "NMR", "mode": "file", "state": "confirmed",
           "product": {"id": 7, "name": product_name, "sku": format!("numerai-predictions-{product_name}"),
                       "use_encryption": false}})
}

/// Every file and directory under `root` (relative path → contents; directories end in `/`).
fn snapshot(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).expect("read dir") {
            let path = entry.expect("entry").path();
            let rel = path
                .strip_prefix(root)
                .expect("under root")
                .to_string_lossy()
                .into_owned();
            if path.is_dir() {
                out.insert(format!("{rel}/"), Vec::new());
                walk(root, &path, out);
            } else {
                out.insert(rel, std::fs::read(&path).expect("read file"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// The paths added, removed or changed between two snapshots.
fn changes(before: &BTreeMap<String, Vec<u8>>, after: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut names: Vec<String> = before
        .iter()
        .filter(|(k, v)| after.get(*k) != Some(*v))
        .chain(after.iter().filter(|(k, _)| !before.contains_key(*k)))
        .map(|(k, _)| k.clone())
        .collect();
    names.sort();
    names
}

/// A scratch tree `root/home/work` (the working directory, two levels down so a `../..`
/// escape would land inside `root`) holding the user's own `.env` and `numerbay.json`.
fn scratch() -> (tempfile::TempDir, std::path::PathBuf) {
    let root = tempfile::tempdir().expect("temp dir");
    let work = root.path().join("home/work");
    std::fs::create_dir_all(&work).expect("mkdir");
    std::fs::write(work.join(".env"), "MKT_E2E_MINE=1\n").expect("write .env");
    // The user's own key file: mkt may read it (it is the key resolution's last resort) but a
    // server-chosen name must never replace it.
    artifact_crypto::write_key_file(
        work.join("numerbay.json"),
        &artifact_crypto::KeyPair::generate(),
        false,
    )
    .expect("write key");
    (root, work)
}

fn assert_fails_with(out: &Output, code: i32, needles: &[&str]) {
    let err = util::stderr(out);
    assert_eq!(util::code(out), code, "stderr: {err}");
    for needle in needles {
        assert!(err.contains(needle), "stderr lacks {needle:?}: {err}");
    }
    assert!(!out.stderr.contains(&0x1b), "raw ESC on stderr: {err:?}");
}

#[test]
fn an_endless_json_body_stops_at_the_body_limit() {
    let server = Routes::default()
        .on("POST", format!("{API}/orders/search"), |_| Reply::Endless)
        .on("GET", "/api/challenges/", |_| Reply::Endless)
        .numerbay("x.csv", |_| Reply::json(500, &json!({})))
        .start();
    let (root, work) = scratch();
    let before = snapshot(root.path());
    for args in [&["numerbay", "orders"][..], &["crowdcent", "challenges"][..]] {
        server.sent.store(0, Ordering::SeqCst);
        let out = server.mkt(&work, args);
        let limit = format!("over the limit of {BODY_LIMIT} bytes");
        assert_fails_with(&out, 1, &[&limit, "the server may be misbehaving"]);
        let sent = server.sent.load(Ordering::SeqCst);
        assert!(
            (BODY_LIMIT..BODY_LIMIT + BODY_SLACK).contains(&sent),
            "{args:?}: the client read on: {sent} bytes sent"
        );
    }
    assert_eq!(changes(&before, &snapshot(root.path())), Vec::<String>::new());
}

#[test]
fn lying_paging_ends_with_what_was_listed() {
    // `total` claims a trillion orders and every page, whatever `skip`, is the same 100.
    let page: Vec<Value> = (1..=100).map(|id| order(id, "alpha")).collect();
    let server = Routes::default()
        .on("POST", format!("{API}/orders/search"), move |_| {
            Reply::json(200, &json!({"total": 1_000_000_000_000u64, "data": page}))
        })
        .numerbay("x.csv", |_| Reply::json(500, &json!({})))
        .start();
    let (root, work) = scratch();
    let before = snapshot(root.path());
    let out = server.mkt(&work, &["--output", "json", "numerbay", "orders"]);
    assert_eq!(util::code(&out), 0, "stderr: {}", util::stderr(&out));
    assert_eq!(util::json(&out).as_array().map(Vec::len), Some(100));
    assert_eq!(
        server.hits(&format!("POST {API}/orders/search")),
        2,
        "a repeated page ends it"
    );
    assert_eq!(changes(&before, &snapshot(root.path())), Vec::<String>::new());
}

/// Storage answers 200 announcing `CONTENT`'s length with an ETag, breaks off halfway, then
/// answers the resume with `resume` (status, Content-Range, body).
fn cut_then(resume: (u16, String, Vec<u8>)) -> impl Fn(&Request) -> Reply + Send + Sync {
    move |req| {
        let (status, range, body) = &resume;
        if req.has_header("range") {
            return Reply::raw(
                *status,
                &[
                    ("content-range", range),
                    ("content-length", &body.len().to_string()),
                ],
                body,
            );
        }
        let len = CONTENT.len().to_string();
        Reply::raw(
            200,
            &[("content-length", &len), ("etag", "\"v1\"")],
            &CONTENT[..20],
        )
    }
}

#[test]
fn a_storage_body_that_changes_size_fails_and_leaves_nothing() {
    let half = 20;
    let grown = CONTENT.len() * 2;
    let cases = [
        // The resume claims a bigger file than the first answer announced.
        (
            206,
            format!("bytes {half}-{}/{grown}", grown - 1),
            vec![b'9'; grown - half],
        ),
        // The resume keeps the total but sends more than the range it names.
        (
            206,
            format!("bytes {half}-{}/{}", CONTENT.len() - 1, CONTENT.len()),
            vec![b'9'; grown],
        ),
    ];
    for resume in cases {
        let server = Routes::default()
            .numerbay("preds.csv", cut_then(resume.clone()))
            .start();
        let (root, work) = scratch();
        let before = snapshot(root.path());
        let out = server.mkt(&work, &["numerbay", "download", "--artifact-id", AID]);
        assert_fails_with(&out, 1, &["/storage/obj", "try again"]);
        assert!(
            !util::stderr(&out).contains("X-Goog-Signature"),
            "signed query leaked"
        );
        assert!(
            server.hits("GET /storage/obj") >= 2,
            "{resume:?}: resumed once at least"
        );
        assert_eq!(
            changes(&before, &snapshot(root.path())),
            Vec::<String>::new(),
            "{resume:?}"
        );
    }
}

#[test]
fn a_storage_body_longer_than_announced_is_cut_at_the_announced_length() {
    let mut long = CONTENT.to_vec();
    long.extend_from_slice(&[b'9'; 4096]);
    let len = CONTENT.len().to_string();
    let server = Routes::default()
        .numerbay("preds.csv", move |_| {
            Reply::raw(200, &[("content-length", &len)], &long)
        })
        .start();
    let (root, work) = scratch();
    let before = snapshot(root.path());
    let out = server.mkt(&work, &["numerbay", "download", "--artifact-id", AID]);
    assert_eq!(util::code(&out), 0, "stderr: {}", util::stderr(&out));
    let after = snapshot(root.path());
    assert_eq!(changes(&before, &after), ["home/work/preds.csv"]);
    assert_eq!(after["home/work/preds.csv"], CONTENT);
}

#[test]
fn unsafe_server_names_never_escape_or_replace() {
    let (root, work) = scratch();
    let long = format!("{}.csv", "n".repeat(296));
    // (server name, extra args, exit code, the one path that may change)
    let cases: [(&str, &[&str], i32, Option<&str>); 6] = [
        (".env", &[], 0, Some("home/work/env")),
        ("../../etc/passwd", &[], 0, Some("home/work/passwd")),
        ("numerbay.json", &[], 1, None),
        ("a\u{1b}[31mb.csv", &[], 0, Some("home/work/a__31mb.csv")),
        (&long, &[], 0, None),
        // Last: once replaced, ./numerbay.json is no longer a key file for the next download.
        ("numerbay.json", &["--force"], 0, Some("home/work/numerbay.json")),
    ];
    for (name, extra, code, path) in cases {
        let server = Routes::default().numerbay(name, |_| file(CONTENT)).start();
        let before = snapshot(root.path());
        let mut args = vec!["numerbay", "download", "--artifact-id", AID];
        args.extend_from_slice(extra);
        let out = server.mkt(&work, &args);
        let err = util::stderr(&out);
        assert_eq!(util::code(&out), code, "{name:?}: {err}");
        assert!(!out.stderr.contains(&0x1b), "raw ESC on stderr: {err:?}");
        let changed = changes(&before, &snapshot(root.path()));
        if code == 1 {
            assert_fails_with(&out, 1, &["numerbay.json", "--force", "--out"]);
            assert_eq!(changed, Vec::<String>::new());
            continue;
        }
        if name != "numerbay.json" {
            assert!(
                err.contains("is not a safe file name; saved as"),
                "{name:?}: {err}"
            );
        }
        if name.contains('\u{1b}') {
            assert!(
                err.contains(r"a\u{1b}[31mb.csv"),
                "the name is shown escaped: {err}"
            );
        }
        match path {
            Some(p) => assert_eq!(changed, [p], "{name:?}"),
            None => {
                // The 300-character name is shortened to a file name the system accepts.
                assert_eq!(changed.len(), 1, "{changed:?}");
                assert!(changed[0].len() <= "home/work/".len() + 255, "{changed:?}");
            }
        }
        assert_eq!(
            std::fs::read(root.path().join(&changed[0])).expect("saved"),
            CONTENT
        );
    }
    assert_eq!(
        std::fs::read(work.join(".env")).expect(".env"),
        b"MKT_E2E_MINE=1\n"
    );
}

#[test]
fn escape_sequences_from_the_server_are_escaped_on_stderr_and_exact_in_json() {
    let evil_name = "\u{1b}[31mred\u{1b}[0m";
    let listing = Routes::default()
        .on("POST", format!("{API}/orders/search"), move |_| {
            Reply::json(200, &json!({"total": 1, "data": [order(11, evil_name)]}))
        })
        .numerbay("x.csv", |_| file(CONTENT))
        .start();
    let refusing = Routes::default()
        .on("POST", format!("{API}/orders/search"), |_| {
            Reply::json(400, &json!({"detail": EVIL_DETAIL}))
        })
        .on(
            "GET",
            format!("{API}/artifacts/{AID}/generate-download-url"),
            |_| Reply::json(400, &json!({"detail": EVIL_DETAIL})),
        )
        .numerbay("x.csv", |_| file(CONTENT))
        .start();
    let (root, work) = scratch();
    let before = snapshot(root.path());

    let json = listing.mkt(&work, &["--output", "json", "numerbay", "orders"]);
    assert_eq!(util::code(&json), 0, "stderr: {}", util::stderr(&json));
    assert_eq!(util::json(&json)[0]["product"]["name"], evil_name);
    let table = listing.mkt(&work, &["numerbay", "orders"]);
    assert_eq!(util::code(&table), 0, "stderr: {}", util::stderr(&table));
    assert!(
        !table.stdout.contains(&0x1b),
        "raw ESC in the table: {}",
        util::stdout(&table)
    );
    assert!(
        util::stdout(&table).contains(r"\x1b[31mred"),
        "{}",
        util::stdout(&table)
    );

    let escaped = r"\x1b[2J\x1b]0;pwned\x07gone\r\nhint: run something bad";
    for args in [
        &["numerbay", "orders"][..],
        &["--output", "json", "numerbay", "orders"][..],
        &["numerbay", "download", "--artifact-id", AID][..],
    ] {
        let out = refusing.mkt(&work, args);
        assert_fails_with(&out, 1, &["bad request", escaped]);
        assert!(
            !util::stderr(&out).lines().any(|l| l.starts_with("hint: run")),
            "a line break in the detail must not fake a hint line"
        );
    }
    assert_eq!(changes(&before, &snapshot(root.path())), Vec::<String>::new());
}

#[test]
fn a_refused_storage_link_is_not_a_credentials_problem() {
    let xml = "<?xml version='1.0' encoding='UTF-8'?><Error><Code>ExpiredToken</Code>\
               <Message>The provided token has expired.</Message></Error>";
    let server = Routes::default()
        .numerbay("preds.csv", move |_| {
            let len = xml.len().to_string();
            Reply::raw(
                403,
                &[("content-type", "application/xml"), ("content-length", &len)],
                xml.as_bytes(),
            )
        })
        .start();
    let (root, work) = scratch();
    let before = snapshot(root.path());
    let out = server.mkt(&work, &["numerbay", "download", "--artifact-id", AID]);
    assert_fails_with(&out, 1, &["expired", "refused", "run the command again"]);
    let err = util::stderr(&out);
    assert!(
        !err.contains("credentials") && !err.contains("NUMERBAY_PASSWORD"),
        "{err}"
    );
    assert!(!err.contains("X-Goog-Signature"), "signed query leaked: {err}");
    // One fresh link is asked for, then it gives up.
    assert!((1..=2).contains(&server.hits(&format!("GET {API}/artifacts/{AID}/generate-download-url"))));
    assert_eq!(changes(&before, &snapshot(root.path())), Vec::<String>::new());
}

#[test]
fn a_killed_download_is_resumed_by_the_next_run() {
    // The first answer sends half the body and stalls; a range request gets the rest.
    let half = CONTENT.len() / 2;
    let ranged = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let seen = std::sync::Arc::clone(&ranged);
    let server = Routes::default()
        .numerbay("preds.csv", move |req| {
            let len = CONTENT.len().to_string();
            if let Some(range) = req.header("range") {
                seen.lock().expect("lock").push(range.clone());
                let rest = &CONTENT[half..];
                return Reply::raw(
                    206,
                    &[
                        (
                            "content-range",
                            &format!("bytes {half}-{}/{len}", CONTENT.len() - 1),
                        ),
                        ("content-length", &rest.len().to_string()),
                        ("etag", "\"v1\""),
                    ],
                    rest,
                );
            }
            let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {len}\r\netag: \"v1\"\r\n\r\n");
            let mut bytes = head.into_bytes();
            bytes.extend_from_slice(&CONTENT[..half]);
            Reply::Stall(bytes)
        })
        .start();
    let (_root, work) = scratch();
    let mut child = server
        .mkt_cmd(&work)
        .args(["numerbay", "download", "--artifact-id", AID, "--out", "preds.csv"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn mkt");
    // Wait until the first half is on disk in the download's temp file, then SIGKILL.
    let partial = |dir: &std::path::Path| {
        std::fs::read_dir(dir)
            .expect("read dir")
            .filter_map(Result::ok)
            .find(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.starts_with(".preds.csv.mkt-dl-") && e.metadata().is_ok_and(|m| m.len() == half as u64)
            })
    };
    let started = std::time::Instant::now();
    while partial(&work).is_none() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "no partial download appeared"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");
    assert!(!work.join("preds.csv").exists(), "nothing in place after SIGKILL");

    let out = server.mkt(
        &work,
        &[
            "--output",
            "json",
            "numerbay",
            "download",
            "--artifact-id",
            AID,
            "--out",
            "preds.csv",
        ],
    );
    assert_eq!(util::code(&out), 0, "{}", util::stderr(&out));
    assert_eq!(
        std::fs::read(work.join("preds.csv")).expect("downloaded"),
        CONTENT
    );
    assert_eq!(util::json(&out)["resumed"], 1, "{}", util::stdout(&out));
    assert_eq!(*ranged.lock().expect("lock"), vec![format!("bytes={half}-")]);
    util::assert_no_partial_files(&work, &[]);
}
