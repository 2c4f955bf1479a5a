//! NumerBay DTOs (spec `numerbay-api.md` §2–§4): users, products, orders, artifacts, and request bodies.
//!
//! Field names and types follow the wire exactly; nullable fields are `Option` and serialize as
//! `null` (the server always emits every key). Request bodies skip `None` fields instead.

mod artifact;
mod ids;
mod misc;
mod order;
mod product;
mod requests;
mod user;

pub use artifact::{
    Artifact, ArtifactRow, ArtifactState, OrderArtifact, OrderArtifactRow, OrderUploadUrl,
    OrderUploadUrlForm, UploadUrl, UploadUrlForm,
};
pub use ids::{ArtifactId, OrderArtifactId, OrderId, ProductArtifactId, ProductId, UserId};
pub use misc::{ErrorBody, ErrorDetail, Globals, Page, Token, ValidationItem, WebhookPayload};
pub use order::{Order, OrderMode, OrderState, SubmitState};
pub use product::{
    Aggregation, AggregationOption, Category, GenericOwner, Product, ProductOption, ProductRow,
    ProductSearchResponse, Review,
};
pub use requests::{
    CreateOrder, InFilter, LockRequest, OrderFilters, OrderRole, OrderSearch, ProductFilters, ProductSearch,
    SubmissionModelRequest, UserUpdate,
};
pub use user::{Coupon, ModelMinimal, ModelSummary, NumeraiAccountModel, NumeraiModel, User, UserRef};
