//! `mkt crowdcent run-daily`: wait → model → validate → submit against the sandbox, and every way it must fail.

use std::path::Path;
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use crate::util::{code, json, mkt, stderr, stdout, Env, MKT};

/// A model writing valid predictions: the inference ids (via `mkt frame convert` and awk), with
/// `pred_10d`/`pred_30d` in [0, 1].
const GOOD_MODEL: &str = r#""$MKT_BIN" frame convert {inference} inf.csv >/dev/null && awk -F, 'NR==1{print "id,pred_10d,pred_30d";next}{printf "%s,%.2f,0.5\n",$1,(NR%100)/100}' inf.csv > preds.csv && "$MKT_BIN" frame convert preds.csv {out} >/dev/null"#;

/// A model whose predictions break the [0, 1] range.
const OUT_OF_RANGE_MODEL: &str = r#""$MKT_BIN" frame convert {inference} inf.csv >/dev/null && awk -F, 'NR==1{print "id,pred_10d,pred_30d";next}{print $1",1.5,0.5"}' inf.csv > preds.csv && "$MKT_BIN" frame convert preds.csv {out} >/dev/null"#;

fn run_daily(env: &Env, extra: &[&str]) -> Output {
    let mut cmd = env.crowdcent_cmd();
    cmd.env("MKT_BIN", MKT)
        .args([
            "crowdcent",
            "run-daily",
            "--interval",
            "200ms",
            "--timeout",
            "60s",
        ])
        .args(extra);
    cmd.output().expect("run mkt")
}

fn submission_count(env: &Env) -> usize {
    let out = env.crowdcent(&["crowdcent", "submissions", "list", "--output", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    json(&out).as_array().map_or(0, Vec::len)
}

/// The release date (YYYY-MM-DD) of the newest inference period.
fn newest_period_date(env: &Env) -> String {
    let out = env.crowdcent(&["crowdcent", "inference", "get", "latest", "--output", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let v = json(&out);
    let item = if v.is_array() { v[0].clone() } else { v };
    item["release_date"].as_str().expect("release_date")[..10].to_owned()
}

#[test]
fn waits_for_the_period_then_runs_the_model_and_submits() {
    let env = Env::start();
    let today = newest_period_date(&env);
    // Close today's window: `current` now answers 404 and run-daily has to wait.
    env.control("/clock/advance", serde_json::json!({"seconds": 4 * 3600 + 60}));
    let out_dir = env.path("runs");
    let child = env
        .crowdcent_cmd()
        .env("MKT_BIN", MKT)
        .args([
            "--output",
            "json",
            "crowdcent",
            "run-daily",
            "--model-cmd",
            GOOD_MODEL,
        ])
        .args(["--interval", "200ms", "--timeout", "60s", "--notes", "e2e daily"])
        .arg("--out-dir")
        .arg(&out_dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn mkt");
    // run-daily is polling once it says so on stderr (nothing is written before the file exists).
    let mut child = child;
    let stderr_text = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let reader = {
        let mut pipe = child.stderr.take().expect("stderr piped");
        let text = std::sync::Arc::clone(&stderr_text);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = std::io::Read::read(&mut pipe, &mut buf) {
                if n == 0 {
                    break;
                }
                text.lock()
                    .expect("lock")
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        })
    };
    let started = Instant::now();
    while !stderr_text.lock().expect("lock").contains("waiting for") {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "run-daily never started waiting"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        !has_partial_download(&out_dir),
        "nothing is written while waiting"
    );
    // Publish the next day's period.
    let next = next_day(&today);
    env.control(
        "/clock/set",
        serde_json::json!({"now": format!("{next}T14:02:00Z")}),
    );
    let out = child.wait_with_output().expect("mkt finishes");
    reader.join().expect("stderr reader");
    let err = stderr_text.lock().expect("lock").clone();
    assert_eq!(code(&out), 0, "stdout:\n{}\nstderr:\n{err}", stdout(&out));
    assert!(err.contains("waiting for"), "{err}");
    assert!(err.contains("submitted"), "{err}");
    let result = json(&out);
    assert_eq!(result["date"], next.as_str());
    assert_eq!(result["kind"], "created");
    assert_eq!(result["submitted"], true);
    assert_eq!(result["dry_run"], false);
    assert_eq!(result["slot"], 1);
    assert!(
        result["match_info"]["matched_ids"].as_u64().unwrap_or(0) >= 80,
        "{result}"
    );
    assert_eq!(result["match_info"]["unmatched_ids"], 0);
    let path = result["path"].as_str().expect("path");
    assert!(path.ends_with(&format!("predictions_{next}.parquet")), "{path}");
    assert!(Path::new(path).is_file());
    assert!(out_dir
        .join(format!("hyperliquid-ranking_inference_{next}.parquet"))
        .is_file());
    assert!(!has_partial_download(&out_dir), "temporary download left behind");

    // The submission is on the server, in the new period, with the notes.
    let list = env.crowdcent(&["crowdcent", "submissions", "list", "--output", "json"]);
    let list = json(&list);
    let id = result["submission_id"].as_u64().expect("submission id");
    let sub = list
        .as_array()
        .and_then(|a| a.iter().find(|s| s["id"].as_u64() == Some(id)))
        .unwrap_or_else(|| panic!("submission {id} not listed: {list}"));
    assert_eq!(sub["slot"], 1);
    assert_eq!(sub["notes"], "e2e daily");
    assert!(sub["inference_data_release_date"]
        .as_str()
        .is_some_and(|d| d.starts_with(&next)));
}

#[test]
fn dry_run_validates_everything_but_submits_nothing() {
    let env = Env::start();
    let before = submission_count(&env);
    let out = run_daily(
        &env,
        &[
            "--model-cmd",
            GOOD_MODEL,
            "--dry-run",
            "--output",
            "json",
            "--out-dir",
            "dry",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("nothing was submitted"), "{}", stderr(&out));
    let result = json(&out);
    assert_eq!(result["dry_run"], true);
    assert_eq!(result["submitted"], false);
    assert!(result["kind"].is_null());
    assert!(result["submission_id"].is_null());
    assert!(
        result["match_info"]["matched_ids"].as_u64().unwrap_or(0) >= 80,
        "{result}"
    );
    assert!(Path::new(result["path"].as_str().expect("path")).is_file());
    assert_eq!(submission_count(&env), before);

    // Table output: one row naming the dry run.
    let out = run_daily(
        &env,
        &["--model-cmd", GOOD_MODEL, "--dry-run", "--out-dir", "dry"],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("dry-run"), "{}", stdout(&out));
    assert_eq!(submission_count(&env), before);
}

#[test]
fn a_failing_model_fails_loudly_with_its_exit_code_and_stderr() {
    let env = Env::start();
    let before = submission_count(&env);
    let out = run_daily(&env, &["--model-cmd", "echo 'model exploded' >&2; exit 7"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("exit code 7"), "{err}");
    assert!(err.contains("model exploded"), "{err}");
    assert!(err.contains("nothing was submitted"), "{err}");

    // Exiting 0 without writing the output is a failure too.
    let out = run_daily(&env, &["--model-cmd", "true"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("wrote no file"), "{}", stderr(&out));
    assert_eq!(submission_count(&env), before);
}

#[test]
fn invalid_predictions_exit_5_and_are_never_submitted() {
    let env = Env::start();
    let before = submission_count(&env);
    let out = run_daily(&env, &["--model-cmd", OUT_OF_RANGE_MODEL]);
    assert_eq!(code(&out), 5, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("nothing was sent"), "{err}");
    assert!(err.contains("pred_10d"), "{err}");
    assert_eq!(submission_count(&env), before);
}

#[test]
fn a_deadline_that_would_be_missed_fails_before_the_model_runs() {
    let env = Env::start();
    let before = submission_count(&env);
    // The seeded window lasts 4 h: a 5 h margin leaves no time at all.
    let out = run_daily(
        &env,
        &["--model-cmd", "touch model-ran", "--deadline-margin", "5h"],
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("deadline would be missed"), "{err}");
    assert_eq!(
        err.lines().filter(|l| l.starts_with("error:")).count(),
        1,
        "{err}"
    );
    assert!(!env.path("model-ran").exists(), "the model ran anyway");
    assert_eq!(submission_count(&env), before);
}

// A model still running at the cutoff is stopped: tested deterministically, with paused time, in
// crowdcent-client (`daily::run::tests`) and for its message in mkt-cli (`run_daily::report`).

#[test]
fn deployment_helpers_need_no_key_and_no_network() {
    let out = mkt(&[
        "crowdcent",
        "run-daily",
        "--model-cmd",
        "python predict.py {inference} {out}",
        "--slot",
        "2",
        "--print-systemd",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let unit = stdout(&out);
    for needle in [
        "[Service]",
        "Type=oneshot",
        "EnvironmentFile=",
        "ExecStart=",
        "run-daily --model-cmd \"python predict.py {inference} {out}\" --slot 2",
        "[Timer]",
        "OnCalendar=*-*-* 14:05:00 UTC",
        "Persistent=true",
        "WantedBy=timers.target",
    ] {
        assert!(unit.contains(needle), "missing {needle:?} in:\n{unit}");
    }

    let out = mkt(&[
        "crowdcent",
        "-c",
        "hyperliquid-ranking",
        "run-daily",
        "--model-cmd",
        "python predict.py {inference} {out}",
        "--print-cron",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let cron = stdout(&out);
    let line = cron
        .lines()
        .find(|l| l.starts_with("5 14 * * * "))
        .unwrap_or_else(|| panic!("no crontab line in:\n{cron}"));
    assert!(
        line.contains(
            "crowdcent -c hyperliquid-ranking run-daily --model-cmd 'python predict.py {inference} {out}'"
        ),
        "{line}"
    );
    assert!(cron.contains("CRON_TZ=UTC"));

    let out = mkt(&[
        "--output",
        "json",
        "crowdcent",
        "run-daily",
        "--model-cmd",
        "./predict.sh",
        "--print-systemd",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["timer_name"], "mkt-crowdcent-daily.timer");
    assert!(v["service"].as_str().is_some_and(|s| s.contains("ExecStart=")));
}

#[test]
fn deployment_helpers_refuse_to_invent_a_model_command() {
    for flag in ["--print-systemd", "--print-cron"] {
        let out = mkt(&["crowdcent", "run-daily", flag]);
        let err = stderr(&out);
        assert_eq!(code(&out), 2, "{flag}: {err}");
        assert!(err.contains(&format!("{flag} needs --model-cmd")), "{err}");
        assert!(stdout(&out).is_empty(), "printed a unit anyway: {}", stdout(&out));
    }
}

#[test]
fn the_model_command_is_required_to_run() {
    let out = mkt(&["crowdcent", "run-daily"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    // Missing credentials are exit 3, before any request.
    let out = mkt(&["crowdcent", "-c", "x", "run-daily", "--model-cmd", "true"]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
}

fn has_partial_download(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .filter_map(Result::ok)
            .any(|e| e.file_name().to_string_lossy().contains(".mkt-"))
    })
}

/// `YYYY-MM-DD` plus one day (Gregorian calendar).
pub(crate) fn next_day(date: &str) -> String {
    let parts: Vec<u32> = date.split('-').map(|p| p.parse().expect("date part")).collect();
    let (y, m, d) = (parts[0], parts[1], parts[2]);
    let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    let days = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    let (y, m, d) = if d < days {
        (y, m, d + 1)
    } else if m < 12 {
        (y, m + 1, 1)
    } else {
        (y + 1, 1, 1)
    };
    format!("{y:04}-{m:02}-{d:02}")
}

#[test]
fn next_day_rolls_months_and_years() {
    assert_eq!(next_day("2026-11-24"), "2026-11-25");
    assert_eq!(next_day("2024-02-28"), "2024-02-29");
    assert_eq!(next_day("2026-02-28"), "2026-03-01");
    assert_eq!(next_day("2026-12-31"), "2027-01-01");
}
