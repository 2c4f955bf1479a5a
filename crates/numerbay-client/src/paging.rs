//! Collecting every page of a `{total, data}` listing, bounded against a server whose listing
//! never ends (a `total` that lies, `skip` ignored, pages that keep coming).

use std::collections::HashSet;
use std::future::Future;
use std::hash::Hash;

use futures::{Stream, TryStreamExt};
use marketplace_types::numerbay::Page;

use crate::error::{Error, Result};

/// Page size used when collecting a whole listing.
pub(crate) const PAGE_SIZE: i64 = 100;

/// Most pages one listing may take before it fails with [`Error::ListingDidNotEnd`]: 10,000
/// pages, a million items at 100 a page (NumerBay's whole marketplace is a few thousand).
pub const MAX_LISTING_PAGES: u32 = 10_000;

/// Most items one listing may collect before it fails with [`Error::ListingDidNotEnd`] (a server
/// may send pages longer than asked for).
pub const MAX_LISTING_ITEMS: usize = 1_000_000;

/// Calls `fetch(skip, limit)` until the listing is exhausted: an empty or short page, `total`
/// items collected, or a page that brings no item not seen before (a server ignoring `skip`;
/// logged as a warning). Items are identified by `key`; one seen again on a later page (offset
/// paging shifts when items are added meanwhile) is kept only once. The returned page's `total`
/// is the server's last reported total.
///
/// `what` names the listing in the error.
///
/// # Errors
/// `fetch`'s errors; [`Error::ListingDidNotEnd`] after [`MAX_LISTING_PAGES`] pages or
/// [`MAX_LISTING_ITEMS`] items.
pub(crate) async fn collect_pages<T, K, F, Fut>(
    what: &'static str,
    key: impl Fn(&T) -> K,
    fetch: F,
) -> Result<Page<T>>
where
    K: Eq + Hash,
    F: FnMut(i64, i64) -> Fut,
    Fut: Future<Output = Result<Page<T>>>,
{
    collect_bounded(what, key, fetch, MAX_LISTING_PAGES, MAX_LISTING_ITEMS).await
}

async fn collect_bounded<T, K, F, Fut>(
    what: &'static str,
    key: impl Fn(&T) -> K,
    fetch: F,
    max_pages: u32,
    max_items: usize,
) -> Result<Page<T>>
where
    K: Eq + Hash,
    F: FnMut(i64, i64) -> Fut,
    Fut: Future<Output = Result<Page<T>>>,
{
    let mut pager = Pager::bounded(what, key, fetch, max_pages, max_items);
    let mut data = Vec::new();
    while let Some(items) = pager.next_page().await? {
        data.extend(items);
    }
    Ok(Page {
        total: pager.total,
        data,
    })
}

/// The listing as a stream of items, page by page, under the same rules and bounds as
/// [`collect_pages`] (an error ends the stream).
pub(crate) fn page_stream<T, K, KF, F, Fut>(
    what: &'static str,
    key: KF,
    fetch: F,
) -> impl Stream<Item = Result<T>> + Send
where
    T: Send,
    K: Eq + Hash + Send,
    KF: Fn(&T) -> K + Send,
    F: FnMut(i64, i64) -> Fut + Send,
    Fut: Future<Output = Result<Page<T>>> + Send,
{
    let pager = Pager::bounded(what, key, fetch, MAX_LISTING_PAGES, MAX_LISTING_ITEMS);
    futures::stream::try_unfold(pager, |mut pager| async move {
        let next: Result<_> = pager.next_page().await;
        next.map(|page| page.map(|items| (items, pager)))
    })
    .map_ok(|items| futures::stream::iter(items.into_iter().map(Ok::<T, Error>)))
    .try_flatten()
}

/// Walks a listing one page at a time: the one implementation of the paging rules.
struct Pager<T, K, KF, F> {
    what: &'static str,
    key: KF,
    fetch: F,
    seen: HashSet<K>,
    collected: usize,
    skip: i64,
    pages: u32,
    max_pages: u32,
    max_items: usize,
    /// The server's last reported total.
    total: u64,
    done: bool,
    _items: std::marker::PhantomData<fn() -> T>,
}

impl<T, K, KF, F, Fut> Pager<T, K, KF, F>
where
    K: Eq + Hash,
    KF: Fn(&T) -> K,
    F: FnMut(i64, i64) -> Fut,
    Fut: Future<Output = Result<Page<T>>>,
{
    fn bounded(what: &'static str, key: KF, fetch: F, max_pages: u32, max_items: usize) -> Self {
        Self {
            what,
            key,
            fetch,
            seen: HashSet::new(),
            collected: 0,
            skip: 0,
            pages: 0,
            max_pages,
            max_items,
            total: 0,
            done: false,
            _items: std::marker::PhantomData,
        }
    }

    /// The items of the next page not seen before, or `None` once the listing is exhausted: an
    /// empty or short page, `total` items collected, or a page that brings no new item (a server
    /// ignoring `skip`; logged as a warning).
    async fn next_page(&mut self) -> Result<Option<Vec<T>>> {
        if self.done {
            return Ok(None);
        }
        if self.pages >= self.max_pages {
            self.done = true;
            return Err(Error::ListingDidNotEnd {
                what: self.what,
                pages: self.max_pages,
                items: self.collected,
            });
        }
        self.pages += 1;
        let page = (self.fetch)(self.skip, PAGE_SIZE).await?;
        let n = page.data.len();
        self.total = page.total;
        let mut fresh = Vec::new();
        for item in page.data {
            if self.seen.insert((self.key)(&item)) {
                fresh.push(item);
            }
        }
        self.collected += fresh.len();
        if self.collected > self.max_items {
            self.done = true;
            return Err(Error::ListingDidNotEnd {
                what: self.what,
                pages: self.pages,
                items: self.collected,
            });
        }
        self.skip = self.skip.saturating_add(i64::try_from(n).unwrap_or(i64::MAX));
        if n == 0 || n < PAGE_SIZE as usize || self.collected as u64 >= self.total {
            self.done = true;
        } else if fresh.is_empty() {
            tracing::warn!(
                listing = self.what,
                skip = self.skip,
                total = self.total,
                collected = self.collected,
                "the server sent a page of items already seen; taking the listing as complete"
            );
            self.done = true;
        }
        Ok(Some(fresh))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Mutex;

    fn id(x: &u64) -> u64 {
        *x
    }

    #[tokio::test]
    async fn walks_pages_until_total() {
        let calls = Mutex::new(Vec::new());
        let all: Vec<u64> = (0..250).collect();
        let page = collect_pages("test", id, |skip, limit| {
            calls.lock().map(|mut c| c.push((skip, limit))).ok();
            let data: Vec<u64> = all
                .iter()
                .copied()
                .skip(skip as usize)
                .take(limit as usize)
                .collect();
            async move { Ok(Page { total: 250, data }) }
        })
        .await
        .expect("pages");
        assert_eq!(page.data, all);
        assert_eq!(
            *calls.lock().expect("lock"),
            vec![(0, 100), (100, 100), (200, 100)]
        );
    }

    #[tokio::test]
    async fn stops_on_an_empty_page_even_if_total_lies() {
        let page = collect_pages("test", id, |skip, _| async move {
            let data = if skip == 0 { (0..100).collect() } else { Vec::new() };
            Ok(Page { total: 1000, data })
        })
        .await
        .expect("pages");
        assert_eq!(page.data.len(), 100);
    }

    #[tokio::test]
    async fn a_page_repeating_the_previous_one_ends_the_listing() {
        // The server ignores `skip`: every page is the first one, and `total` promises more.
        let calls = AtomicU32::new(0);
        let page = collect_pages("test", id, |_, _| {
            calls.fetch_add(1, Ordering::SeqCst);
            async move {
                Ok(Page {
                    total: 1_000_000,
                    data: (0..100).collect(),
                })
            }
        })
        .await
        .expect("pages");
        assert_eq!(page.data, (0..100).collect::<Vec<u64>>());
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn items_shifted_onto_the_next_page_are_kept_once() {
        // An item inserted meanwhile pushes the last item of page 1 onto page 2.
        let page = collect_pages("test", id, |skip, _| async move {
            let data: Vec<u64> = match skip {
                0 => (0..100).collect(),
                100 => (99..150).collect(),
                _ => Vec::new(),
            };
            Ok(Page { total: 151, data })
        })
        .await
        .expect("pages");
        assert_eq!(page.data, (0..150).collect::<Vec<u64>>());
    }

    #[tokio::test]
    async fn endless_full_pages_with_a_huge_total_fail_at_the_page_bound() {
        let calls = AtomicU32::new(0);
        let err = collect_pages("test", id, |skip, limit| {
            calls.fetch_add(1, Ordering::SeqCst);
            let data: Vec<u64> = (skip as u64..(skip + limit) as u64).collect();
            async move {
                Ok(Page {
                    total: u64::MAX,
                    data,
                })
            }
        })
        .await
        .unwrap_err();
        assert_eq!(calls.load(Ordering::SeqCst), MAX_LISTING_PAGES);
        match &err {
            Error::ListingDidNotEnd { what, pages, items } => {
                assert_eq!(*what, "test");
                assert_eq!(*pages, MAX_LISTING_PAGES);
                assert_eq!(*items, MAX_LISTING_ITEMS);
            }
            other => panic!("expected ListingDidNotEnd, got {other:?}"),
        }
        let text = err.to_string();
        assert!(text.contains("did not end"), "{text}");
    }

    #[tokio::test]
    async fn pages_longer_than_asked_fail_at_the_item_bound() {
        let calls = AtomicU32::new(0);
        let next = AtomicU32::new(0);
        let err = collect_bounded(
            "test",
            id,
            |_, _| {
                calls.fetch_add(1, Ordering::SeqCst);
                let start = u64::from(next.fetch_add(1000, Ordering::SeqCst));
                async move {
                    Ok(Page {
                        total: u64::MAX,
                        data: (start..start + 1000).collect(),
                    })
                }
            },
            MAX_LISTING_PAGES,
            5000,
        )
        .await
        .unwrap_err();
        assert!(
            matches!(
                err,
                Error::ListingDidNotEnd {
                    pages: 6,
                    items: 6000,
                    ..
                }
            ),
            "{err:?}"
        );
        assert_eq!(calls.load(Ordering::SeqCst), 6);
    }

    #[tokio::test]
    async fn the_stream_yields_what_collect_returns_and_keeps_the_bounds() {
        use futures::TryStreamExt;
        let all: Vec<u64> = (0..250).collect();
        let fetch = |skip: i64, limit: i64| {
            let data: Vec<u64> = all
                .iter()
                .copied()
                .skip(skip as usize)
                .take(limit as usize)
                .collect();
            async move { Ok(Page { total: 250, data }) }
        };
        let streamed: Vec<u64> = page_stream("test", id, fetch)
            .try_collect()
            .await
            .expect("stream");
        assert_eq!(streamed, all);

        let calls = AtomicU32::new(0);
        let endless = page_stream("test", id, |skip, limit| {
            calls.fetch_add(1, Ordering::SeqCst);
            let data: Vec<u64> = (skip as u64..(skip + limit) as u64).collect();
            async move {
                Ok(Page {
                    total: u64::MAX,
                    data,
                })
            }
        });
        let err = endless.try_collect::<Vec<u64>>().await.unwrap_err();
        assert!(
            matches!(
                err,
                Error::ListingDidNotEnd {
                    pages: MAX_LISTING_PAGES,
                    ..
                }
            ),
            "{err:?}"
        );
        assert_eq!(calls.load(Ordering::SeqCst), MAX_LISTING_PAGES);
    }
}
