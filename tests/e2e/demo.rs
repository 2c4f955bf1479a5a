//! The README's main job: `mkt sandbox demo`.

use crate::util::{code, json, mkt, stderr, stdout};

#[test]
fn sandbox_demo_runs_the_whole_story_and_exits_zero() {
    let out = mkt(&["sandbox", "demo"]);
    assert_eq!(
        code(&out),
        0,
        "stdout:\n{}\nstderr:\n{}",
        stdout(&out),
        stderr(&out)
    );
    let text = stdout(&out);
    for needle in [
        "seller uploaded",
        "buyer downloaded",
        "identical",
        "submitted",
        "listed",
    ] {
        assert!(text.contains(needle), "missing `{needle}` in:\n{text}");
    }
}

#[test]
fn sandbox_demo_json_summary_reports_matching_bytes_and_a_submission() {
    let out = mkt(&["--output", "json", "sandbox", "demo"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let summary = json(&out);
    assert_eq!(summary["bytes_match"], true);
    assert!(summary["downloaded_bytes"].as_u64().unwrap() > 0);
    assert!(summary["uploads"].as_array().unwrap().len() >= 2, "{summary}");
    assert_eq!(summary["submission"], "created");
    assert!(summary["submissions_listed"].as_u64().unwrap() >= 1);
    assert!(summary["numerbay_url"]
        .as_str()
        .unwrap()
        .ends_with("/backend-api/v1"));
}
