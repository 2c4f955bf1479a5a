//! The seller's round autopilot: each [`Autopilot::tick`] uploads exactly the copies still missing.
//!
//! A tick reads the selling round, resolves the product, lists its active sales, plans the copies
//! `upload_artifact` would make ([`plan::plan_upload`]), asks the server which of them already have
//! an active artifact for the round, and uploads only the others (per order, through
//! [`NumerBay::upload_artifact`] with `order_id`). What was delivered is always derived from the
//! server, so a second tick uploads nothing and a restart after a crash uploads nothing twice. A
//! `pending` artifact of the round is an upload in flight (perhaps another autopilot's): its copy
//! is not sent again until it fails or is older than [`AutopilotConfig::pending_timeout`].
//!
//! Predictions come from a file or a command run once per round ([`PredictionsSource`]); they are
//! validated with a frame-io [`RuleSet`] before anything is uploaded. A small JSON state file
//! ([`AutopilotState`]) remembers the round's predictions and uploads across restarts; while an
//! autopilot runs, it holds an exclusive lock on it ([`StateLock`]), so a second autopilot on the
//! same state file fails to start ([`AutopilotError::StateLocked`]) instead of delivering twice.
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

mod deliver;
mod error;
mod group;
mod lock;
mod predictions;
mod report;
mod single;
mod state;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use frame_io::RuleSet;
use marketplace_types::numerbay::{OrderId, OrderRole, Product, ProductId};

pub use error::AutopilotError;
pub use lock::StateLock;
pub use predictions::{PredictionsInfo, PredictionsSource};
pub use report::{
    AutopilotEvent, AutopilotObserver, DeliveredTarget, StopHandle, TickFailure, TickReport, TickUpload,
};
pub use state::{AutopilotState, PredictionsRecord, RoundState};

use crate::delivered::{CopyStatus, ServerState};
use crate::plan::{self, UploadTarget};
use crate::{ArtifactFilter, NumerBay, OrderQuery, ProductRef, DEFAULT_CONCURRENCY};
use group::group;

/// How long a `pending` artifact counts as an upload in flight by default: the upload URL's
/// lifetime (10 minutes, spec §6) plus a margin.
pub const DEFAULT_PENDING_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// What the autopilot works on and how.
#[derive(Debug, Clone)]
pub struct AutopilotConfig {
    /// The product to deliver.
    pub product: ProductRef,
    /// Where each round's predictions come from.
    pub predictions: PredictionsSource,
    /// The rules predictions must pass before any upload (default `numerai-classic`).
    pub rules: RuleSet,
    /// Lock the product for the round once every copy of the round is delivered (spec §4.7).
    pub lock_after_upload: bool,
    /// The state file; `None` keeps state in memory only (a command then runs again after a restart).
    /// While the autopilot lives it holds the file's [`StateLock`].
    pub state_file: Option<PathBuf>,
    /// Where the predictions command writes its output (`r<round>-<output_name>`).
    pub work_dir: PathBuf,
    /// File name of the command's output; its extension becomes the artifact's.
    pub output_name: String,
    /// Copies of one order uploaded at the same time.
    pub concurrency: usize,
    /// A `pending` artifact of the round younger than this (by its `date` and this machine's
    /// clock) is an upload in flight: its copy is not sent again (default
    /// [`DEFAULT_PENDING_TIMEOUT`]).
    pub pending_timeout: Duration,
}

impl AutopilotConfig {
    /// Defaults: `numerai-classic` rules, no lock, no state file, work dir `<tmp>/mkt-autopilot`,
    /// output `predictions.csv`, pending timeout [`DEFAULT_PENDING_TIMEOUT`].
    pub fn new(product: ProductRef, predictions: PredictionsSource) -> Self {
        Self {
            product,
            predictions,
            rules: frame_io::validate::NUMERAI_CLASSIC,
            lock_after_upload: false,
            state_file: None,
            work_dir: std::env::temp_dir().join("mkt-autopilot"),
            output_name: "predictions.csv".to_owned(),
            concurrency: DEFAULT_CONCURRENCY,
            pending_timeout: DEFAULT_PENDING_TIMEOUT,
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
    /// Held for the autopilot's life when there is a state file.
    _lock: Option<StateLock>,
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
    /// An autopilot with `config`: takes the state file's [`StateLock`] and loads the file, when
    /// there is one.
    ///
    /// # Errors
    /// [`AutopilotError::StateLocked`] when another autopilot uses the state file;
    /// [`AutopilotError::State`] / [`AutopilotError::StateParse`] for an unreadable state file.
    pub fn new(nb: NumerBay, config: AutopilotConfig) -> Result<Self, AutopilotError> {
        let (lock, state) = match &config.state_file {
            Some(p) => {
                let lock = StateLock::acquire(p)?;
                (Some(lock), AutopilotState::load(p)?)
            }
            None => (None, AutopilotState::default()),
        };
        Ok(Self {
            nb,
            config,
            product_id: None,
            state,
            observer: None,
            stop: StopHandle::default(),
            _lock: lock,
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

    /// Runs one tick: uploads every copy of the selling round that has no active artifact yet and
    /// no upload in flight (a recent `pending` artifact).
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

        let mut server = ServerState {
            pending_after: chrono::Duration::from_std(self.config.pending_timeout)
                .ok()
                .and_then(|t| chrono::Utc::now().naive_utc().checked_sub_signed(t)),
            abandoned: self
                .state
                .rounds
                .get(&round)
                .map(|r| r.abandoned.clone())
                .unwrap_or_default(),
            ..ServerState::default()
        };
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
            .filter(|t| server.status(t, round) == CopyStatus::Missing)
            .filter_map(UploadTarget::order_id)
            .collect();
        confirm.dedup();
        for order in confirm {
            let listed = self.nb.order_artifacts(order, ArtifactFilter::Active).await?.data;
            server.order_artifacts.entry(order).or_default().extend(listed);
        }
        let (mut delivered, mut in_flight, mut missing) = (Vec::new(), Vec::new(), Vec::new());
        for target in &plan.targets {
            let seen = |artifact_id| DeliveredTarget {
                target: target.clone(),
                artifact_id,
            };
            match server.status(target, round) {
                CopyStatus::Delivered(id) => delivered.push(seen(id)),
                CopyStatus::InFlight(id) => in_flight.push(seen(id)),
                CopyStatus::Missing => missing.push(target.clone()),
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
            in_flight,
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
