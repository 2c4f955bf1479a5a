//! `mkt numerbay autopilot`: uploads exactly the missing copies per round, across ticks, restarts and webhooks.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use marketplace_types::numerbay::{ArtifactId, OrderId, OrderMode, OrderUploadUrlForm, UploadUrlForm};
use numerbay_client::autopilot::{AutopilotConfig, PredictionsSource, TickReport};
use numerbay_client::plan::UploadTarget;
use numerbay_client::{ArtifactFilter, Autopilot, Credentials, NumerBay, ProductRef, SalesFilter};

use crate::util::{code, json, mkt, stderr, stdout, Env};

fn seller(env: &Env) -> NumerBay {
    NumerBay::builder()
        .base_url(env.info.numerbay_url.clone())
        .credentials(Credentials::new(
            env.info.seller.username.clone(),
            env.info.seller.password.clone(),
        ))
        .build()
        .expect("client")
}

fn pilot(env: &Env, product: &str, preds: &Path, state: Option<&Path>) -> Autopilot {
    let mut config = AutopilotConfig::new(
        ProductRef::FullName(product.to_owned()),
        PredictionsSource::File(preds.to_owned()),
    );
    config.state_file = state.map(Path::to_owned);
    config.work_dir = env.path("work");
    Autopilot::new(seller(env), config).expect("autopilot")
}

fn tick(env: &Env, p: &mut Autopilot) -> TickReport {
    env.runtime.block_on(p.tick()).expect("tick")
}

/// A new buyer with a key and an order for the encrypted product (pending unless `confirmed`).
fn new_order(env: &Env, name: &str, confirmed: bool) -> OrderId {
    env.control(
        "/users",
        serde_json::json!({"username": name, "password": "pw-123456", "with_key": true}),
    );
    let state = if confirmed { "confirmed" } else { "pending" };
    let order = env.control(
        "/orders",
        serde_json::json!({"buyer": name, "product": env.info.encrypted_product, "state": state}),
    );
    OrderId(order["id"].as_u64().expect("order id"))
}

/// The form asking for an upload URL of `order`'s sealed copy.
fn sealed_form(order: OrderId) -> OrderUploadUrlForm {
    OrderUploadUrlForm {
        order_id: order,
        filename: "preds.csv".into(),
        is_numerai_direct: None,
        filesize: None,
        action: None,
        filename_suffix: None,
    }
}

/// PUTs `body` to a signed URL.
fn put(env: &Env, url: &str, body: Vec<u8>) {
    env.runtime.block_on(async {
        let res = reqwest::Client::new()
            .put(url)
            .header("Content-Type", "application/octet-stream")
            .body(body)
            .send()
            .await
            .expect("put");
        assert!(res.status().is_success(), "{}", res.status());
    });
}

/// Moves the sandbox's clock (artifact dates follow it).
fn shift_clock(env: &Env, seconds: i64) {
    env.control("/clock/advance", serde_json::json!({ "seconds": seconds }));
}

fn uploaded_orders(report: &TickReport) -> Vec<OrderId> {
    report
        .uploaded
        .iter()
        .filter_map(|u| u.target.order_id())
        .collect()
}

#[test]
fn once_uploads_for_every_active_order_and_a_second_run_uploads_nothing() {
    let env = Env::start();
    let preds = env.predictions_csv("preds.csv", 50);
    let preds = preds.to_str().expect("utf-8 path");
    let state = env.path("state.json");
    let state = state.to_str().expect("utf-8 path");
    let args = [
        "--output",
        "json",
        "numerbay",
        "autopilot",
        "--product",
        &env.info.encrypted_product,
        "--predictions",
        preds,
        "--until",
        "once",
        "--state-file",
        state,
    ];
    let out = env.seller(&args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let first = json(&out);
    let planned = first["planned"].as_array().expect("planned").len();
    // Seeded encrypted product: sealed (buyer), direct + sealed (direct-buyer), direct (stake-buyer),
    // and the product artifact for the keyless buyer.
    assert_eq!(planned, 5, "{first}");
    assert_eq!(
        first["uploaded"].as_array().expect("uploaded").len(),
        planned,
        "{first}"
    );
    assert_eq!(first["failed"].as_array().expect("failed").len(), 0);
    let log = stderr(&out);
    assert!(log.contains("uploaded order"), "{log}");
    assert!(
        log.lines().all(|l| l.starts_with("20")),
        "lines are timestamped:\n{log}"
    );

    // The server agrees: every active keyed order has its copies for the round.
    let nb = seller(&env);
    let sales = env
        .runtime
        .block_on(nb.my_sales(SalesFilter::ActiveThisRound))
        .expect("sales");
    let round = env.runtime.block_on(nb.globals()).expect("globals").selling_round;
    for sale in sales.iter().filter(|s| s.buyer_public_key.is_some()) {
        let arts = env
            .runtime
            .block_on(nb.order_artifacts(sale.id, ArtifactFilter::Active))
            .expect("artifacts")
            .data;
        assert!(
            arts.iter().any(|a| a.round_tournament == Some(round)),
            "order {} has no copy",
            sale.id
        );
    }

    let out = env.seller(&args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let second = json(&out);
    assert_eq!(
        second["uploaded"].as_array().expect("uploaded").len(),
        0,
        "{second}"
    );
    assert_eq!(second["delivered"].as_array().expect("delivered").len(), planned);
}

#[test]
fn order_confirmed_between_ticks_gets_exactly_one_upload() {
    let env = Env::start();
    let preds = env.predictions_csv("preds.csv", 20);
    let mut p = pilot(&env, &env.info.encrypted_product, &preds, None);
    let first = tick(&env, &mut p);
    assert_eq!(first.uploaded.len(), first.planned.len());

    let order = new_order(&env, "late-buyer", false);
    let pending = tick(&env, &mut p);
    assert!(
        pending.uploaded.is_empty(),
        "a pending order gets nothing: {pending:?}"
    );

    env.control(&format!("/orders/{order}/confirm"), serde_json::json!({}));
    let after = tick(&env, &mut p);
    assert_eq!(uploaded_orders(&after), vec![order], "{after:?}");
    assert!(matches!(after.uploaded[0].target, UploadTarget::Sealed { .. }));

    let again = tick(&env, &mut p);
    assert!(again.uploaded.is_empty(), "{again:?}");
    assert_eq!(again.delivered.len(), again.planned.len());
}

#[test]
fn restart_mid_round_uploads_nothing_twice_and_redoes_a_cut_upload() {
    let env = Env::start();
    let preds = env.predictions_csv("preds.csv", 20);
    let state = env.path("state.json");
    let order = new_order(&env, "crash-buyer", true);
    // A run that crashed 20 minutes ago, after asking for the upload URL, left a pending artifact
    // behind: older than the pending timeout, it is no upload in flight any more.
    let nb = seller(&env);
    shift_clock(&env, -20 * 60);
    env.runtime
        .block_on(nb.order_upload_url(&sealed_form(order)))
        .expect("url");
    shift_clock(&env, 20 * 60);

    let mut first = pilot(&env, &env.info.encrypted_product, &preds, Some(&state));
    let report = tick(&env, &mut first);
    assert!(
        uploaded_orders(&report).contains(&order),
        "pending copy redone: {report:?}"
    );
    assert_eq!(report.uploaded.len(), report.planned.len());
    drop(first);
    assert!(state.is_file(), "state file written");

    let mut restarted = pilot(&env, &env.info.encrypted_product, &preds, Some(&state));
    let report = tick(&env, &mut restarted);
    assert!(report.uploaded.is_empty(), "{report:?}");
    assert_eq!(report.delivered.len(), report.planned.len());
}

#[test]
fn a_fresh_pending_copy_is_in_flight_and_not_sent_again() {
    let env = Env::start();
    let preds = env.predictions_csv("preds.csv", 20);
    let order = new_order(&env, "racing-buyer", true);
    // Another autopilot has just asked for the URL of this order's sealed copy and is uploading.
    let nb = seller(&env);
    let issued = env
        .runtime
        .block_on(nb.order_upload_url(&sealed_form(order)))
        .expect("url");
    let mut p = pilot(&env, &env.info.encrypted_product, &preds, None);
    let report = tick(&env, &mut p);
    assert!(!uploaded_orders(&report).contains(&order), "{report:?}");
    assert!(
        report
            .in_flight
            .iter()
            .any(|d| d.target.order_id() == Some(order)
                && d.artifact_id == ArtifactId::Order(issued.id.clone())),
        "{report:?}"
    );
    assert!(!report.is_complete(), "a copy in flight is not delivered yet");
    let count = |filter| {
        env.runtime
            .block_on(nb.order_artifacts(order, filter))
            .expect("artifacts")
            .data
            .len()
    };
    assert_eq!(count(ArtifactFilter::All), 1, "nothing sent twice");

    // The other run finishes its upload: the copy is delivered, still nothing is sent.
    put(&env, &issued.url, std::fs::read(&preds).expect("read"));
    env.runtime
        .block_on(nb.validate_order_upload(&issued.id))
        .expect("validate");
    let report = tick(&env, &mut p);
    assert!(
        report.uploaded.is_empty() && report.in_flight.is_empty(),
        "{report:?}"
    );
    assert_eq!(report.delivered.len(), report.planned.len());
    assert_eq!(count(ArtifactFilter::All), 1);
}

#[test]
fn a_pending_product_artifact_is_sent_again_only_once_it_failed() {
    let env = Env::start();
    let preds = env.predictions_csv("preds.csv", 20);
    let nb = seller(&env);
    let product = env
        .runtime
        .block_on(nb.product(&ProductRef::FullName(env.info.plain_product.clone())))
        .expect("product");
    let form = UploadUrlForm {
        filename: "preds.csv".into(),
        filesize: None,
        action: None,
        filename_suffix: None,
    };
    env.runtime
        .block_on(nb.product_upload_url(product.id, &form))
        .expect("url");
    let artifacts = || {
        env.runtime
            .block_on(nb.product_artifacts(product.id))
            .expect("list")
            .data
    };
    let mut p = pilot(&env, &env.info.plain_product, &preds, None);
    let report = tick(&env, &mut p);
    assert!(report.uploaded.is_empty(), "{report:?}");
    assert_eq!(report.in_flight.len(), 1, "{report:?}");
    assert_eq!(artifacts().len(), 1);

    // Spec §2.5: ten minutes later the server's check finds no object and fails the artifact.
    shift_clock(&env, 11 * 60);
    env.control("/tick", serde_json::json!({}));
    let report = tick(&env, &mut p);
    assert_eq!(report.uploaded.len(), 1, "{report:?}");
    assert!(report.in_flight.is_empty());
    assert_eq!(artifacts().len(), 2);
}

#[test]
fn a_second_autopilot_on_the_same_state_file_exits_1_naming_the_first_and_uploads_nothing() {
    let env = Env::start();
    let preds = env.predictions_csv("preds.csv", 20);
    let state = env.path("state.json");
    let nb = seller(&env);
    let product = env
        .runtime
        .block_on(nb.product(&ProductRef::FullName(env.info.plain_product.clone())))
        .expect("product");
    let artifacts = || {
        env.runtime
            .block_on(nb.product_artifacts(product.id))
            .expect("list")
            .data
            .len()
    };
    let args = [
        "numerbay",
        "autopilot",
        "--product",
        &env.info.plain_product,
        "--predictions",
        preds.to_str().expect("utf-8"),
        "--until",
        "once",
        "--state-file",
        state.to_str().expect("utf-8"),
    ];

    // An embedder's autopilot holds the state file (it has not ticked yet).
    let holder = pilot(&env, &env.info.plain_product, &preds, Some(&state));
    let out = env.seller(&args);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains(&format!("PID {}", std::process::id())), "{err}");
    assert!(err.contains("another autopilot"), "{err}");
    assert_eq!(artifacts(), 0, "the second autopilot uploaded nothing");
    drop(holder);

    // A long-running autopilot holds it the same way, for as long as it runs.
    let mut cmd = crate::util::mkt_cmd(env.dir.path());
    cmd.env("NUMERBAY_API_URL", &env.info.numerbay_url)
        .env("NUMERBAY_USERNAME", &env.info.seller.username)
        .env("NUMERBAY_PASSWORD", &env.info.seller.password)
        .args(&args[..args.len() - 4])
        .args(["--interval", "1h", "--state-file", state.to_str().expect("utf-8")])
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut first = Killed(cmd.spawn().expect("spawn"));
    let rx = lines(&mut first.0);
    let mut seen = Vec::new();
    wait_for(&rx, "tick:", &mut seen);
    assert_eq!(artifacts(), 1);
    let out = env.seller(&args);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!("PID {}", first.0.id())),
        "{}",
        stderr(&out)
    );
    assert_eq!(artifacts(), 1);
    drop(first);
    let out = env.seller(&args);
    assert_eq!(code(&out), 0, "free once the first is gone: {}", stderr(&out));
}

#[test]
fn a_public_webhook_address_needs_a_secret() {
    let base = [
        "numerbay",
        "autopilot",
        "--product",
        "numerai-predictions-mymodel",
        "--predictions",
        "preds.csv",
        "--webhook-listen",
        "0.0.0.0:0",
    ];
    let out = mkt(&base);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("without a secret"), "{err}");
    assert!(
        err.contains("MKT_WEBHOOK_SECRET") && err.contains("127.0.0.1"),
        "{err}"
    );
    let mut print = base.to_vec();
    print.push("--print-systemd");
    assert_eq!(code(&mkt(&print)), 2, "no unit for an open listener either");

    // With a secret it gets past the check and stops at the missing credentials (exit 3).
    let dir = tempfile::tempdir().expect("dir");
    let out = crate::util::mkt_cmd(dir.path())
        .env("MKT_WEBHOOK_SECRET", "0123456789abcdef0123456789abcdef")
        .args(base)
        .output()
        .expect("run mkt");
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(!stderr(&out).contains("0123456789abcdef"), "{}", stderr(&out));
    let out = crate::util::mkt_cmd(dir.path())
        .env("MKT_WEBHOOK_SECRET", "0123456789abcdef0123456789abcdef")
        .args(&print)
        .output()
        .expect("run mkt");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let unit = stdout(&out);
    assert!(
        unit.contains("MKT_WEBHOOK_SECRET=... to ~/.config/mkt/numerbay.env"),
        "{unit}"
    );
    assert!(
        !unit.contains("0123456789abcdef"),
        "the secret stays out of the unit:\n{unit}"
    );
    // The secret may also sit in ./.env, beside the credentials.
    std::fs::write(
        dir.path().join(".env"),
        "MKT_WEBHOOK_SECRET=from-dotenv-0123456789\n",
    )
    .expect("write");
    let out = crate::util::mkt_cmd(dir.path())
        .args(base)
        .output()
        .expect("run mkt");
    assert_eq!(code(&out), 3, "{}", stderr(&out));
}

#[test]
fn only_the_missing_copy_of_an_order_is_uploaded() {
    let env = Env::start();
    let preds = env.predictions_csv("preds.csv", 20);
    let nb = seller(&env);
    let sales = env
        .runtime
        .block_on(nb.my_sales(SalesFilter::ActiveThisRound))
        .expect("sales");
    let both = sales
        .iter()
        .find(|s| s.submit_model_id.is_some() && s.mode == Some(OrderMode::File))
        .expect("seeded direct-buyer order");
    // Deliver only its Numerai-direct copy by hand.
    let form = OrderUploadUrlForm {
        order_id: both.id,
        filename: "preds.csv".into(),
        is_numerai_direct: Some("true".into()),
        filesize: None,
        action: None,
        filename_suffix: None,
    };
    let issued = env.runtime.block_on(nb.order_upload_url(&form)).expect("url");
    let body = std::fs::read(&preds).expect("read");
    env.runtime.block_on(async {
        let res = reqwest::Client::new()
            .put(&issued.url)
            .header("Content-Type", "application/octet-stream")
            .body(body)
            .send()
            .await
            .expect("put");
        assert!(res.status().is_success());
        nb.validate_order_upload(&issued.id).await.expect("validate");
    });

    let mut p = pilot(&env, &env.info.encrypted_product, &preds, None);
    let report = tick(&env, &mut p);
    let for_both: Vec<&UploadTarget> = report
        .uploaded
        .iter()
        .map(|u| &u.target)
        .filter(|t| t.order_id() == Some(both.id))
        .collect();
    assert_eq!(for_both.len(), 1, "{report:?}");
    assert!(matches!(for_both[0], UploadTarget::Sealed { .. }));
    assert!(report
        .delivered
        .iter()
        .any(|d| matches!(d.target, UploadTarget::NumeraiDirect { order_id, .. } if order_id == both.id)));
}

#[test]
fn invalid_predictions_upload_nothing_and_exit_five() {
    let env = Env::start();
    let bad = env.path("bad.csv");
    std::fs::write(&bad, "id,prediction\na,0.5\nb,1.5\n").expect("write");
    let out = env.seller(&[
        "numerbay",
        "autopilot",
        "--product",
        &env.info.plain_product,
        "--predictions",
        bad.to_str().expect("utf-8"),
        "--until",
        "once",
        "--state-file",
        env.path("state.json").to_str().expect("utf-8"),
    ]);
    assert_eq!(code(&out), 5, "{}", stderr(&out));
    assert!(stderr(&out).contains("invalid"), "{}", stderr(&out));
    let nb = seller(&env);
    let product = env
        .runtime
        .block_on(nb.product(&ProductRef::FullName(env.info.plain_product.clone())))
        .expect("product");
    let arts = env
        .runtime
        .block_on(nb.product_artifacts(product.id))
        .expect("list");
    assert!(arts.data.is_empty(), "nothing uploaded: {:?}", arts.data);

    // A failing command is refused the same way, before any upload.
    let out = env.seller(&[
        "numerbay",
        "autopilot",
        "--product",
        &env.info.plain_product,
        "--predictions-cmd",
        "echo model crashed >&2; exit 7",
        "--until",
        "once",
        "--state-file",
        env.path("state2.json").to_str().expect("utf-8"),
    ]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("model crashed"), "{}", stderr(&out));
}

#[test]
fn predictions_command_runs_once_per_round_and_lock_follows_the_upload() {
    let env = Env::start();
    let runs = env.path("runs.txt");
    let cmd = format!(
        "echo run >> '{}'; printf 'id,prediction\\na,0.25\\nb,0.75\\n' > {{out}}",
        runs.display()
    );
    let state = env.path("state.json");
    let args = [
        "numerbay",
        "autopilot",
        "--product",
        &env.info.plain_product,
        "--predictions-cmd",
        &cmd,
        "--until",
        "once",
        "--lock-after-upload",
        "--state-file",
        state.to_str().expect("utf-8"),
    ];
    let out = env.seller(&args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("locked the product for round"),
        "{}",
        stderr(&out)
    );
    let out = env.seller(&args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let count = std::fs::read_to_string(&runs).expect("runs").lines().count();
    assert_eq!(count, 1, "the command ran once this round");

    env.control("/round/advance", serde_json::json!({}));
    let out = env.seller(&args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let count = std::fs::read_to_string(&runs).expect("runs").lines().count();
    assert_eq!(count, 2, "and again for the next round");
}

/// Stderr lines of a child, as they come.
fn lines(child: &mut Child) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    let err = child.stderr.take().expect("piped stderr");
    std::thread::spawn(move || {
        for line in BufReader::new(err).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// Waits (bounded) for a line containing `needle`; returns it.
fn wait_for(rx: &mpsc::Receiver<String>, needle: &str, seen: &mut Vec<String>) -> String {
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while std::time::Instant::now() < deadline {
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(line) => {
                seen.push(line.clone());
                if line.contains(needle) {
                    return line;
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    panic!("no line containing {needle:?}; saw:\n{}", seen.join("\n"));
}

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn webhook_with_the_secret_triggers_an_immediate_tick() {
    const SECRET: &str = "e2e-webhook-secret-0123456789";
    let env = Env::start();
    let preds = env.predictions_csv("preds.csv", 20);
    let mut cmd = crate::util::mkt_cmd(env.dir.path());
    cmd.env("MKT_WEBHOOK_SECRET", SECRET)
        .env("NUMERBAY_API_URL", &env.info.numerbay_url)
        .env("NUMERBAY_USERNAME", &env.info.seller.username)
        .env("NUMERBAY_PASSWORD", &env.info.seller.password)
        .args([
            "numerbay",
            "autopilot",
            "--product",
            &env.info.encrypted_product,
            "--predictions",
            preds.to_str().expect("utf-8"),
            "--interval",
            "1h",
            "--webhook-listen",
            "127.0.0.1:0",
            "--state-file",
            env.path("state.json").to_str().expect("utf-8"),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = Killed(cmd.spawn().expect("spawn"));
    let rx = lines(&mut child.0);
    let mut seen = Vec::new();
    let listening = wait_for(&rx, "webhook listening on ", &mut seen);
    let url = listening
        .split("webhook listening on ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("url")
        .to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    wait_for(&rx, "tick:", &mut seen);

    let order = new_order(&env, "hook-buyer", true);
    let product_id = seller(&env);
    let product = env
        .runtime
        .block_on(product_id.product(&ProductRef::FullName(env.info.encrypted_product.clone())))
        .expect("product");
    let payload = serde_json::json!({
        "date": "2026-01-01T00:00:00", "product_id": product.id.get(),
        "product_category": "numerai-predictions", "product_name": "mkt-sealed",
        "product_full_name": env.info.encrypted_product, "model_id": null, "tournament": 8,
        "order_id": order.get(), "round_tournament": 500
    });
    let post = |target: String| {
        env.runtime.block_on(async {
            reqwest::Client::new()
                .post(target)
                .json(&payload)
                .send()
                .await
                .expect("post webhook")
                .status()
                .as_u16()
        })
    };
    assert_eq!(post(format!("{url}numerbay")), 401, "no token");
    assert_eq!(post(format!("{url}numerbay?token=wrong")), 401, "wrong token");
    assert_eq!(post(format!("{url}numerbay?token={SECRET}")), 202);
    wait_for(&rx, "webhook: order", &mut seen);
    wait_for(&rx, &format!("uploaded order {order}"), &mut seen);
    let summary = wait_for(&rx, "tick:", &mut seen);
    assert!(summary.contains("1 uploaded"), "{summary}");
    assert!(
        seen.iter().all(|l| !l.contains(SECRET)),
        "the secret is never logged:\n{}",
        seen.join("\n")
    );
}

#[test]
fn until_round_close_ends_when_the_round_advances() {
    let env = Env::start();
    let preds = env.predictions_csv("preds.csv", 20);
    let mut cmd = crate::util::mkt_cmd(env.dir.path());
    cmd.env("NUMERBAY_API_URL", &env.info.numerbay_url)
        .env("NUMERBAY_USERNAME", &env.info.seller.username)
        .env("NUMERBAY_PASSWORD", &env.info.seller.password)
        .args([
            "numerbay",
            "autopilot",
            "--product",
            &env.info.plain_product,
            "--predictions",
            preds.to_str().expect("utf-8"),
            "--interval",
            "200ms",
            "--until",
            "round-close",
            "--state-file",
            env.path("state.json").to_str().expect("utf-8"),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = Killed(cmd.spawn().expect("spawn"));
    let rx = lines(&mut child.0);
    let mut seen = Vec::new();
    wait_for(&rx, "tick:", &mut seen);
    env.control("/round/advance", serde_json::json!({}));
    wait_for(&rx, "is over", &mut seen);
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(s) = child.0.try_wait().expect("wait") {
            break s;
        }
        assert!(std::time::Instant::now() < deadline, "did not exit");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0));
}

#[test]
fn print_systemd_and_cron_need_no_credentials_or_network() {
    let base = [
        "numerbay",
        "autopilot",
        "--product",
        "numerai-predictions-mymodel",
        "--predictions-cmd",
        "python predict.py {out}",
        "--interval",
        "10m",
    ];
    let mut args = base.to_vec();
    args.push("--print-systemd");
    let out = mkt(&args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let unit = stdout(&out);
    assert!(
        unit.contains("[Service]") && unit.contains("Restart=on-failure"),
        "{unit}"
    );
    assert!(
        unit.contains("numerbay autopilot --product numerai-predictions-mymodel"),
        "{unit}"
    );
    assert!(!unit.contains("PASSWORD="), "no credentials in the unit");

    let mut args = base.to_vec();
    args.push("--print-cron");
    let out = mkt(&args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let cron = stdout(&out);
    let line = cron
        .lines()
        .find(|l| !l.starts_with('#'))
        .expect("a crontab line");
    assert!(line.starts_with("*/10 * * * * "), "{line}");
    assert!(line.contains("--until once"), "{line}");

    // Without the print flags the same command needs credentials: exit 3 before any request.
    let out = mkt(&base);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
}

#[test]
fn failed_copies_are_reported_as_transient_and_made_on_the_next_tick() {
    let env = Env::start();
    let preds = env.predictions_csv("preds.csv", 20);
    let mut p = pilot(&env, &env.info.encrypted_product, &preds, None);
    env.fault(serde_json::json!({
        "prefix": "/backend-api/v1/artifacts/generate-upload-url", "status": 503, "count": 1000
    }));
    let failing = tick(&env, &mut p);
    assert!(!failing.failed.is_empty(), "{failing:?}");
    assert!(failing.failed.iter().all(|f| f.retryable), "{failing:?}");
    assert!(failing
        .failed
        .iter()
        .all(|f| f.target.as_ref().is_some_and(|t| t.order_id().is_some())));
    let failed = failing.failed.len();

    env.clear_faults();
    let healed = tick(&env, &mut p);
    assert_eq!(healed.uploaded.len(), failed, "{healed:?}");
    assert!(healed.failed.is_empty());
    assert_eq!(
        healed.delivered.len() + healed.uploaded.len(),
        healed.planned.len()
    );
}

#[cfg(unix)]
#[test]
fn sigint_between_ticks_stops_cleanly() {
    let env = Env::start();
    let preds = env.predictions_csv("preds.csv", 20);
    let mut cmd = crate::util::mkt_cmd(env.dir.path());
    cmd.env("NUMERBAY_API_URL", &env.info.numerbay_url)
        .env("NUMERBAY_USERNAME", &env.info.seller.username)
        .env("NUMERBAY_PASSWORD", &env.info.seller.password)
        .args([
            "numerbay",
            "autopilot",
            "--product",
            &env.info.plain_product,
            "--predictions",
            preds.to_str().expect("utf-8"),
            "--interval",
            "1h",
            "--state-file",
            env.path("state.json").to_str().expect("utf-8"),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = Killed(cmd.spawn().expect("spawn"));
    let rx = lines(&mut child.0);
    let mut seen = Vec::new();
    wait_for(&rx, "tick:", &mut seen);
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.0.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(s) = child.0.try_wait().expect("wait") {
            break s;
        }
        assert!(std::time::Instant::now() < deadline, "did not stop");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(130));
}
