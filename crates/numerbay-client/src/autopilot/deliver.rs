//! Uploading a tick's missing copies, group by group, and locking the product afterwards.

use marketplace_types::numerbay::Product;

use super::group::{chain, target_key, Group};
use super::{error, single, Autopilot, AutopilotError, AutopilotEvent, TickFailure, TickReport, TickUpload};
use crate::plan::UploadTarget;
use crate::report::{TargetError, UploadedArtifact};
use crate::{ArtifactSource, ProductRef, UploadOptions};

impl Autopilot {
    pub(super) async fn upload_groups(
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
                        // Its pending artifact will not complete: not in flight for later ticks.
                        if let Some(id) = &e.artifact_id {
                            let round = self.state.round_mut(report.selling_round);
                            round.abandoned.insert(id.to_string());
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

    pub(super) async fn lock(
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
}
