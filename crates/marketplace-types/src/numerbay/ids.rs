//! Typed NumerBay ids: integer newtypes, the 32-hex order-artifact id, and the routing `ArtifactId`.

use std::fmt;
use std::str::FromStr;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::Error;

int_id!(
    /// A NumerBay user id.
    UserId,
    "user"
);
int_id!(
    /// A NumerBay product (listing) id.
    ProductId,
    "product"
);
int_id!(
    /// A NumerBay order id.
    OrderId,
    "order"
);
int_id!(
    /// A product-artifact id (an integer; routes to `/products/{pid}/artifacts/{aid}`).
    ProductArtifactId,
    "product-artifact"
);

/// An order-artifact id: `uuid4().hex`, 32 lowercase hex characters (routes to `/artifacts/{id}`).
///
/// Decoding from JSON accepts any string (the server is the authority on its ids); [`FromStr`]
/// validates the format, so user input is checked.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OrderArtifactId(pub String);

impl OrderArtifactId {
    /// The id as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `text` has the wire format of an order-artifact id (32 lowercase hex characters).
    pub fn is_valid(text: &str) -> bool {
        text.len() == 32
            && text
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    }
}

impl fmt::Display for OrderArtifactId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for OrderArtifactId {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if Self::is_valid(s) {
            Ok(Self(s.to_owned()))
        } else {
            Err(Error::InvalidOrderArtifactId { input: s.to_owned() })
        }
    }
}

/// Either kind of artifact id, decided by format so a caller can never route one to the other's endpoint.
///
/// Parsing: all ASCII digits that fit a `u64` → [`ArtifactId::Product`]; 32 lowercase hex characters
/// → [`ArtifactId::Order`] (this also covers the rare all-digit uuid hex, which does not fit a `u64`);
/// anything else → [`Error::InvalidArtifactId`]. In JSON a number is a product-artifact id and a
/// string is parsed by the same rule.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ArtifactId {
    /// An integer product-artifact id.
    Product(ProductArtifactId),
    /// A 32-hex order-artifact id.
    Order(OrderArtifactId),
}

impl From<ProductArtifactId> for ArtifactId {
    fn from(id: ProductArtifactId) -> Self {
        Self::Product(id)
    }
}

impl From<OrderArtifactId> for ArtifactId {
    fn from(id: OrderArtifactId) -> Self {
        Self::Order(id)
    }
}

impl fmt::Display for ArtifactId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Product(id) => fmt::Display::fmt(id, f),
            Self::Order(id) => fmt::Display::fmt(id, f),
        }
    }
}

impl FromStr for ArtifactId {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let digits = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if digits && s.len() <= 20 {
            if let Ok(n) = s.parse::<u64>() {
                return Ok(Self::Product(ProductArtifactId(n)));
            }
        }
        if OrderArtifactId::is_valid(s) {
            return Ok(Self::Order(OrderArtifactId(s.to_owned())));
        }
        Err(Error::InvalidArtifactId { input: s.to_owned() })
    }
}

impl Serialize for ArtifactId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Product(id) => id.serialize(serializer),
            Self::Order(id) => id.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for ArtifactId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Through `Value` so numbers decode the same with serde_json's `arbitrary_precision` on.
        match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::Number(n) => n
                .as_u64()
                .map(|n| Self::Product(ProductArtifactId(n)))
                .ok_or_else(|| {
                    D::Error::custom(format_args!(
                        "invalid artifact id {n}: expected a non-negative integer"
                    ))
                }),
            serde_json::Value::String(s) => s.parse().map_err(D::Error::custom),
            other => Err(D::Error::custom(format_args!(
                "invalid artifact id {other}: expected an integer or a 32-hex string"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_artifact_id_format() {
        assert!(OrderArtifactId::is_valid("0123456789abcdef0123456789abcdef"));
        assert!(!OrderArtifactId::is_valid("0123456789ABCDEF0123456789abcdef"));
        assert!(!OrderArtifactId::is_valid("0123456789abcdef"));
    }

    #[test]
    fn artifact_id_routes_by_format() {
        assert_eq!(
            "5".parse::<ArtifactId>().unwrap(),
            ArtifactId::Product(ProductArtifactId(5))
        );
        let hex = "0123456789abcdef0123456789abcdef";
        assert_eq!(
            hex.parse::<ArtifactId>().unwrap(),
            ArtifactId::Order(OrderArtifactId(hex.into()))
        );
        assert!("5a".parse::<ArtifactId>().is_err());
    }
}
