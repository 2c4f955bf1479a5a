//! Typed ids: `ArtifactId` routing by format, 32-hex order-artifact ids, integer id parsing.

use marketplace_types::numerbay::*;
use marketplace_types::Error;

use crate::util::{decode, roundtrip};

const HEX: &str = "3f0c2a9e8b7d4c1f9e0a6b5c4d3e2f1a";

#[test]
fn digits_are_product_artifacts() {
    assert_eq!(
        "744".parse::<ArtifactId>().unwrap(),
        ArtifactId::Product(ProductArtifactId(744))
    );
    assert_eq!(
        "0".parse::<ArtifactId>().unwrap(),
        ArtifactId::Product(ProductArtifactId(0))
    );
}

#[test]
fn lowercase_hex_32_is_an_order_artifact() {
    assert_eq!(
        HEX.parse::<ArtifactId>().unwrap(),
        ArtifactId::Order(OrderArtifactId(HEX.to_owned()))
    );
    // An all-digit uuid hex does not fit a u64, so it is an order artifact.
    let digits = "12345678901234567890123456789012";
    assert!(matches!(
        digits.parse::<ArtifactId>().unwrap(),
        ArtifactId::Order(_)
    ));
}

#[test]
fn anything_else_is_a_typed_error() {
    for bad in [
        "",
        " 744",
        "-1",
        "74a",
        "3F0C2A9E8B7D4C1F9E0A6B5C4D3E2F1A",
        "3f0c2a9e-8b7d-4c1f-9e0a-6b5c4d3e2f1a",
        "3f0c2a9e8b7d4c1f9e0a6b5c4d3e2f1",
        "3f0c2a9e8b7d4c1f9e0a6b5c4d3e2f1ab",
        "3f0c2a9e8b7d4c1f9e0a6b5c4d3e2f1g",
        "99999999999999999999",
    ] {
        match bad.parse::<ArtifactId>() {
            Err(Error::InvalidArtifactId { input }) => assert_eq!(input, bad),
            other => panic!("{bad:?} should be rejected, got {other:?}"),
        }
    }
}

#[test]
fn error_message_says_what_to_pass() {
    let err = "nope".parse::<ArtifactId>().unwrap_err().to_string();
    assert!(
        err.contains("\"nope\"") && err.contains("32-character lowercase hex"),
        "{err}"
    );
}

#[test]
fn display_round_trips_through_from_str() {
    for text in ["744", HEX] {
        let id: ArtifactId = text.parse().unwrap();
        assert_eq!(id.to_string(), text);
    }
}

#[test]
fn artifact_id_serde_number_vs_string() {
    let product: ArtifactId = roundtrip("744");
    assert_eq!(product, ArtifactId::Product(ProductArtifactId(744)));
    assert_eq!(serde_json::to_string(&product).unwrap(), "744");
    let order: ArtifactId = roundtrip(&format!("\"{HEX}\""));
    assert!(matches!(order, ArtifactId::Order(_)));
    assert_eq!(serde_json::to_string(&order).unwrap(), format!("\"{HEX}\""));
    // A numeric string is a product-artifact id, decided by format.
    assert_eq!(
        decode::<ArtifactId>("\"744\""),
        ArtifactId::Product(ProductArtifactId(744))
    );
    assert!(serde_json::from_str::<ArtifactId>("\"x\"").is_err());
    assert!(serde_json::from_str::<ArtifactId>("-3").is_err());
    assert!(serde_json::from_str::<ArtifactId>("1.5").is_err());
    assert!(serde_json::from_str::<ArtifactId>("null").is_err());
}

#[test]
fn order_artifact_id_validation() {
    assert!(OrderArtifactId::is_valid(HEX));
    assert_eq!(HEX.parse::<OrderArtifactId>().unwrap().as_str(), HEX);
    assert!(matches!(
        "744".parse::<OrderArtifactId>(),
        Err(Error::InvalidOrderArtifactId { .. })
    ));
}

#[test]
fn integer_ids() {
    assert_eq!("42".parse::<UserId>().unwrap(), UserId(42));
    assert_eq!(" 7 ".parse::<OrderId>().unwrap(), OrderId(7));
    let err = "x".parse::<ProductId>().unwrap_err();
    assert!(matches!(err, Error::InvalidIntegerId { kind: "product", .. }));
    assert!(err.to_string().contains("product id \"x\""));
    assert_eq!(serde_json::to_string(&ProductId(2)).unwrap(), "2");
    assert_eq!(decode::<ProductArtifactId>("744"), ProductArtifactId(744));
    assert_eq!(ProductId(2).to_string(), "2");
    assert_eq!(u64::from(OrderId(9)), 9);
}
