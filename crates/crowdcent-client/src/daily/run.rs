//! One unattended daily submission: wait for the inference file, run the model command before the
//! cutoff, validate its output against the inference ids, submit.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use frame_io::validate::CROWDCENT_HYPERLIQUID;
use marketplace_core::command::{self, Ended, LineSink, ShellCommand};
use marketplace_types::crowdcent::{InferencePeriod, MatchInfo};
use serde::Serialize;

use super::{cutoff, default_predictions_path, time_left, validate_against_inference, DailyError};
use crate::{
    period_date, ChallengeClient, DataFormat, Error, InferenceRef, ReleaseDate, SubmitKind, SubmitOptions,
    WaitOptions,
};

/// Whether a run submits the validated file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Mode {
    /// Submit the file once it is valid.
    #[default]
    Submit,
    /// Do everything but submit.
    DryRun,
}

/// Receives a daily run's progress events.
pub type EventSink = Arc<dyn Fn(&DailyEvent<'_>) + Send + Sync>;

/// What one daily run does. Build it with [`DailyOptions::new`].
#[derive(Clone)]
pub struct DailyOptions {
    /// The model command, run with `sh -c`: `{inference}` and `{out}` become the quoted paths
    /// (also in `$MKT_INFERENCE` and `$MKT_OUT`; `$MKT_DATE`, `$MKT_DEADLINE` and
    /// `$MKT_CHALLENGE` are set too).
    pub model_command: String,
    /// Where the inference file (`<slug>_inference_<date>.parquet`) and the predictions
    /// (`predictions_<date>.parquet`) go; make it absolute, the model sees these paths.
    pub out_dir: PathBuf,
    /// The model must finish this long before the period's submission deadline.
    pub deadline_margin: Duration,
    /// Waiting for the inference file.
    pub wait: WaitOptions,
    /// Slot, notes, experimental flag and queueing of the submission (its validation settings
    /// are replaced: the run validates against the inference file on disk).
    pub submit: SubmitOptions,
    /// Submit, or stop after validation.
    pub mode: Mode,
    /// Receives the model's output lines.
    pub on_model_line: Option<LineSink>,
    /// Receives the run's progress.
    pub on_event: Option<EventSink>,
}

impl std::fmt::Debug for DailyOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DailyOptions")
            .field("model_command", &self.model_command)
            .field("out_dir", &self.out_dir)
            .field("deadline_margin", &self.deadline_margin)
            .field("wait", &self.wait)
            .field("submit", &self.submit)
            .field("mode", &self.mode)
            .finish_non_exhaustive()
    }
}

impl DailyOptions {
    /// Defaults: a 10-minute margin, the default wait and submit options, [`Mode::Submit`], no
    /// callbacks.
    pub fn new(model_command: impl Into<String>, out_dir: impl Into<PathBuf>) -> Self {
        Self {
            model_command: model_command.into(),
            out_dir: out_dir.into(),
            deadline_margin: Duration::from_secs(600),
            wait: WaitOptions::default(),
            submit: SubmitOptions::default(),
            mode: Mode::Submit,
            on_model_line: None,
            on_event: None,
        }
    }
}

/// Progress of a run, for logs.
#[derive(Debug)]
#[non_exhaustive]
pub enum DailyEvent<'a> {
    /// The period is out; its file is being downloaded.
    Downloading {
        /// The period's date.
        date: ReleaseDate,
    },
    /// No period yet: polling for it.
    Waiting {
        /// The wait settings.
        wait: &'a WaitOptions,
    },
    /// The awaited file arrived.
    InferenceOut {
        /// The period's date.
        date: ReleaseDate,
    },
    /// A predictions file of an earlier run is removed first.
    RemovingStale {
        /// The file.
        path: &'a Path,
    },
    /// The model command starts.
    RunningModel {
        /// The filled-in script.
        script: &'a str,
        /// Time left until the cutoff.
        left: Duration,
        /// The cutoff.
        cutoff: DateTime<Utc>,
    },
    /// The model's output is being validated.
    Validating {
        /// The predictions.
        predictions: &'a Path,
        /// The inference file.
        inference: &'a Path,
    },
}

/// Which step could not be reached in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LateStage {
    /// The cutoff had passed before the model could start.
    BeforeModel,
    /// The model finished after the cutoff.
    AfterModel,
    /// The submission window closed before the upload.
    BeforeUpload,
}

/// What one run did (the CLI prints exactly this object as JSON).
#[derive(Debug, Clone, Serialize)]
pub struct DailyReport {
    /// The challenge slug.
    pub challenge: String,
    /// The period's date.
    pub date: String,
    /// The inference file.
    pub inference: PathBuf,
    /// The predictions file.
    pub path: PathBuf,
    /// The submission deadline, `2025-06-09T18:01:01Z`.
    pub deadline: String,
    /// The slot.
    pub slot: u32,
    /// Whether this was a dry run.
    pub dry_run: bool,
    /// Whether the file was submitted.
    pub submitted: bool,
    /// Created, replaced or queued (for the next period: the window had closed).
    pub kind: Option<SubmitKind>,
    /// The submission's id.
    pub submission_id: Option<u64>,
    /// Whether a copy was queued for the next period.
    pub queued_for_next: bool,
    /// The server's code when the copy for the next period was refused.
    pub queue_error_code: Option<String>,
    /// The server's explanation of that refusal (not part of the JSON object).
    #[serde(skip)]
    pub queue_error: Option<String>,
    /// The server's match information (the local one for a dry run).
    pub match_info: Option<MatchInfo>,
}

/// Runs one daily submission on `challenge`. See the [module docs](super).
///
/// # Errors
/// [`DailyError::Late`] when the cutoff or the deadline would be missed, [`DailyError::ModelKilled`],
/// [`DailyError::ModelFailed`] and [`DailyError::ModelNoOutput`] for the model,
/// [`Error::Rejected`] (inside [`DailyError::Client`]) for invalid predictions, and client errors.
pub async fn run(challenge: &ChallengeClient, options: DailyOptions) -> Result<DailyReport, DailyError> {
    let emit = |event: DailyEvent<'_>| {
        if let Some(f) = &options.on_event {
            f(&event);
        }
    };
    let io = |path: &Path, op: &'static str| {
        let path = path.to_owned();
        move |source| DailyError::Client(Error::Io { path, op, source })
    };
    tokio::fs::create_dir_all(&options.out_dir)
        .await
        .map_err(io(&options.out_dir, "create"))?;
    let (period, inference) = fetch_inference(challenge, &options, &emit).await?;
    let date = period_date(&period);
    let cut = cutoff(period.submission_deadline, options.deadline_margin);
    let late = |stage| DailyError::late(&period, options.deadline_margin, stage);
    let Some(left) = time_left(cut, Utc::now()) else {
        return Err(late(LateStage::BeforeModel));
    };
    let out = default_predictions_path(&options.out_dir, date);
    if tokio::fs::try_exists(&out).await.unwrap_or(false) {
        emit(DailyEvent::RemovingStale { path: &out });
        tokio::fs::remove_file(&out).await.map_err(io(&out, "remove"))?;
    }
    let script = command::fill(
        &options.model_command,
        &[
            ("inference", &inference.to_string_lossy()),
            ("out", &out.to_string_lossy()),
        ],
    );
    emit(DailyEvent::RunningModel {
        script: &script,
        left,
        cutoff: cut,
    });
    let shell = ShellCommand {
        script: script.clone(),
        env: model_env(challenge, &inference, &out, date, &period),
        on_line: options.on_model_line.clone(),
    };
    let window = Window {
        cutoff: cut,
        deadline: period.submission_deadline,
        margin: options.deadline_margin,
    };
    run_model(&shell, left, &window, &out).await?;
    if time_left(cut, Utc::now()).is_none() {
        return Err(late(LateStage::AfterModel));
    }
    emit(DailyEvent::Validating {
        predictions: &out,
        inference: &inference,
    });
    let report = validate_against_inference(&out, &inference, CROWDCENT_HYPERLIQUID).await?;
    if !report.is_valid() {
        return Err(Error::Rejected {
            report: Box::new(report),
        }
        .into());
    }
    let mut result = DailyReport {
        challenge: challenge.slug().to_owned(),
        date: date.to_string(),
        inference,
        path: out.clone(),
        deadline: stamp(&period.submission_deadline),
        slot: options.submit.slot,
        dry_run: options.mode == Mode::DryRun,
        submitted: false,
        kind: None,
        submission_id: None,
        queued_for_next: false,
        queue_error_code: None,
        queue_error: None,
        match_info: report.match_info.as_ref().map(|m| MatchInfo {
            matched_ids: m.matched_ids,
            unmatched_ids: m.unmatched_ids,
            message: Some(m.message.clone()),
        }),
    };
    if options.mode == Mode::DryRun {
        return Ok(result);
    }
    if time_left(period.submission_deadline, Utc::now()).is_none() {
        return Err(late(LateStage::BeforeUpload));
    }
    let submit = SubmitOptions {
        // Validated above against the inference file on disk.
        validate: false,
        check_inference_ids: false,
        ..options.submit.clone()
    };
    let outcome = challenge.submit(out.as_path(), submit).await?;
    result.submitted = true;
    result.kind = Some(outcome.kind);
    result.submission_id = outcome.response.id;
    result.queued_for_next = outcome.queued_for_next();
    result.queue_error_code = outcome.response.queue_error_code.clone();
    result.queue_error = outcome.response.queue_error.clone();
    if let Some(m) = outcome.response.match_info.clone() {
        result.match_info = Some(m);
    }
    Ok(result)
}

/// The period's times, for the model's errors.
struct Window {
    cutoff: DateTime<Utc>,
    deadline: DateTime<Utc>,
    margin: Duration,
}

/// Runs the model until it exits or `left` passes on the tokio clock (then it is stopped), and
/// checks that it succeeded and wrote `out`.
async fn run_model(
    shell: &ShellCommand,
    left: Duration,
    window: &Window,
    out: &Path,
) -> Result<(), DailyError> {
    let ended = command::run(shell, Some(tokio::time::Instant::now() + left))
        .await
        .map_err(|source| DailyError::ModelSpawn { source })?;
    match ended {
        Ended::Killed { tail } => Err(DailyError::ModelKilled {
            cutoff: window.cutoff,
            deadline: window.deadline,
            margin: window.margin,
            tail,
        }),
        Ended::Exited { status, tail } if !status.success() => Err(DailyError::ModelFailed {
            code: status.code(),
            tail,
        }),
        Ended::Exited { .. } if !out.is_file() => Err(DailyError::ModelNoOutput { path: out.to_owned() }),
        Ended::Exited { .. } => Ok(()),
    }
}

/// `2025-06-09T18:01:01Z`: whole seconds, UTC.
pub fn stamp(t: &DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Waits for (or finds) the current period's file and names it after the period's date.
async fn fetch_inference(
    ch: &ChallengeClient,
    options: &DailyOptions,
    emit: &impl Fn(DailyEvent<'_>),
) -> Result<(InferencePeriod, PathBuf), DailyError> {
    let name = |d: ReleaseDate| {
        options
            .out_dir
            .join(format!("{}_inference_{d}.parquet", ch.slug()))
    };
    // The working directory is the run's own: a re-run of the day replaces its files.
    let own = |path: PathBuf| mkt_fs::Destination::chosen(path).force(true).resolve();
    match ch.inference_period(InferenceRef::Current).await {
        Ok(period) => {
            // Known already: fail before downloading when it is too late anyway.
            let cut = cutoff(period.submission_deadline, options.deadline_margin);
            if time_left(cut, Utc::now()).is_none() {
                return Err(DailyError::late(
                    &period,
                    options.deadline_margin,
                    LateStage::BeforeModel,
                ));
            }
            let dest = name(period_date(&period));
            emit(DailyEvent::Downloading {
                date: period_date(&period),
            });
            ch.wait_for_inference(&own(dest.clone())?, DataFormat::Parquet, options.wait, None)
                .await?;
            Ok((period, dest))
        }
        Err(e) if e.is_not_found() => {
            emit(DailyEvent::Waiting { wait: &options.wait });
            let provisional = options
                .out_dir
                .join(format!("{}_inference_pending.parquet", ch.slug()));
            ch.wait_for_inference(
                &own(provisional.clone())?,
                DataFormat::Parquet,
                options.wait,
                None,
            )
            .await?;
            let period = ch.inference_period(InferenceRef::Current).await?;
            let dest = name(period_date(&period));
            own(dest.clone())?.place(&provisional)?;
            emit(DailyEvent::InferenceOut {
                date: period_date(&period),
            });
            Ok((period, dest))
        }
        Err(e) => Err(e.into()),
    }
}

fn model_env(
    ch: &ChallengeClient,
    inference: &Path,
    out: &Path,
    date: ReleaseDate,
    period: &InferencePeriod,
) -> Vec<(String, OsString)> {
    vec![
        ("MKT_INFERENCE".into(), inference.as_os_str().to_owned()),
        ("MKT_OUT".into(), out.as_os_str().to_owned()),
        ("MKT_DATE".into(), date.to_string().into()),
        ("MKT_DEADLINE".into(), stamp(&period.submission_deadline).into()),
        ("MKT_CHALLENGE".into(), ch.slug().into()),
    ]
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn window() -> Window {
        let deadline = Utc::now() + chrono::TimeDelta::hours(2);
        Window {
            cutoff: deadline - chrono::TimeDelta::hours(1),
            deadline,
            margin: Duration::from_secs(3600),
        }
    }

    // Paused time: the hour until the cutoff passes as soon as the runtime only waits for the
    // model, so the outcome does not depend on the machine's speed.
    #[tokio::test(start_paused = true)]
    async fn a_model_still_running_at_the_cutoff_is_stopped() {
        let dir = tempfile::tempdir().expect("tempdir");
        let finished = dir.path().join("finished");
        let out = dir.path().join("out.parquet");
        let shell = ShellCommand::new(command::fill(
            "echo thinking >&2; sleep 60; touch {done}; touch {out}",
            &[
                ("done", &finished.to_string_lossy()),
                ("out", &out.to_string_lossy()),
            ],
        ));
        let err = run_model(&shell, Duration::from_secs(3600), &window(), &out)
            .await
            .expect_err("stopped at the cutoff");
        assert!(
            matches!(err, DailyError::ModelKilled { margin, .. } if margin == Duration::from_secs(3600)),
            "{err:?}"
        );
        assert!(!finished.exists());
        assert!(!out.exists());
    }

    // Real time: these commands end at once (paused time would jump to the cutoff while the
    // runtime waits for them).
    #[tokio::test]
    async fn a_failing_or_silent_model_is_reported() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("out.parquet");
        let failing = ShellCommand::new("echo boom >&2; exit 3");
        let err = run_model(&failing, Duration::from_secs(3600), &window(), &out)
            .await
            .expect_err("fails");
        assert!(
            matches!(&err, DailyError::ModelFailed { code: Some(3), tail } if tail == &["boom".to_owned()]),
            "{err:?}"
        );
        let silent = ShellCommand::new("true");
        let err = run_model(&silent, Duration::from_secs(3600), &window(), &out)
            .await
            .expect_err("no output");
        assert!(matches!(err, DailyError::ModelNoOutput { .. }), "{err:?}");
    }
}
