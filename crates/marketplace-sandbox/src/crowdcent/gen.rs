//! Deterministic generation of the seeded hyperliquid-ranking data (spec §4.1-§4.3).
//!
//! Every value is a pure function of the id, the date and the column, so two sandboxes seeded on the same
//! day serve byte-identical files.

use std::sync::Arc;

use arrow::array::{ArrayRef, Date32Array, Float64Array, StringArray, TimestampMicrosecondArray};
use arrow::datatypes::{DataType, Field, Schema, TimeUnit};
use arrow::error::ArrowError;
use arrow::record_batch::RecordBatch;
use chrono::NaiveDate;

/// Number of asset ids in the whole universe.
pub(crate) const UNIVERSE_SIZE: usize = 240;

/// Real Hyperliquid tickers used first; synthetic `HLnnn` ids fill up the rest.
const TICKERS: &[&str] = &[
    "BTC", "ETH", "SOL", "HYPE", "DOGE", "XRP", "AVAX", "LINK", "SUI", "TON", "ADA", "DOT", "LTC", "BCH",
    "NEAR", "APT", "ARB", "OP", "TIA", "INJ", "SEI", "WIF", "kPEPE", "kBONK", "MOODENG", "0G", "AAVE", "UNI",
    "LDO", "CRV", "ENA", "ONDO", "JUP", "PENDLE", "TAO", "RENDER", "FET", "WLD", "STX", "ATOM",
];

/// Feature bases in file order: lexicographic, which is "not numeric" like the real files (spec §4.1).
const BASES: [u32; 20] = [
    1, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 2, 20, 3, 4, 5, 6, 7, 8, 9,
];
/// Lags in file order: the lag-15 block first (spec §4.1).
const LAGS: [u32; 4] = [15, 10, 5, 0];

/// All ids of the universe, in a fixed order.
pub(crate) fn universe() -> Vec<String> {
    let mut ids: Vec<String> = TICKERS.iter().map(|t| (*t).to_owned()).collect();
    let mut n = 1;
    while ids.len() < UNIVERSE_SIZE {
        ids.push(format!("HL{n:03}"));
        n += 1;
    }
    ids
}

/// The ids traded on `date`: a deterministic ~7/8 subset of the universe (always well above 80 ids).
pub(crate) fn universe_on(date: NaiveDate) -> Vec<String> {
    let day = date_key(date);
    universe()
        .into_iter()
        .enumerate()
        .filter(|(i, _)| *i < 8 || !mix(day ^ (*i as u64).wrapping_mul(0x9E37)).is_multiple_of(8))
        .map(|(_, id)| id)
        .collect()
}

/// The Hyperliquid id → EODHD ticker mapping of the `eodhd_id` column.
fn eodhd(id: &str) -> String {
    format!("{}-USD.CC", id.to_ascii_uppercase())
}

/// Feature column names in file order.
fn feature_names() -> Vec<String> {
    LAGS.iter()
        .flat_map(|lag| BASES.iter().map(move |n| format!("feature_{n}_lag{lag}")))
        .collect()
}

/// A training file: `id, eodhd_id, date, features…, target_10d, target_30d` over `dates`.
/// The newest `null_target_days` dates have null `target_30d` (unresolved labels, spec §4.1).
pub(crate) fn training(
    dates: &[NaiveDate],
    null_target_days: usize,
    seed: u64,
) -> Result<RecordBatch, ArrowError> {
    let ids = universe();
    let rows: Vec<(NaiveDate, &String)> = dates
        .iter()
        .flat_map(|d| ids.iter().map(move |id| (*d, id)))
        .collect();
    let recent = dates.len().saturating_sub(null_target_days);
    let mut batch = feature_frame(&rows, seed)?;
    let target = |salt: u64, nullable: bool| -> ArrayRef {
        Arc::new(Float64Array::from_iter(rows.iter().map(|(d, id)| {
            let resolved = dates.iter().position(|x| x == d).unwrap_or(0) < recent;
            (resolved || !nullable).then(|| unit(seed ^ salt, *d, id, 0))
        })))
    };
    let mut fields: Vec<Field> = batch
        .schema()
        .fields()
        .iter()
        .map(|f| f.as_ref().clone())
        .collect();
    let mut columns = batch.columns().to_vec();
    fields.push(Field::new("target_10d", DataType::Float64, true));
    columns.push(target(0x10, false));
    fields.push(Field::new("target_30d", DataType::Float64, true));
    columns.push(target(0x30, true));
    batch = RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)?;
    Ok(batch)
}

/// An inference file for the period released on `release`: features as of the day before (spec §4.2).
pub(crate) fn inference(release: NaiveDate, ids: &[String]) -> Result<RecordBatch, ArrowError> {
    let feature_day = release.pred_opt().unwrap_or(release);
    let rows: Vec<(NaiveDate, &String)> = ids.iter().map(|id| (feature_day, id)).collect();
    feature_frame(&rows, 0x1F0)
}

/// The consolidated meta-model: `id, pred_10d, pred_30d, release_date` per period (spec §4.3).
pub(crate) fn meta_model(periods: &[(NaiveDate, Arc<Vec<String>>)]) -> Result<RecordBatch, ArrowError> {
    let rows: Vec<(NaiveDate, &String)> = periods
        .iter()
        .flat_map(|(d, ids)| ids.iter().map(move |id| (*d, id)))
        .collect();
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    let schema = Schema::new(vec![
        Field::new("id", DataType::Utf8, false),
        Field::new("pred_10d", DataType::Float64, false),
        Field::new("pred_30d", DataType::Float64, false),
        Field::new("release_date", DataType::Date32, false),
    ]);
    let columns: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from_iter_values(
            rows.iter().map(|(_, id)| id.as_str()),
        )),
        Arc::new(Float64Array::from_iter_values(
            rows.iter().map(|(d, id)| unit(0x4D10, *d, id, 0)),
        )),
        Arc::new(Float64Array::from_iter_values(
            rows.iter().map(|(d, id)| unit(0x4D30, *d, id, 0)),
        )),
        Arc::new(Date32Array::from_iter_values(
            rows.iter().map(|(d, _)| (*d - epoch).num_days() as i32),
        )),
    ];
    RecordBatch::try_new(Arc::new(schema), columns)
}

/// Encodes a batch as a Parquet file with frame-io's writer (zstd, statistics on).
pub(crate) fn to_parquet(batch: &RecordBatch) -> frame_io::Result<Vec<u8>> {
    frame_io::to_parquet_bytes(std::slice::from_ref(batch), &frame_io::ParquetOptions::default())
}

/// `id, eodhd_id, date` plus the 80 feature columns for `rows`.
fn feature_frame(rows: &[(NaiveDate, &String)], seed: u64) -> Result<RecordBatch, ArrowError> {
    let mut fields = vec![
        Field::new("id", DataType::Utf8, false),
        Field::new("eodhd_id", DataType::Utf8, false),
        Field::new("date", DataType::Timestamp(TimeUnit::Microsecond, None), false),
    ];
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    let mut columns: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from_iter_values(
            rows.iter().map(|(_, id)| id.as_str()),
        )),
        Arc::new(StringArray::from_iter_values(
            rows.iter().map(|(_, id)| eodhd(id)),
        )),
        Arc::new(TimestampMicrosecondArray::from_iter_values(
            rows.iter().map(|(d, _)| (*d - epoch).num_days() * 86_400_000_000),
        )),
    ];
    for (k, name) in feature_names().into_iter().enumerate() {
        let salt = seed ^ ((k as u64 + 1) << 20);
        columns.push(Arc::new(Float64Array::from_iter_values(
            rows.iter().map(|(d, id)| unit(salt, *d, id, k as u64)),
        )));
        fields.push(Field::new(name, DataType::Float64, false));
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)
}

/// A value in (0, 1] with 4 decimals, derived from (salt, date, id, column).
fn unit(salt: u64, date: NaiveDate, id: &str, column: u64) -> f64 {
    let mut h = salt ^ date_key(date).wrapping_mul(0x100_0000_01B3) ^ column;
    for b in id.bytes() {
        h = mix(h ^ u64::from(b));
    }
    (mix(h) % 10_000 + 1) as f64 / 10_000.0
}

fn date_key(date: NaiveDate) -> u64 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    (date - epoch).num_days().unsigned_abs()
}

/// splitmix64 finalizer: a cheap, well-spread hash.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).expect("date")
    }

    #[test]
    fn universe_is_fixed_and_daily_subsets_vary() {
        let all = universe();
        assert_eq!(all.len(), UNIVERSE_SIZE);
        assert_eq!(all[0], "BTC");
        let a = universe_on(day(1));
        let b = universe_on(day(2));
        assert!(a.len() > 180 && a.len() < UNIVERSE_SIZE, "{}", a.len());
        assert_ne!(a, b);
        assert_eq!(a, universe_on(day(1)));
    }

    #[test]
    fn training_has_spec_columns_and_null_recent_targets() {
        let batch = training(&[day(1), day(2), day(3)], 1, 7).expect("batch");
        assert_eq!(batch.num_columns(), 85);
        assert_eq!(batch.num_rows(), 3 * UNIVERSE_SIZE);
        let schema = batch.schema();
        assert_eq!(schema.field(3).name(), "feature_1_lag15");
        assert_eq!(schema.field(84).name(), "target_30d");
        assert_eq!(batch.column(84).null_count(), UNIVERSE_SIZE);
        assert_eq!(batch.column(83).null_count(), 0);
    }

    #[test]
    fn inference_and_meta_model_shapes() {
        let ids = universe_on(day(5));
        let inf = inference(day(5), &ids).expect("inference");
        assert_eq!(inf.num_columns(), 83);
        assert_eq!(inf.num_rows(), ids.len());
        let meta = meta_model(&[(day(5), Arc::new(ids.clone()))]).expect("meta");
        assert_eq!(meta.num_columns(), 4);
        assert_eq!(meta.schema().field(3).data_type(), &DataType::Date32);
        let bytes = to_parquet(&meta).expect("parquet");
        assert_eq!(&bytes[..4], b"PAR1");
    }
}
