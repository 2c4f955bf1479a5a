//! Products: search (public and authenticated), the caller's listings, resolution by id or full
//! name, and round locking.

use std::fmt;

use futures::Stream;

use marketplace_types::numerbay::{
    InFilter, LockRequest, Page, Product, ProductFilters, ProductId, ProductRow, ProductSearch,
    ProductSearchResponse,
};

use crate::client::NumerBay;
use crate::error::{Error, Result};
use crate::paging::{collect_pages, page_stream};
use crate::resolve;

/// A product named by id or by full name (`sku`: `<category slug>-<lower-cased name>`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ProductRef {
    /// A product id.
    Id(ProductId),
    /// A full name such as `numerai-predictions-mymodel` (matched case-insensitively).
    FullName(String),
}

impl fmt::Display for ProductRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Id(id) => write!(f, "#{id}"),
            Self::FullName(name) => f.write_str(name),
        }
    }
}

impl From<ProductId> for ProductRef {
    fn from(id: ProductId) -> Self {
        Self::Id(id)
    }
}

/// How many near matches a failed name lookup suggests.
const NEAR_MATCHES: usize = 5;
/// Page size for the narrow searches of a name lookup.
const LOOKUP_LIMIT: i64 = 50;

impl NumerBay {
    /// One page of the public product search (`POST products/search`, no login; owners' webhooks
    /// hidden, no coupon pricing).
    ///
    /// # Errors
    /// API (e.g. 400 `Skip must be positive`) and transport errors.
    pub async fn search_products(&self, body: &ProductSearch) -> Result<ProductSearchResponse> {
        Ok(self
            .http
            .post("products/search")
            .json(body)
            .no_auth()
            .idempotent(true)
            .send_json()
            .await?)
    }

    /// One page of the authenticated product search (`POST products/search-authenticated`).
    ///
    /// # Errors
    /// [`Error::CredentialsRequired`], auth, API and transport errors.
    pub async fn search_products_authenticated(&self, body: &ProductSearch) -> Result<ProductSearchResponse> {
        self.require_login("product search")?;
        Ok(self
            .http
            .post("products/search-authenticated")
            .json(body)
            .idempotent(true)
            .send_json()
            .await?)
    }

    /// Every product matching `body` (its `skip`/`limit` are replaced), all pages. Uses the
    /// authenticated search when the client has credentials, the public one otherwise.
    ///
    /// # Errors
    /// As [`Self::search_products`].
    pub async fn search_all_products(&self, body: &ProductSearch) -> Result<Vec<Product>> {
        let page = collect_pages(
            "product search",
            |p: &Product| p.id,
            |skip, limit| {
                let body = ProductSearch {
                    skip: Some(skip),
                    limit: Some(limit),
                    ..body.clone()
                };
                async move {
                    let r = self.search(&body).await?;
                    Ok(Page {
                        total: r.total,
                        data: r.data,
                    })
                }
            },
        )
        .await?;
        Ok(page.data)
    }

    /// The products matching `body` as a stream, fetched a page at a time under the same bounds as
    /// [`Self::search_all_products`]; an error ends the stream.
    ///
    /// # Errors
    /// Items are errors as in [`Self::search_products`].
    pub fn products_stream(&self, body: &ProductSearch) -> impl Stream<Item = Result<Product>> + Send + '_ {
        let body = body.clone();
        page_stream(
            "product search",
            |p: &Product| p.id,
            move |skip, limit| {
                let body = ProductSearch {
                    skip: Some(skip),
                    limit: Some(limit),
                    ..body.clone()
                };
                async move {
                    let r = self.search(&body).await?;
                    Ok(Page {
                        total: r.total,
                        data: r.data,
                    })
                }
            },
        )
    }

    /// The caller's own listings (active and delisted), all pages.
    ///
    /// # Errors
    /// As [`Self::me`] and [`Self::search_products_authenticated`].
    pub async fn my_listings(&self) -> Result<Vec<Product>> {
        let me = self.me().await?;
        let body = ProductSearch {
            filters: Some(ProductFilters {
                user: Some(InFilter::new([me.id.get()])),
                ..ProductFilters::default()
            }),
            ..ProductSearch::default()
        };
        self.search_all_products(&body).await
    }

    /// Finds one product by id or by full name.
    ///
    /// A full name is split at every known category slug it starts with, and each split is looked
    /// up narrowly (`category_slug` + `term`) with an exact `sku` comparison; only if none matches
    /// is the last `-` token searched across all categories. No full scan of all products.
    ///
    /// # Errors
    /// [`Error::ProductNotFound`] (with near matches when the name is unknown), plus API and
    /// transport errors.
    pub async fn product(&self, product: &ProductRef) -> Result<Product> {
        match product {
            ProductRef::Id(id) => {
                let body = ProductSearch {
                    id: Some(*id),
                    ..ProductSearch::default()
                };
                let found = self.search(&body).await?;
                found
                    .data
                    .into_iter()
                    .find(|p| p.id == *id)
                    .ok_or_else(|| Error::ProductNotFound {
                        query: product.to_string(),
                        near: Vec::new(),
                    })
            }
            ProductRef::FullName(name) => self.product_by_name(name).await,
        }
    }

    async fn product_by_name(&self, full: &str) -> Result<Product> {
        let wanted = full.trim().to_lowercase();
        let categories = self.categories().await?;
        let mut slugs: Vec<String> = Vec::new();
        let mut stack: Vec<&marketplace_types::numerbay::Category> = categories.iter().collect();
        while let Some(c) = stack.pop() {
            slugs.push(c.slug.clone());
            stack.extend(c.items.iter().flatten());
        }
        let mut seen: Vec<Product> = Vec::new();
        let splits = resolve::split_full_name(&wanted, slugs.iter().map(String::as_str));
        for (slug, rest) in splits.clone() {
            let body = ProductSearch {
                category_slug: Some(slug),
                term: Some(rest),
                limit: Some(LOOKUP_LIMIT),
                ..ProductSearch::default()
            };
            let found = self.search(&body).await?;
            if let Some(p) = found.data.iter().find(|p| p.sku.to_lowercase() == wanted) {
                return Ok(p.clone());
            }
            seen.extend(found.data);
        }
        let body = ProductSearch {
            term: Some(resolve::fallback_term(&wanted).to_owned()),
            limit: Some(LOOKUP_LIMIT),
            ..ProductSearch::default()
        };
        let found = self.search(&body).await?;
        if let Some(p) = found.data.iter().find(|p| p.sku.to_lowercase() == wanted) {
            return Ok(p.clone());
        }
        seen.extend(found.data);
        if seen.is_empty() {
            // Only on the failure path: offer names from the most specific matching category.
            if let Some((slug, _)) = splits.first() {
                let body = ProductSearch {
                    category_slug: Some(slug.clone()),
                    limit: Some(LOOKUP_LIMIT),
                    ..ProductSearch::default()
                };
                seen.extend(self.search(&body).await?.data);
            }
        }
        Err(Error::ProductNotFound {
            query: full.to_owned(),
            near: resolve::near_matches(&wanted, seen.iter().map(|p| p.sku.as_str()), NEAR_MATCHES),
        })
    }

    /// Locks `product` for `round` (default: the selling round) so that round can no longer be
    /// bought (`POST products/{id}/lock`).
    ///
    /// # Errors
    /// API errors such as 400 `Cannot lock for a past round` or `Product is already locked for
    /// this round`, 403 `Not enough permissions`, 404 `Product not found`; transport errors.
    pub async fn lock_product(&self, product: ProductId, round: Option<u32>) -> Result<ProductRow> {
        self.require_login("lock")?;
        let body = LockRequest { round_number: round };
        Ok(self
            .http
            .post(&format!("products/{product}/lock"))
            .json(&body)
            .send_json()
            .await?)
    }

    async fn search(&self, body: &ProductSearch) -> Result<ProductSearchResponse> {
        if self.logged_in {
            self.search_products_authenticated(body).await
        } else {
            self.search_products(body).await
        }
    }
}
