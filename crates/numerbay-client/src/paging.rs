//! Collecting every page of a `{total, data}` listing.

use std::future::Future;

use marketplace_types::numerbay::Page;

use crate::error::Result;

/// Page size used when collecting a whole listing.
pub(crate) const PAGE_SIZE: i64 = 100;

/// Calls `fetch(skip, limit)` until the listing is exhausted: a short or empty page, or `total`
/// items collected. The returned page's `total` is the server's last reported total.
pub(crate) async fn collect_pages<T, F, Fut>(mut fetch: F) -> Result<Page<T>>
where
    F: FnMut(i64, i64) -> Fut,
    Fut: Future<Output = Result<Page<T>>>,
{
    let mut data: Vec<T> = Vec::new();
    let mut skip = 0i64;
    loop {
        let page = fetch(skip, PAGE_SIZE).await?;
        let n = page.data.len();
        let total = page.total;
        data.extend(page.data);
        skip += i64::try_from(n).unwrap_or(i64::MAX);
        if n == 0 || n < PAGE_SIZE as usize || data.len() as u64 >= total {
            return Ok(Page { total, data });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[tokio::test]
    async fn walks_pages_until_total() {
        let calls = Mutex::new(Vec::new());
        let all: Vec<u32> = (0..250).collect();
        let page = collect_pages(|skip, limit| {
            calls.lock().map(|mut c| c.push((skip, limit))).ok();
            let data: Vec<u32> = all
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
        let page = collect_pages(|skip, _| async move {
            let data = if skip == 0 { vec![1u8; 100] } else { Vec::new() };
            Ok(Page { total: 1000, data })
        })
        .await
        .expect("pages");
        assert_eq!(page.data.len(), 100);
    }
}
