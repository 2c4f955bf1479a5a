//! The seller's round autopilot: each [`Autopilot::tick`] uploads exactly the copies still missing.
//!
//! A tick reads the selling round, resolves the product, lists its active sales, plans the copies
//! `upload_artifact` would make ([`plan::plan_upload`]), asks the server which of them already have
//! an active artifact for the round, and uploads only the others (per order, through
//! [`NumerBay::upload_artifact`] with `order_id`). What was delivered is always derived from the
//! server, so a second tick uploads nothing and a restart after a crash uploads nothing twice; an
//! upload cut short leaves a `pending` artifact, which does not count, so it is redone.
//!
//! Predictions come from a file or a command run once per round ([`PredictionsSource`]); they are
//! validated with a frame-io [`RuleSet`] before anything is uploaded. A small JSON state file
//! ([`AutopilotState`]) remembers the round's predictions and uploads across restarts.
//!
//! ```no_run
//! use numerbay_client::autopilot::{AutopilotConfig, PredictionsSource};
//! use numerbay_client::{Autopilot, Credentials, NumerBay, ProductRef};
//!
//! # async fn run() -> Result<(), numerbay_client::AutopilotError> {
//! let nb = NumerBay::builder()
//!     .base_url("http://127.0.0.1:8000/backend-api/v1")
//!     .credentials(Credentials::new("seller", "password"))
//!     .build()?;
//! let mut config = AutopilotConfig::new(
//!     ProductRef::FullName("numerai-predictions-mymodel".into()),
//!     PredictionsSource::Command("python predict.py {out}".into()),
//! );
//! config.state_file = Some("autopilot.json".into());
//! let mut pilot = Autopilot::new(nb, config)?;
//! let report = pilot.tick().await?;
//! println!("{} uploaded, {} already delivered", report.uploaded.len(), report.delivered.len());
//! # Ok(())
//! # }
//! ```

pub(crate) mod delivered;
mod error;
mod group;
mod predictions;
mod report;
mod single;
mod state;

use std::path::PathBuf;
use std::sync::Arc;

use frame_io::RuleSet;
use marketplace_types::numerbay::{OrderId, OrderRole, Product, ProductId};

pub use error::AutopilotError;
pub use predictions::{PredictionsInfo, PredictionsSource};
pub use report::{
    AutopilotEvent, AutopilotObserver, DeliveredTarget, StopHandle, TickFailure, TickReport, TickUpload,
};
pub use state::{AutopilotState, PredictionsRecord, RoundState};

use crate::plan::{self, UploadTarget};
use crate::report::{TargetError, UploadedArtifact};
use crate::{ArtifactSource, NumerBay, OrderQuery, ProductRef, UploadOptions, DEFAULT_CONCURRENCY};
use delivered::ServerState;
use group::{chain, group, target_key, Group};

/// What the autopilot works on and how.
#[derive(Debug, Clone)]
pub struct AutopilotConfig {
    /// The product to deliver.
    pub product: ProductRef,
    /// Where each round's predictions come from.
    pub predictions: PredictionsSource,
    /// The rules predictions must pass before any upload (default `numerai-classic`).
    pub rules: &'static RuleSet,
    /// Lock the product for the round once every copy of the round is delivered (spec §4.7).
    pub lock_after_upload: bool,
    /// The state file; `None` keeps state in memory only (a command then runs again after a restart).
    pub state_file: Option<PathBuf>,
    /// Where the predictions command writes its output (`r<round>-<output_name>`).
    pub work_dir: PathBuf,
    /// File name of the command's output; its extension becomes the artifact's.
    pub output_name: String,
    /// Copies of one order uploaded at the same time.
    pub concurrency: usize,
}

impl AutopilotConfig {
    /// Defaults: `numerai-classic` rules, no lock, no state file, work dir `<tmp>/mkt-autopilot`,
    /// output `predictions.csv`.
    pub fn new(product: ProductRef, predictions: PredictionsSource) -> Self {
        Self {
            product,
            predictions,
            rules: &frame_io::validate::NUMERAI_CLASSIC,
            lock_after_upload: false,
            state_file: None,
            work_dir: std::env::temp_dir().join("mkt-autopilot"),
            output_name: "predictions.csv".to_owned(),
            concurrency: DEFAULT_CONCURRENCY,
        }
    }
}

/// The seller's autopilot for one product. See the [module docs](self).
pub struct Autopilot {
    nb: NumerBay,
    config: AutopilotConfig,
    product_id: Option<ProductId>,
    state: AutopilotState,
    observer: Option<Arc<dyn AutopilotObserver>>,
    stop: StopHandle,
}

impl std::fmt::Debug for Autopilot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Autopilot")
            .field("config", &self.config)
            .field("product_id", &self.product_id)
            .finish_non_exhaustive()
    }
}

impl Autopilot {
    /// An autopilot with `config`, loading the state file when there is one.
    ///
    /// # Errors
    /// [`AutopilotError::State`] / [`AutopilotError::StateParse`] for an unreadable state file.
    pub fn new(nb: NumerBay, config: AutopilotConfig) -> Result<Self, AutopilotError> {
        let state = match &config.state_file {
            Some(p) => AutopilotState::load(p)?,
            None => AutopilotState::default(),
        };
        Ok(Self {
            nb,
            config,
            product_id: None,
            state,
            observer: None,
            stop: StopHandle::default(),
        })
    }

    /// Reports events to `observer`.
    pub fn with_observer(mut self, observer: Arc<dyn AutopilotObserver>) -> Self {
        self.observer = Some(observer);
        self
    }

    /// A handle that stops running ticks before their next upload.
    pub fn stop_handle(&self) -> StopHandle {
        self.stop.clone()
    }

    /// The state as remembered (and saved to the state file, if any).
    pub fn state(&self) -> &AutopilotState {
        &self.state
    }

    /// Runs one tick: uploads every copy of the selling round that has no active artifact yet.
    ///
    /// # Errors
    /// Failures before any upload: globals, product resolution ([`crate::Error::ProductNotFound`]),
    /// listing sales or artifacts, invalid or missing predictions, a failing predictions command,
    /// the state file; and credentials rejected during an upload. Per-copy failures are in the
    /// report instead.
    pub async fn tick(&mut self) -> Result<TickReport, AutopilotError> {
        let round = self.nb.globals().await?.selling_round;
        let product = self.resolve_product().await?;
        let encrypted = product.use_encryption.unwrap_or(false);
        let sales = if encrypted {
            let query = OrderQuery {
                role: Some(OrderRole::Seller),
                product: Some(product.id),
                active_in_round: Some(round),
            };
            self.nb.list_orders(&query).await?
        } else {
            Vec::new()
        };
        let plan = plan::plan_upload(&product, round, &sales, None);

        let info = self.prepare_predictions(round).await?;

        let mut server = ServerState::default();
        if plan.targets.iter().any(|t| t.order_id().is_none()) {
            server.product_artifacts = self.nb.product_artifacts(product.id).await?.data;
        }
        for sale in &sales {
            server.order_artifacts.insert(sale.id, sale.artifacts.clone());
        }
        // Confirm apparently missing order copies with the dedicated listing (spec §2.13) before
        // uploading: steady-state ticks never get here.
        let mut confirm: Vec<OrderId> = plan
            .targets
            .iter()
            .filter(|t| server.delivered(t, round).is_none())
            .filter_map(UploadTarget::order_id)
            .collect();
        confirm.dedup();
        for order in confirm {
            let listed = self.nb.order_artifacts(order, true).await?.data;
            server.order_artifacts.entry(order).or_default().extend(listed);
        }
        let (mut delivered, mut missing) = (Vec::new(), Vec::new());
        for target in &plan.targets {
            match server.delivered(target, round) {
                Some(artifact_id) => delivered.push(DeliveredTarget {
                    target: target.clone(),
                    artifact_id,
                }),
                None => missing.push(target.clone()),
            }
        }
        let mut report = TickReport {
            product_id: product.id,
            sku: product.sku.clone(),
            selling_round: round,
            predictions: info,
            active_sales: sales.iter().filter(|s| s.is_active_for(round)).count(),
            planned: plan.targets.clone(),
            skipped: plan.skipped.clone(),
            delivered,
            uploaded: Vec::new(),
            failed: Vec::new(),
            not_attempted: Vec::new(),
            locked: None,
            round_closed: false,
            stopped: false,
        };
        let groups = group(&plan.targets, &plan.skipped, missing, encrypted);
        let upload_result = self.upload_groups(&product, groups, &mut report).await;
        self.save()?;
        upload_result?;
        if self.config.lock_after_upload && !report.planned.is_empty() && report.is_complete() {
            self.lock(&product, round, &mut report).await?;
        }
        report.stopped = self.stop.is_stopped();
        Ok(report)
    }

    async fn resolve_product(&mut self) -> Result<Product, AutopilotError> {
        let product = match self.product_id {
            Some(id) => self.nb.product(&ProductRef::Id(id)).await?,
            None => self.nb.product(&self.config.product).await?,
        };
        self.product_id = Some(product.id);
        if self.state.product_id != Some(product.id.get()) {
            self.state = AutopilotState {
                product_id: Some(product.id.get()),
                ..AutopilotState::default()
            };
        }
        Ok(product)
    }

    async fn prepare_predictions(&mut self, round: u32) -> Result<PredictionsInfo, AutopilotError> {
        let cached = self.state.rounds.get(&round).and_then(|r| r.predictions.clone());
        let (record, info) = predictions::prepare(
            &self.config.predictions,
            self.config.rules,
            &self.config.work_dir,
            &self.config.output_name,
            round,
            cached.as_ref(),
        )
        .await?;
        if cached.as_ref() != Some(&record) {
            self.state.round_mut(round).predictions = Some(record);
            self.save()?;
            self.emit(&AutopilotEvent::Predictions { round, info: &info });
        }
        Ok(info)
    }

    async fn upload_groups(
        &mut self,
        product: &Product,
        groups: Vec<Group>,
        report: &mut TickReport,
    ) -> Result<(), AutopilotError> {
        let path = report.predictions.path.clone();
        for g in groups {
            if self.stop.is_stopped() {
                report.not_attempted.extend(g.targets);
                continue;
            }
            for target in &g.targets {
                self.emit(&AutopilotEvent::Uploading { target });
            }
            let results: Vec<(UploadTarget, Result<UploadedArtifact, TargetError>)> = if g.whole {
                let options = UploadOptions {
                    concurrency: self.config.concurrency.max(1),
                    order_id: g.order,
                    progress: None,
                };
                let source = ArtifactSource::path(&path);
                match self
                    .nb
                    .upload_artifact(&ProductRef::Id(product.id), source, options)
                    .await
                {
                    Ok(up) => up.results.into_iter().map(|r| (r.target, r.outcome)).collect(),
                    Err(e) if e.is_auth() => return Err(e.into()),
                    Err(e) => {
                        let message = chain(&e);
                        report.round_closed |= error::is_round_closed(&e);
                        for target in g.targets {
                            self.emit(&AutopilotEvent::UploadFailed {
                                target: &target,
                                message: &message,
                            });
                            report.failed.push(TickFailure {
                                target: Some(target),
                                stage: None,
                                message: message.clone(),
                                retryable: e.is_retryable(),
                            });
                        }
                        continue;
                    }
                }
            } else {
                let mut out = Vec::new();
                for target in g.targets {
                    let outcome = single::upload_order_copy(&self.nb, &target, &path).await;
                    out.push((target, outcome));
                }
                out
            };
            for (target, outcome) in results {
                match outcome {
                    Ok(artifact) => {
                        self.emit(&AutopilotEvent::Uploaded {
                            target: &target,
                            artifact: &artifact,
                        });
                        self.state
                            .round_mut(report.selling_round)
                            .uploads
                            .insert(target_key(&target), artifact.artifact_id.to_string());
                        report.uploaded.push(TickUpload { target, artifact });
                    }
                    Err(e) => {
                        if e.source.is_auth() {
                            return Err(e.source.into());
                        }
                        let message = chain(&e);
                        report.round_closed |= error::is_round_closed(&e.source);
                        self.emit(&AutopilotEvent::UploadFailed {
                            target: &target,
                            message: &message,
                        });
                        report.failed.push(TickFailure {
                            target: Some(target),
                            stage: Some(e.stage),
                            message,
                            retryable: e.source.is_retryable(),
                        });
                    }
                }
            }
        }
        Ok(())
    }

    async fn lock(
        &mut self,
        product: &Product,
        round: u32,
        report: &mut TickReport,
    ) -> Result<(), AutopilotError> {
        if product.round_lock.is_some_and(|l| l >= round) {
            return Ok(());
        }
        match self.nb.lock_product(product.id, Some(round)).await {
            Ok(_) => {
                report.locked = Some(round);
                self.state.round_mut(round).locked = true;
                self.save()?;
                self.emit(&AutopilotEvent::Locked { round });
            }
            Err(e) if e.is_auth() => return Err(e.into()),
            Err(e) => report.failed.push(TickFailure {
                target: None,
                stage: None,
                message: chain(&e),
                retryable: e.is_retryable(),
            }),
        }
        Ok(())
    }

    fn save(&self) -> Result<(), AutopilotError> {
        match &self.config.state_file {
            Some(p) => self.state.save(p),
            None => Ok(()),
        }
    }

    fn emit(&self, event: &AutopilotEvent<'_>) {
        if let Some(o) = &self.observer {
            o.event(event);
        }
    }
}
