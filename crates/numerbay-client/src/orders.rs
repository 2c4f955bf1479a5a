//! Orders: the caller's purchases and sales (`POST orders/search`).

use futures::{Stream, TryStreamExt};
use marketplace_types::numerbay::{
    InFilter, Order, OrderFilters, OrderId, OrderRole, OrderSearch, Page, ProductId,
};

use crate::client::NumerBay;
use crate::error::Result;
use crate::paging::{collect_pages, page_stream};

/// Which orders to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderQuery {
    /// Orders the caller bought, or orders of the caller's products; `None` = either.
    pub role: Option<OrderRole>,
    /// Only orders of this product.
    pub product: Option<ProductId>,
    /// Only confirmed orders whose `rounds` contain this round (the "active" rule for that round).
    pub active_in_round: Option<u32>,
}

/// Which of the caller's sales [`NumerBay::my_sales`] lists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SalesFilter {
    /// Every sale, whatever its state or rounds.
    #[default]
    All,
    /// Only sales that are confirmed and cover the current selling round.
    ActiveThisRound,
}

impl NumerBay {
    /// One page of `POST orders/search` with an explicit body.
    ///
    /// # Errors
    /// [`Error::CredentialsRequired`](crate::Error::CredentialsRequired), auth, API
    /// (e.g. 400 `Skip must be positive`) and transport errors.
    pub async fn search_orders(&self, body: &OrderSearch) -> Result<Page<Order>> {
        self.require_login("orders")?;
        Ok(self
            .http
            .post("orders/search")
            .json(body)
            .idempotent(true)
            .send_json()
            .await?)
    }

    /// Every order matching `query`, all pages, newest first (by order date, then id).
    ///
    /// # Errors
    /// As [`Self::search_orders`].
    pub async fn list_orders(&self, query: &OrderQuery) -> Result<Vec<Order>> {
        let filters = order_filters(query);
        let page = collect_pages(
            "order search",
            |o: &Order| o.id,
            |skip, limit| {
                let body = OrderSearch {
                    role: query.role.clone(),
                    skip: Some(skip),
                    limit: Some(limit),
                    // Stable order under paging: the server's default is `id` desc.
                    sort: None,
                    filters: filters.clone(),
                    ..OrderSearch::default()
                };
                async move { self.search_orders(&body).await }
            },
        )
        .await?;
        let mut orders = page.data;
        if let Some(round) = query.active_in_round {
            // Re-check client-side: the rule must hold whatever the server did with the filters.
            orders.retain(|o| o.is_active_for(round));
        }
        if let Some(product) = query.product {
            orders.retain(|o| o.product.id == product);
        }
        sort_newest_first(&mut orders);
        Ok(orders)
    }

    /// The orders matching `query` as a stream, fetched a page at a time: in the server's order
    /// (newest id first), under the same bounds as [`Self::list_orders`] ([`MAX_LISTING_PAGES`],
    /// [`MAX_LISTING_ITEMS`]); an error ends the stream.
    ///
    /// [`MAX_LISTING_PAGES`]: crate::MAX_LISTING_PAGES
    /// [`MAX_LISTING_ITEMS`]: crate::MAX_LISTING_ITEMS
    ///
    /// # Errors
    /// Items are errors as in [`Self::search_orders`].
    pub fn orders_stream(&self, query: &OrderQuery) -> impl Stream<Item = Result<Order>> + Send + '_ {
        let filters = order_filters(query);
        let query = query.clone();
        let role = query.role.clone();
        page_stream(
            "order search",
            |o: &Order| o.id,
            move |skip, limit| {
                let body = OrderSearch {
                    role: role.clone(),
                    skip: Some(skip),
                    limit: Some(limit),
                    sort: None,
                    filters: filters.clone(),
                    ..OrderSearch::default()
                };
                async move { self.search_orders(&body).await }
            },
        )
        .try_filter(move |o| {
            // Re-checked client-side, as in `list_orders`.
            let keep = query.active_in_round.is_none_or(|round| o.is_active_for(round))
                && query.product.is_none_or(|product| o.product.id == product);
            futures::future::ready(keep)
        })
    }

    /// The caller's purchases as a stream (see [`Self::orders_stream`]).
    ///
    /// # Errors
    /// Items are errors as in [`Self::search_orders`].
    pub fn my_orders_stream(&self) -> impl Stream<Item = Result<Order>> + Send + '_ {
        self.orders_stream(&OrderQuery {
            role: Some(OrderRole::Buyer),
            ..OrderQuery::default()
        })
    }

    /// The caller's purchases (role `buyer`), all pages.
    ///
    /// # Errors
    /// As [`Self::search_orders`].
    pub async fn my_orders(&self) -> Result<Vec<Order>> {
        self.list_orders(&OrderQuery {
            role: Some(OrderRole::Buyer),
            ..OrderQuery::default()
        })
        .await
    }

    /// Orders of the caller's products (role `seller`), all or only those active this round.
    ///
    /// # Errors
    /// As [`Self::search_orders`], plus errors reading the globals for
    /// [`SalesFilter::ActiveThisRound`].
    pub async fn my_sales(&self, filter: SalesFilter) -> Result<Vec<Order>> {
        let active_in_round = match filter {
            SalesFilter::ActiveThisRound => Some(self.globals().await?.selling_round),
            SalesFilter::All => None,
        };
        self.list_orders(&OrderQuery {
            role: Some(OrderRole::Seller),
            product: None,
            active_in_round,
        })
        .await
    }

    /// One order of the caller (as buyer or seller), or `None` when it is not visible.
    ///
    /// # Errors
    /// As [`Self::search_orders`].
    pub async fn order(&self, id: OrderId, role: Option<OrderRole>) -> Result<Option<Order>> {
        let body = OrderSearch {
            role,
            id: Some(id),
            ..OrderSearch::default()
        };
        let page = self.search_orders(&body).await?;
        Ok(page.data.into_iter().find(|o| o.id == id))
    }
}

/// Server-side filters for `query`.
///
/// Spec §2.2: `filters.active` refreshes the round from Numerai's API inside the request and can
/// answer 500 when Numerai is down; `state` + `round_order` (which matches `rounds`) express the
/// same rule from the database alone, so they are used instead.
fn order_filters(query: &OrderQuery) -> Option<OrderFilters> {
    let mut filters = OrderFilters::default();
    let mut any = false;
    if let Some(product) = query.product {
        filters.product = Some(InFilter::new([product.get()]));
        any = true;
    }
    if let Some(round) = query.active_in_round {
        filters.state = Some(InFilter::new(["confirmed"]));
        filters.round_order = Some(InFilter::new([round]));
        any = true;
    }
    any.then_some(filters)
}

/// Sorts orders newest first: order date, then id (the server's order is not relied on).
pub(crate) fn sort_newest_first(orders: &mut [Order]) {
    orders.sort_by(|a, b| b.date_order.cmp(&a.date_order).then(b.id.cmp(&a.id)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn active_filter_uses_state_and_round_order() {
        let q = OrderQuery {
            role: Some(OrderRole::Seller),
            product: Some(ProductId(7)),
            active_in_round: Some(500),
        };
        let json = serde_json::to_value(order_filters(&q)).expect("json");
        assert_eq!(
            json,
            serde_json::json!({"product": {"in": [7]}, "state": {"in": ["confirmed"]}, "round_order": {"in": [500]}})
        );
        assert_eq!(order_filters(&OrderQuery::default()), None);
    }
}
