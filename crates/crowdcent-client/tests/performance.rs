//! The performance table built from the submission list (spec §7.4).

mod util;

use crowdcent_client::{PerformanceQuery, SubmissionStatus};
use httpmock::prelude::*;
use serde_json::json;
use util::*;

#[tokio::test]
async fn rows_are_flattened_filtered_and_sorted() -> TestResult {
    let server = MockServer::start_async().await;
    let list = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(cpath("submissions/"))
                .query_param_missing("period")
                .header("authorization", AUTH);
            then.status(200).json_body(json!([
                submission_json(1, 1, "2025-07-23", true),
                submission_json(2, 2, "2025-07-25", true),
                submission_json(3, 1, "2025-07-26", false),
                submission_json(4, 1, "2025-07-24", true),
            ]));
        })
        .await;
    let ch = client(&server).challenge(SLUG)?;

    let rows = ch.performance(PerformanceQuery::default()).await?;
    let ids: Vec<u64> = rows.iter().map(|r| r.id).collect();
    assert_eq!(ids, vec![2, 4, 1], "scored only, newest release first");
    let r = &rows[0];
    assert_eq!(r.release_date.as_deref(), Some("2025-07-25"));
    assert_eq!(r.status, SubmissionStatus::Evaluated);
    assert_eq!(r.metric("score_spearman_10d"), Some(0.1));
    assert_eq!(r.metric("score_ndcg@40_30d"), Some(0.7));
    assert_eq!(r.metric("percentile_ndcg@40_30d"), Some(66.666667));
    assert_eq!(r.metric("composite_percentile"), Some(50.0));

    let json = serde_json::to_value(r)?;
    assert_eq!(json["score_spearman_30d"], 0.2, "metrics are flat keys");
    assert_eq!(json["slot"], 2);

    let slot1 = ch
        .performance(PerformanceQuery {
            scored_only: false,
            slot: Some(1),
        })
        .await?;
    let ids: Vec<u64> = slot1.iter().map(|r| r.id).collect();
    assert_eq!(ids, vec![3, 4, 1]);
    assert!(slot1[0].metrics.is_empty());
    list.assert_calls_async(2).await;
    Ok(())
}
