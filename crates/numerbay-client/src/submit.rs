//! `submit`: the seller upload as a repeatable command: idempotent within a round, stoppable.

use std::sync::Arc;

use marketplace_types::numerbay::{Order, OrderId, ProductId};

use crate::delivered::ServerState;

use crate::artifacts::ArtifactFilter;
use crate::client::NumerBay;
use crate::error::Result;
use crate::plan::UploadTarget;
use crate::products::ProductRef;
use crate::report::UploadReport;
use crate::upload::{ArtifactSource, UploadOptions};

/// Polled before each copy starts; `true` means "start no new copy" (e.g. Ctrl-C was pressed).
pub type StopCheck = Arc<dyn Fn() -> bool + Send + Sync>;

/// Options of [`NumerBay::submit`].
#[derive(Clone, Default)]
pub struct SubmitOptions {
    /// Concurrency, order filter and progress, as for [`NumerBay::upload_artifact`].
    pub upload: UploadOptions,
    /// Send a fresh copy to every target, even those already holding one for the round.
    pub replace: bool,
    /// Checked before each copy starts: once it answers `true`, copies in flight finish and the
    /// rest are reported in [`UploadReport::not_sent`].
    pub stop: Option<StopCheck>,
}

impl std::fmt::Debug for SubmitOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SubmitOptions")
            .field("upload", &self.upload)
            .field("replace", &self.replace)
            .field("stop", &self.stop.is_some())
            .finish()
    }
}

impl NumerBay {
    /// Uploads `source` like [`upload_artifact`](Self::upload_artifact), but idempotently
    /// within the selling round: copies the server already holds for the round (an `active`
    /// artifact, or a `pending` one issued in the last 15 minutes, i.e. an upload in flight) are
    /// not sent again and are listed
    /// in the report's `plan.delivered`; with `replace` every copy is sent again. When
    /// `options.stop` answers `true`, no further copy starts and the report lists the unsent
    /// ones in `not_sent`.
    ///
    /// # Errors
    /// As [`upload_artifact`](Self::upload_artifact), plus listing the server's artifacts.
    pub async fn submit(
        &self,
        product: &ProductRef,
        source: ArtifactSource,
        options: SubmitOptions,
    ) -> Result<UploadReport> {
        self.upload_planned(product, source, options).await
    }

    /// What the server holds for the planned targets: the product's artifacts when a product
    /// target is planned, and each sale's order artifacts (any state, so in-flight copies count).
    pub(crate) async fn server_state(
        &self,
        targets: &[UploadTarget],
        product: ProductId,
        sales: &[Order],
    ) -> Result<ServerState> {
        let mut server = ServerState::default();
        if targets.iter().any(|t| t.order_id().is_none()) {
            server.product_artifacts = self.product_artifacts(product).await?.data;
        }
        for sale in sales {
            server.order_artifacts.insert(sale.id, sale.artifacts.clone());
        }
        let mut orders: Vec<OrderId> = targets.iter().filter_map(UploadTarget::order_id).collect();
        orders.sort_unstable();
        orders.dedup();
        for order in orders {
            // The embedded list may be partial; the dedicated listing (spec §2.13) is complete.
            let listed = self.order_artifacts(order, ArtifactFilter::All).await?.data;
            server.order_artifacts.entry(order).or_default().extend(listed);
        }
        Ok(server)
    }
}
