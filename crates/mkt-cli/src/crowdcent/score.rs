//! `mkt crowdcent score`: the challenge's metrics on local predictions and targets.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use crowdcent_client::scoring::{spearman_correlation, symmetric_ndcg_at_k};
use frame_io::arrow::array::{Array, AsArray};
use frame_io::arrow::compute::cast;
use frame_io::arrow::datatypes::{DataType, Float64Type};
use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::context::OutputFormat;
use crate::exit::{self, Failure};
use crate::output::{print_json, Table};
use crate::Context;

/// Arguments of `mkt crowdcent score`.
#[derive(Debug, clap::Args)]
pub struct ScoreArgs {
    /// Predictions (CSV or Parquet) with `id`, `pred_10d`, `pred_30d`.
    #[arg(long, value_name = "PATH")]
    predictions: PathBuf,
    /// Targets (CSV or Parquet) with `id`, `target_10d`, `target_30d`.
    #[arg(long, value_name = "PATH")]
    targets: PathBuf,
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

pub(super) fn run(args: ScoreArgs, ctx: &Context) -> anyhow::Result<()> {
    let k = usize::try_from(args.k).unwrap_or(usize::MAX);
    let preds = load(&args.predictions, ["pred_10d", "pred_30d"])?;
    let targets = load(&args.targets, ["target_10d", "target_30d"])?;
    let by_id: HashMap<&str, [Option<f64>; 2]> = targets.iter().map(|(id, v)| (id.as_str(), *v)).collect();
    let matched = preds
        .iter()
        .filter(|(id, _)| by_id.contains_key(id.as_str()))
        .count();
    if matched == 0 {
        return Err(Failure::new(
            exit::VALIDATION,
            anyhow::anyhow!("no prediction id appears in the targets file"),
        )
        .hint("check that both files use the same `id` values")
        .into());
    }
    ctx.info(format!(
        "{matched} of {} predictions matched {} targets",
        preds.len(),
        targets.len()
    ));
    let mut metrics = Vec::new();
    let mut ndcg = Vec::new();
    for (h, horizon) in ["10d", "30d"].into_iter().enumerate() {
        // Per horizon, keep the rows where both the target and the prediction are present.
        let (t, p): (Vec<f64>, Vec<f64>) = preds
            .iter()
            .filter_map(|(id, v)| Some((by_id.get(id.as_str())?[h]?, v[h]?)))
            .filter(|(t, p)| t.is_finite() && p.is_finite())
            .unzip();
        let (spearman, sym) = if t.is_empty() {
            (f64::NAN, f64::NAN)
        } else {
            let s = spearman_correlation(&t, &p).context("cannot compute the Spearman correlation")?;
            let n = symmetric_ndcg_at_k(&t, &p, k).map_err(|e| Failure::new(exit::VALIDATION, e))?;
            (s, n)
        };
        metrics.push((format!("spearman_{horizon}"), spearman));
        ndcg.push((format!("ndcg@{k}_{horizon}"), sym));
    }
    metrics.extend(ndcg);
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

/// Reads `id` and two numeric columns (nulls kept as `None`).
fn load(path: &Path, columns: [&str; 2]) -> anyhow::Result<Vec<(String, [Option<f64>; 2])>> {
    let frame = frame_io::read_frame(path).map_err(|e| Failure::new(exit::FAILED, e))?;
    let missing = |name: &str| {
        Failure::new(
            exit::VALIDATION,
            anyhow::anyhow!("{} has no `{name}` column", path.display()),
        )
        .hint(format!("columns are: {}", frame.data_column_names().join(", ")))
    };
    let column = |name: &str, ty: &DataType| -> anyhow::Result<_> {
        let col = frame.column(name)?.ok_or_else(|| missing(name))?;
        cast(&col, ty).map_err(|e| {
            Failure::new(
                exit::VALIDATION,
                anyhow::anyhow!(
                    "column `{name}` of {} cannot be read as {ty}: {e}",
                    path.display()
                ),
            )
            .into()
        })
    };
    let ids = column("id", &DataType::Utf8)?;
    let ids = ids.as_string::<i32>();
    let a = column(columns[0], &DataType::Float64)?;
    let b = column(columns[1], &DataType::Float64)?;
    let (a, b) = (a.as_primitive::<Float64Type>(), b.as_primitive::<Float64Type>());
    let value = |arr: &frame_io::arrow::array::PrimitiveArray<Float64Type>, i: usize| {
        (!arr.is_null(i)).then(|| arr.value(i))
    };
    Ok((0..ids.len())
        .filter(|&i| !ids.is_null(i))
        .map(|i| (ids.value(i).to_owned(), [value(a, i), value(b, i)]))
        .collect())
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
