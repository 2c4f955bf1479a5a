//! Every public async function's future is `Send + 'static` once its inputs are moved in: it can
//! be `tokio::spawn`ed on a multi-thread runtime. Compiled, not run (the calls need a server).
#![cfg(feature = "daily")]

use std::path::PathBuf;

use crowdcent_client::daily::{self, DailyOptions};
use crowdcent_client::mkt_fs::Destination;
use crowdcent_client::{
    ChallengeClient, CrowdCent, DataFormat, InferenceRef, PerformanceQuery, Period, SubmitOptions,
    TrainingVersion, WaitOptions,
};

/// The inputs of the calls, passed in so no value needs inventing.
struct Inputs {
    dest: Destination,
    period: Option<Period>,
    query: PerformanceQuery,
    submit: SubmitOptions,
    daily: DailyOptions,
    predictions: PathBuf,
}

fn spawn_every_call(cc: CrowdCent, ch: ChallengeClient, i: Inputs) {
    macro_rules! spawn {
        (|$c:ident = $from:ident| $body:expr) => {{
            let $c = $from.clone();
            drop(tokio::spawn(async move { $body.await.map(|_| ()) }));
        }};
    }
    let Inputs {
        dest,
        period,
        query,
        submit,
        daily,
        predictions,
    } = i;
    spawn!(|c = cc| c.list_challenges());
    spawn!(|c = cc| c.auth_check());
    spawn!(|c = ch| c.get());
    spawn!(|c = ch| c.list_training_datasets());
    spawn!(|c = ch| async move { c.training_dataset(&TrainingVersion::Latest).await });
    spawn!(|c = ch| async move { c.training_dataset_url(&TrainingVersion::Latest, DataFormat::Parquet).await });
    let d = dest.clone();
    spawn!(|c = ch| async move {
        c.download_training_dataset(&TrainingVersion::Latest, DataFormat::Parquet, &d, None)
            .await
    });
    spawn!(|c = ch| async move { c.resolve_training_version(&TrainingVersion::Latest).await });
    spawn!(|c = ch| c.meta_model_url(DataFormat::Csv));
    let d = dest.clone();
    spawn!(|c = ch| async move { c.download_meta_model(DataFormat::Csv, &d, None).await });
    spawn!(|c = ch| c.list_inference_periods());
    spawn!(|c = ch| c.inference_period(InferenceRef::Current));
    spawn!(|c = ch| c.resolve_inference_date(InferenceRef::Current));
    spawn!(|c = ch| c.inference_url(InferenceRef::Current, DataFormat::Parquet));
    let d = dest.clone();
    spawn!(|c = ch| async move {
        c.download_inference(InferenceRef::Current, DataFormat::Parquet, &d, None)
            .await
    });
    spawn!(|c = ch| async move {
        c.wait_for_inference(&dest, DataFormat::Parquet, WaitOptions::default(), None)
            .await
    });
    spawn!(|c = ch| c.list_submissions(period));
    spawn!(|c = ch| c.submission(1));
    spawn!(|c = ch| c.performance(query));
    let p = predictions.clone();
    spawn!(|c = ch| c.submit(p, submit));
    spawn!(|c = ch| async move { daily::run(&c, daily).await });
    let p = predictions.clone();
    spawn!(|c = ch| async move {
        let _ = &c;
        daily::validate_against_inference(&p, &predictions, frame_io::validate::CROWDCENT_HYPERLIQUID).await
    });
}

#[test]
fn every_public_future_can_be_spawned() {
    // Referencing the function makes the compiler check every spawn above.
    let check: fn(CrowdCent, ChallengeClient, Inputs) = spawn_every_call;
    let _ = check;
}
