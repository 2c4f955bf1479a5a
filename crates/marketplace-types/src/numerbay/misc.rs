//! NumerBay login token, pages, site globals, error bodies and the seller webhook payload (spec §1.2, §1.4, §3.1, §3.12, §4.5).

use std::fmt;

use rust_decimal::Decimal;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};

use super::ids::{OrderId, ProductId};
use super::user::User;

/// Response of `POST /login/access-token`. `Debug` redacts the token.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Token {
    /// The JWT (HS256, claims `exp` and `sub`); a secret.
    pub access_token: String,
    /// Always `bearer`.
    #[serde(default = "bearer")]
    pub token_type: String,
    /// The logged-in user.
    #[serde(default)]
    pub user: Option<User>,
}

fn bearer() -> String {
    "bearer".to_owned()
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self {
            access_token: _,
            token_type,
            user,
        } = self;
        f.debug_struct("Token")
            .field("access_token", &"******")
            .field("token_type", token_type)
            .field("user", user)
            .finish()
    }
}

/// A paged list: `{"total": <count before skip/limit>, "data": [...]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    /// Number of matches before `skip`/`limit`.
    pub total: u64,
    /// The items of this page.
    pub data: Vec<T>,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Self {
            total: 0,
            data: Vec::new(),
        }
    }
}

/// Site globals (`GET /globals/`, a raw row).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Globals {
    /// Always 0.
    #[serde(default)]
    pub id: u64,
    /// Numerai's current round (tournament 8).
    pub active_round: u32,
    /// The round being sold: `active_round`, or `active_round + 1` after staking closes.
    pub selling_round: u32,
    /// Round rollover in progress.
    #[serde(default)]
    pub is_doing_round_rollover: bool,
    /// Last round whose opening was processed.
    #[serde(default)]
    pub last_round_open_processed: Option<u32>,
    /// Site total: products.
    #[serde(default)]
    pub total_num_products: Option<u64>,
    /// Site total: sales.
    #[serde(default)]
    pub total_num_sales: Option<u64>,
    /// Site total: quantity sold.
    #[serde(default)]
    pub total_qty_sales: Option<u64>,
    /// Site total: NMR sold.
    #[serde(default, with = "crate::decimal::option")]
    pub total_sales_nmr: Option<Decimal>,
}

/// A NumerBay error body: `{"detail": "<string>"}` or the 422 list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The `detail` value.
    pub detail: ErrorDetail,
}

/// The `detail` of a NumerBay error body.
#[derive(Debug, Clone, PartialEq)]
pub enum ErrorDetail {
    /// An application error message, e.g. `Could not validate credentials`.
    Message(String),
    /// Request validation errors (422, pydantic v1 style).
    Validation(Vec<ValidationItem>),
    /// Any other shape, kept as sent.
    Other(serde_json::Value),
}

impl ErrorDetail {
    /// One line for humans: the message, or the validation items joined as `loc: msg`.
    pub fn summary(&self) -> String {
        match self {
            Self::Message(m) => m.clone(),
            Self::Validation(items) => items
                .iter()
                .map(ValidationItem::summary)
                .collect::<Vec<_>>()
                .join("; "),
            Self::Other(v) => v.to_string(),
        }
    }
}

impl Serialize for ErrorDetail {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Message(m) => m.serialize(serializer),
            Self::Validation(items) => items.serialize(serializer),
            Self::Other(v) => v.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for ErrorDetail {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::String(m) => Ok(Self::Message(m)),
            serde_json::Value::Array(items) => {
                match serde_json::from_value(serde_json::Value::Array(items.clone())) {
                    Ok(parsed) => Ok(Self::Validation(parsed)),
                    Err(_) => Ok(Self::Other(serde_json::Value::Array(items))),
                }
            }
            serde_json::Value::Null => Err(D::Error::custom("invalid type: null, expected a detail")),
            other => Ok(Self::Other(other)),
        }
    }
}

/// One 422 validation item: `{"loc": ["body", "skip"], "msg": "...", "type": "type_error.integer"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidationItem {
    /// Location: `"body" | "query" | "path"`, then field names or indexes.
    #[serde(default)]
    pub loc: Vec<serde_json::Value>,
    /// Message, e.g. `field required`.
    #[serde(default)]
    pub msg: String,
    /// Error type, e.g. `value_error.missing`.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// Offending input (malformed-JSON items only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<serde_json::Value>,
    /// Extra context (malformed-JSON items only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ctx: Option<serde_json::Value>,
}

impl ValidationItem {
    /// `loc: msg`, with the location joined by dots (`body.skip: value is not a valid integer`).
    pub fn summary(&self) -> String {
        let loc = self
            .loc
            .iter()
            .map(|part| match part {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join(".");
        format!("{loc}: {}", self.msg)
    }
}

/// The JSON a product's webhook receives on round open and on each confirmed order (spec §4.5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookPayload {
    /// Event time, as sent (format not pinned down by the spec).
    pub date: Option<String>,
    /// The product.
    pub product_id: ProductId,
    /// Category slug.
    pub product_category: Option<String>,
    /// Product name.
    pub product_name: Option<String>,
    /// Full name (sku-like).
    pub product_full_name: Option<String>,
    /// Numerai model id.
    pub model_id: Option<String>,
    /// Tournament number.
    pub tournament: Option<u32>,
    /// The confirmed order; null on round open.
    pub order_id: Option<OrderId>,
    /// The round.
    pub round_tournament: Option<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_debug_redacts_the_jwt() {
        let token = Token {
            access_token: "eyJsecret".into(),
            token_type: bearer(),
            user: None,
        };
        let debug = format!("{token:?}");
        assert!(!debug.contains("eyJsecret"), "{debug}");
    }

    #[test]
    fn detail_summary_of_each_shape() {
        assert_eq!(ErrorDetail::Message("Not Found".into()).summary(), "Not Found");
        let body: ErrorBody = serde_json::from_str(
            r#"{"detail":[{"loc":["query","limit"],"msg":"value is not a valid integer","type":"type_error.integer"}]}"#,
        )
        .unwrap();
        assert_eq!(body.detail.summary(), "query.limit: value is not a valid integer");
        assert!(serde_json::from_str::<ErrorBody>(r#"{"detail": null}"#).is_err());
    }
}
