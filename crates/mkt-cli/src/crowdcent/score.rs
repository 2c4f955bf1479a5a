//! `mkt crowdcent score`: the challenge's metrics on local predictions and targets, and the
//! uniqueness metrics against a meta-model file.

mod load;

use std::collections::HashMap;
use std::path::PathBuf;

use anyhow::Context as _;
use crowdcent_client::scoring::{
    corr_to_meta, spearman_correlation, symmetric_ndcg_at_k, unique_ndcg, unique_spearman,
};
use crowdcent_client::ReleaseDate;
use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::context::OutputFormat;
use crate::exit::{self, Failure};
use crate::output::{print_json, Table};
use crate::Context;

/// The meta-model value of an id the meta-model file lacks (or leaves empty), as the server
/// counts it.
const META_MISSING: f64 = 0.5;

/// Arguments of `mkt crowdcent score`.
#[derive(Debug, clap::Args)]
pub struct ScoreArgs {
    /// Predictions (CSV or Parquet) with `id`, `pred_10d`, `pred_30d`.
    #[arg(long, value_name = "PATH")]
    predictions: PathBuf,
    /// Targets (CSV or Parquet) with `id` (or `ticker`), `target_10d`, `target_30d`, and
    /// optionally `date`.
    #[arg(long, value_name = "PATH")]
    targets: PathBuf,
    /// A meta-model file (`id`, `pred_10d`, `pred_30d`, optionally `release_date`): adds the
    /// uniqueness metrics.
    #[arg(long, value_name = "PATH")]
    meta_model: Option<PathBuf>,
    /// The date to score, for files that hold several (`date` or `release_date` column).
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<ReleaseDate>,
    /// The cut-off of the symmetric NDCG.
    #[arg(long, default_value_t = 40, value_parser = clap::value_parser!(u64).range(1..))]
    k: u64,
}

/// Metric name → value, serialized as one flat JSON object in insertion order.
struct Flat(Vec<(String, f64)>);

impl Serialize for Flat {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            // NaN (a horizon without data) has no JSON form: null.
            map.serialize_entry(k, &v.is_finite().then_some(*v))?;
        }
        map.end()
    }
}

/// One horizon's aligned values: targets, predictions, meta-model (when given).
#[derive(Default)]
struct Horizon {
    t: Vec<f64>,
    p: Vec<f64>,
    m: Vec<f64>,
    meta_missing: usize,
}

pub(super) fn run(args: ScoreArgs, ctx: &Context) -> anyhow::Result<()> {
    let k = usize::try_from(args.k).unwrap_or(usize::MAX);
    let preds = load::load(&args.predictions, ["pred_10d", "pred_30d"], args.date)?;
    let targets = load::load(&args.targets, ["target_10d", "target_30d"], args.date)?;
    let meta = match &args.meta_model {
        Some(path) => Some(load::load(path, ["pred_10d", "pred_30d"], args.date)?),
        None => None,
    };
    for (what, file) in [
        ("predictions", Some(&preds)),
        ("targets", Some(&targets)),
        ("meta-model", meta.as_ref()),
    ] {
        if let Some(day) = file.and_then(|f| f.date.as_deref()).filter(|d| !d.is_empty()) {
            ctx.info(format!("{what}: rows dated {day}"));
        }
    }
    let by_id: HashMap<&str, [Option<f64>; 2]> =
        targets.rows.iter().map(|(id, v)| (id.as_str(), *v)).collect();
    let meta_by_id: Option<HashMap<&str, [Option<f64>; 2]>> = meta
        .as_ref()
        .map(|m| m.rows.iter().map(|(id, v)| (id.as_str(), *v)).collect());
    let matched = preds
        .rows
        .iter()
        .filter(|(id, _)| by_id.contains_key(id.as_str()))
        .count();
    if matched == 0 {
        return Err(Failure::new(
            exit::VALIDATION,
            anyhow::anyhow!("no prediction id appears in the targets file"),
        )
        .hint("check that both files use the same `id` values (and the same --date)")
        .into());
    }
    ctx.info(format!(
        "{matched} of {} predictions matched {} targets",
        preds.rows.len(),
        targets.rows.len()
    ));
    let mut horizons: [Horizon; 2] = Default::default();
    for (id, v) in &preds.rows {
        let Some(t) = by_id.get(id.as_str()) else { continue };
        for (h, horizon) in horizons.iter_mut().enumerate() {
            // Per horizon, keep the rows where both the target and the prediction are present.
            let (Some(t), Some(p)) = (t[h], v[h]) else {
                continue;
            };
            if !(t.is_finite() && p.is_finite()) {
                continue;
            }
            horizon.t.push(t);
            horizon.p.push(p);
            if let Some(meta) = &meta_by_id {
                let m = meta.get(id.as_str()).and_then(|m| m[h]).filter(|m| !m.is_nan());
                horizon.meta_missing += usize::from(m.is_none());
                horizon.m.push(m.unwrap_or(META_MISSING));
            }
        }
    }
    if meta.is_some() {
        let [a, b] = [horizons[0].meta_missing, horizons[1].meta_missing];
        if a + b > 0 {
            ctx.info(format!(
                "meta-model: {a} (10d) and {b} (30d) scored ids have no value there; counted as {META_MISSING}"
            ));
        }
    }
    let metrics = compute(&horizons, k, meta.is_some())?;
    if ctx.output == OutputFormat::Json {
        return print_json(&Flat(metrics));
    }
    let mut t = Table::new(["metric", "value"]);
    for (name, v) in &metrics {
        t.row([
            name.clone(),
            if v.is_finite() {
                format!("{v:.6}")
            } else {
                "n/a".to_owned()
            },
        ]);
    }
    t.print()
}

/// The metrics in the server's order: Spearman and symmetric NDCG per horizon, then (with a
/// meta-model) correlation to it, unique Spearman and unique NDCG per horizon. A horizon without
/// rows is NaN (the reference's `safe_metric`).
fn compute(horizons: &[Horizon; 2], k: usize, with_meta: bool) -> anyhow::Result<Vec<(String, f64)>> {
    type Metric<'a> = &'a dyn Fn(&Horizon) -> anyhow::Result<f64>;
    let invalid = |e: crowdcent_client::ScoringError| anyhow::Error::from(Failure::new(exit::VALIDATION, e));
    let mut out = Vec::new();
    let mut push = |name: &str, metric: Metric<'_>| -> anyhow::Result<()> {
        for (horizon, label) in horizons.iter().zip(["10d", "30d"]) {
            let value = if horizon.t.is_empty() {
                f64::NAN
            } else {
                metric(horizon)?
            };
            out.push((format!("{name}_{label}"), value));
        }
        Ok(())
    };
    push("spearman", &|h| {
        spearman_correlation(&h.t, &h.p).context("cannot compute the Spearman correlation")
    })?;
    push(&format!("ndcg@{k}"), &|h| {
        symmetric_ndcg_at_k(&h.t, &h.p, k).map_err(invalid)
    })?;
    if with_meta {
        push("corr_to_meta", &|h| {
            corr_to_meta(&h.p, &h.m).context("cannot compute the correlation to the meta-model")
        })?;
        push("unique_spearman", &|h| {
            unique_spearman(&h.t, &h.p, &h.m).map_err(invalid)
        })?;
        push(&format!("unique_ndcg@{k}"), &|h| {
            unique_ndcg(&h.t, &h.p, &h.m, k).map_err(invalid)
        })?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_json_keeps_order_and_nulls_nan() {
        let json = serde_json::to_string(&Flat(vec![
            ("spearman_10d".into(), 0.5),
            ("spearman_30d".into(), f64::NAN),
            ("ndcg@40_10d".into(), 0.25),
        ]))
        .unwrap_or_default();
        assert_eq!(
            json,
            r#"{"spearman_10d":0.5,"spearman_30d":null,"ndcg@40_10d":0.25}"#
        );
    }
}
