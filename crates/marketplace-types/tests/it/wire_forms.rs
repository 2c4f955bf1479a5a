//! Wire forms of money, timestamps and enums: every form the servers send decodes, and encodes like the server.

use chrono::{NaiveDate, NaiveDateTime};
use marketplace_types::numerbay::{ArtifactState, OrderMode, OrderState};
use marketplace_types::{datetime, decimal};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Money {
    #[serde(with = "marketplace_types::decimal")]
    price: Decimal,
    #[serde(default, with = "marketplace_types::decimal::option")]
    limit: Option<Decimal>,
}

fn price(json_number: &str) -> Decimal {
    let money: Money = serde_json::from_str(&format!(r#"{{"price": {json_number}}}"#))
        .unwrap_or_else(|e| panic!("{json_number} should decode: {e}"));
    money.price
}

fn d(s: &str) -> Decimal {
    s.parse().expect("test literal")
}

#[test]
fn decimal_accepts_every_numerbay_number_form() {
    assert_eq!(price("9"), d("9"));
    assert_eq!(price("9.0"), d("9"));
    assert_eq!(price("9.0").scale(), 1, "the fraction form keeps its scale");
    assert_eq!(price("3.3333333333333335"), d("3.3333333333333335"));
    assert_eq!(price("1e-05"), d("0.00001"));
    assert_eq!(price("1E-5"), d("0.00001"));
    assert_eq!(price("2.5e+3"), d("2500"));
    assert_eq!(price("1e2"), d("100"));
    assert_eq!(price("-0.5"), d("-0.5"));
    assert_eq!(price("0"), Decimal::ZERO);
    assert_eq!(price("18446744073709551615"), d("18446744073709551615"));
}

#[test]
fn decimal_accepts_numeric_strings() {
    assert_eq!(price(r#""9.5""#), d("9.5"));
    assert_eq!(price(r#""1e-05""#), d("0.00001"));
}

#[test]
fn decimal_rejects_garbage_and_null_where_required() {
    for bad in [r#""abc""#, "null", "true", "[1]", r#"{"a": 1}"#, r#""""#] {
        let res: Result<Money, _> = serde_json::from_str(&format!(r#"{{"price": {bad}}}"#));
        assert!(res.is_err(), "{bad} should be rejected");
    }
    assert!(decimal::parse("1e99").is_err());
}

#[test]
fn optional_decimal_accepts_null_and_missing() {
    let null: Money = serde_json::from_str(r#"{"price": 1, "limit": null}"#).unwrap();
    assert_eq!(null.limit, None);
    let missing: Money = serde_json::from_str(r#"{"price": 1}"#).unwrap();
    assert_eq!(missing.limit, None);
    let exp: Money = serde_json::from_str(r#"{"price": 1, "limit": 1e-05}"#).unwrap();
    assert_eq!(exp.limit, Some(d("0.00001")));
}

#[test]
fn decimal_encodes_int_or_float_like_the_server() {
    let encode = |price: &str, limit: Option<&str>| {
        serde_json::to_string(&Money {
            price: d(price),
            limit: limit.map(d),
        })
        .unwrap()
    };
    assert_eq!(encode("9", None), r#"{"price":9,"limit":null}"#);
    assert_eq!(encode("9.0", Some("9.5")), r#"{"price":9.0,"limit":9.5}"#);
    assert_eq!(
        encode("3.3333333333333335", None),
        r#"{"price":3.3333333333333335,"limit":null}"#
    );
    assert_eq!(encode("-2", Some("0.00001")), r#"{"price":-2,"limit":0.00001}"#);
}

#[test]
fn decimal_round_trips_through_json() {
    for form in [
        "9",
        "9.0",
        "3.3333333333333335",
        "1e-05",
        "0.1",
        "12345.678",
        "-0.5",
    ] {
        let first = price(form);
        let encoded = serde_json::to_string(&Money {
            price: first,
            limit: None,
        })
        .unwrap();
        let second: Money = serde_json::from_str(&encoded).unwrap();
        assert_eq!(second.price, first, "{form} via {encoded}");
    }
}

#[test]
fn decimal_inside_untagged_buffering_still_decodes() {
    // serde buffers untagged/flatten content; numbers must survive that too.
    #[derive(Debug, Deserialize)]
    #[serde(untagged)]
    enum Either {
        M(Money),
    }
    let Either::M(money) = serde_json::from_str(r#"{"price": 1e-05, "limit": 9.0}"#).unwrap();
    assert_eq!(money.price, d("0.00001"));
    assert_eq!(money.limit, Some(d("9")));
}

fn ndt(y: i32, mo: u32, da: u32, h: u32, mi: u32, s: u32, micro: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, mo, da)
        .and_then(|date| date.and_hms_micro_opt(h, mi, s, micro))
        .expect("test literal")
}

#[test]
fn numerbay_datetimes_with_and_without_fraction_or_offset() {
    let with_fraction = ndt(2021, 12, 25, 6, 34, 58, 47_278);
    assert_eq!(
        datetime::parse_naive("2021-12-25T06:34:58.047278").unwrap(),
        with_fraction
    );
    assert_eq!(
        datetime::parse_naive("2021-03-22T17:44:50").unwrap(),
        ndt(2021, 3, 22, 17, 44, 50, 0)
    );
    assert_eq!(
        datetime::parse_naive("2021-03-22 17:44:50").unwrap(),
        ndt(2021, 3, 22, 17, 44, 50, 0)
    );
    assert_eq!(
        datetime::parse_naive("2021-12-25T06:34:58.047278Z").unwrap(),
        with_fraction
    );
    assert_eq!(
        datetime::parse_naive("2021-12-25T08:34:58.047278+02:00").unwrap(),
        with_fraction
    );
    assert!(matches!(
        datetime::parse_naive("25/12/2021"),
        Err(marketplace_types::Error::InvalidDateTime { .. })
    ));
    assert!(datetime::parse_naive("2021-12-25").is_err());
    assert_eq!(
        datetime::parse_naive("2022-05-01T12:00:00.5").unwrap(),
        ndt(2022, 5, 1, 12, 0, 0, 500_000)
    );
}

#[test]
fn numerbay_datetimes_encode_like_python_isoformat() {
    assert_eq!(
        datetime::format_naive(&ndt(2021, 3, 22, 17, 44, 50, 0)),
        "2021-03-22T17:44:50"
    );
    assert_eq!(
        datetime::format_naive(&ndt(2021, 12, 25, 6, 34, 58, 47_278)),
        "2021-12-25T06:34:58.047278"
    );
    assert_eq!(
        datetime::format_naive(&ndt(2022, 5, 1, 12, 0, 0, 500_000)),
        "2022-05-01T12:00:00.500000"
    );
}

#[test]
fn crowdcent_datetimes() {
    let plain = datetime::parse_utc("2025-06-05T12:34:26Z").unwrap();
    assert_eq!(datetime::format_utc(&plain), "2025-06-05T12:34:26Z");
    let micro = datetime::parse_utc("2025-07-25T14:00:29.177700Z").unwrap();
    assert_eq!(datetime::format_utc(&micro), "2025-07-25T14:00:29.177700Z");
    assert_eq!(datetime::parse_utc("2025-07-25T14:00:29.177700").unwrap(), micro);
    assert!(datetime::parse_utc("yesterday").is_err());
}

#[test]
fn coupon_expiration_is_a_plain_date() {
    let date: NaiveDate = serde_json::from_str(r#""2022-02-01""#).unwrap();
    assert_eq!(date, NaiveDate::from_ymd_opt(2022, 2, 1).unwrap());
}

#[test]
fn enums_decode_known_and_unknown_values() {
    let states: Vec<OrderState> =
        serde_json::from_str(r#"["pending","confirmed","expired","invalid_currency","refunded"]"#).unwrap();
    assert_eq!(
        states,
        vec![
            OrderState::Pending,
            OrderState::Confirmed,
            OrderState::Expired,
            OrderState::InvalidCurrency,
            OrderState::Unknown("refunded".into()),
        ]
    );
    assert!(states[4].is_unknown());
    assert_eq!(
        serde_json::to_string(&states).unwrap(),
        r#"["pending","confirmed","expired","invalid_currency","refunded"]"#
    );
    let modes: Vec<OrderMode> = serde_json::from_str(r#"["file","stake","stake_with_limit","x"]"#).unwrap();
    assert_eq!(modes[2], OrderMode::StakeWithLimit);
    assert_eq!(modes[3].as_str(), "x");
    let art: Vec<ArtifactState> = serde_json::from_str(
        r#"["pending","active","failed","expired","marked_for_pruning","pruned","new"]"#,
    )
    .unwrap();
    assert_eq!(art[4], ArtifactState::MarkedForPruning);
    assert_eq!(art[6], ArtifactState::Unknown("new".into()));
    assert_eq!("active".parse::<ArtifactState>(), Ok(ArtifactState::Active));
    assert_eq!(OrderMode::File.to_string(), "file");
    // Unknown is by value: a known string never becomes Unknown.
    assert_eq!(OrderState::from(String::from("pending")), OrderState::Pending);
}
