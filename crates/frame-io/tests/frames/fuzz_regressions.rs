//! Inputs found by `cargo xtask fuzz`; each once crashed a reader and must now fail cleanly.

use frame_io::{Error, ReadOptions, RuleSet};

use crate::util::data;

#[test]
fn corrupt_rle_run_in_parquet_is_an_error_not_a_panic() {
    // parquet-rs 57 indexes out of bounds in its RLE decoder on this file (fuzz target parquet_read).
    let path = data("fuzz/parquet_rle_out_of_bounds.parquet");
    let err = frame_io::read_frame(&path).expect_err("corrupt file");
    assert!(
        matches!(
            err,
            Error::ParquetCorrupt { .. } | Error::ParquetDecode { .. } | Error::Parquet { .. }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("parquet_rle_out_of_bounds.parquet"),
        "{err}"
    );
    assert!(frame_io::inspect(&path, &ReadOptions::default(), 5).is_err());
    let report = frame_io::validate_path(&path, RuleSet::by_name("crowdcent-hyperliquid").unwrap(), None);
    assert!(!report.is_valid());
}

#[test]
fn corrupt_embedded_arrow_schema_is_an_error_not_a_panic() {
    // arrow-ipc 57 panics decoding this file's `ARROW:schema` metadata (fuzz target parquet_read).
    let path = data("fuzz/parquet_bad_embedded_arrow_schema.parquet");
    let err = frame_io::read_frame(&path).expect_err("corrupt file");
    assert!(
        err.to_string()
            .contains("parquet_bad_embedded_arrow_schema.parquet"),
        "{err}"
    );
    assert!(frame_io::inspect(&path, &ReadOptions::default(), 5).is_err());
}

#[test]
fn metadata_claiming_gigabytes_fails_cleanly() {
    // Its thrift footer asks parquet-rs for a 6.4 GB allocation (libFuzzer's malloc limit caught it);
    // the footer check rejects the impossible list length before parquet-rs sees it.
    let path = data("fuzz/parquet_huge_metadata_allocation.parquet");
    let err = frame_io::read_frame(&path).expect_err("corrupt file");
    assert!(
        err.to_string()
            .contains("parquet_huge_metadata_allocation.parquet"),
        "{err}"
    );
}

#[test]
fn footer_list_claiming_77_gigabytes_is_rejected_before_decoding() {
    // Without the footer check parquet-rs aborted the process: `memory allocation of 77510737824
    // bytes failed` (fuzz target parquet_read). Now it is a typed error.
    let path = data("fuzz/parquet_footer_list_77gb.parquet");
    let err = frame_io::read_frame(&path).expect_err("corrupt footer");
    assert!(matches!(err, Error::ParquetCorrupt { .. }), "{err:?}");
    assert!(
        err.to_string().contains("parquet_footer_list_77gb.parquet"),
        "{err}"
    );
}

#[test]
fn schema_capacity_overflow_is_contained() {
    // parquet-rs panics with `capacity overflow` building this schema (fuzz target parquet_read).
    let path = data("fuzz/parquet_schema_capacity_overflow.parquet");
    let err = frame_io::read_frame(&path).expect_err("corrupt schema");
    assert!(matches!(err, Error::ParquetCorrupt { .. }), "{err:?}");
    assert!(
        !frame_io::panic_is_contained(),
        "the containment flag must be reset after a panic"
    );
}

#[test]
fn footer_field_with_the_wrong_thrift_type_is_rejected() {
    // FileMetaData field 2 (schema) declared as i64: parquet-rs read it as a list anyway and asked
    // for 149 GB, aborting the process (fuzz target parquet_read).
    let path = data("fuzz/parquet_field_type_confusion_149gb.parquet");
    let err = frame_io::read_frame(&path).expect_err("corrupt footer");
    assert!(matches!(err, Error::ParquetCorrupt { .. }), "{err:?}");
}
