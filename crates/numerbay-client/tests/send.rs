//! Every public async method's future is `Send + 'static` once its inputs are moved in: it can be
//! `tokio::spawn`ed on a multi-thread runtime. Compiled, not run (the calls need a server).
#![cfg(feature = "autopilot")]

use futures::TryStreamExt;
use marketplace_types::numerbay::{
    OrderArtifactId, OrderId, OrderSearch, OrderUploadUrlForm, ProductArtifactId, ProductId, ProductSearch,
    UploadUrlForm,
};
use numerbay_client::autopilot::AutopilotConfig;
use numerbay_client::{
    ArtifactFilter, ArtifactSource, Autopilot, DownloadOptions, DownloadRequest, NumerBay, OrderQuery,
    ProductRef, SalesFilter, SubmitOptions, UploadOptions,
};

/// The inputs of the calls, passed in so no value needs inventing.
struct Inputs {
    product: ProductRef,
    product_id: ProductId,
    artifact: ProductArtifactId,
    order: OrderId,
    order_artifact: OrderArtifactId,
    upload_form: UploadUrlForm,
    order_form: OrderUploadUrlForm,
    source: ArtifactSource,
    upload: UploadOptions,
    submit: SubmitOptions,
    download: DownloadOptions,
    pilot: AutopilotConfig,
}

fn spawn_every_call(nb: NumerBay, i: Inputs) {
    macro_rules! spawn {
        (|$nb:ident| $body:expr) => {{
            let $nb = nb.clone();
            drop(tokio::spawn(async move { $body.await.map(|_| ()) }));
        }};
    }
    let Inputs {
        product,
        product_id,
        artifact,
        order,
        order_artifact,
        upload_form,
        order_form,
        source,
        upload,
        submit,
        download,
        pilot,
    } = i;
    spawn!(|nb| nb.me());
    spawn!(|nb| nb.globals());
    spawn!(|nb| nb.categories());
    spawn!(|nb| nb.my_orders());
    spawn!(|nb| nb.my_sales(SalesFilter::ActiveThisRound));
    spawn!(|nb| nb.order(order, None));
    spawn!(|nb| nb.search_orders(&OrderSearch::default()));
    spawn!(|nb| nb.list_orders(&OrderQuery::default()));
    spawn!(|nb| async move {
        nb.orders_stream(&OrderQuery::default())
            .try_collect::<Vec<_>>()
            .await
    });
    spawn!(|nb| async move { nb.my_orders_stream().try_collect::<Vec<_>>().await });
    spawn!(|nb| async move {
        nb.products_stream(&ProductSearch::default())
            .try_collect::<Vec<_>>()
            .await
    });
    spawn!(|nb| nb.search_products(&ProductSearch::default()));
    spawn!(|nb| nb.search_products_authenticated(&ProductSearch::default()));
    spawn!(|nb| nb.search_all_products(&ProductSearch::default()));
    spawn!(|nb| nb.my_listings());
    let p = product.clone();
    spawn!(|nb| async move { nb.product(&p).await });
    spawn!(|nb| nb.lock_product(product_id, None));
    spawn!(|nb| nb.product_artifacts(product_id));
    spawn!(|nb| nb.order_artifacts(order, ArtifactFilter::All));
    let id = order_artifact.clone();
    spawn!(|nb| async move { nb.order_artifact(&id).await });
    spawn!(|nb| nb.delete_product_artifact(product_id, artifact));
    let id = order_artifact.clone();
    spawn!(|nb| async move { nb.delete_order_artifact(&id).await });
    spawn!(|nb| async move { nb.product_upload_url(product_id, &upload_form).await });
    spawn!(|nb| nb.validate_product_upload(product_id, artifact));
    spawn!(|nb| async move { nb.order_upload_url(&order_form).await });
    let id = order_artifact.clone();
    spawn!(|nb| async move { nb.validate_order_upload(&id).await });
    spawn!(|nb| nb.product_artifact_download_url(product_id, artifact));
    spawn!(|nb| async move { nb.order_artifact_download_url(&order_artifact).await });
    let (p, s) = (product.clone(), source.clone());
    spawn!(|nb| async move { nb.upload_artifact(&p, s, upload).await });
    let p = product.clone();
    spawn!(|nb| async move { nb.submit(&p, source, submit).await });
    spawn!(|nb| async move { nb.download(&DownloadRequest::Product(product), download).await });
    spawn!(|nb| async move {
        let mut pilot = Autopilot::new(nb, pilot)?;
        pilot.tick().await
    });
}

#[test]
fn every_public_future_can_be_spawned() {
    // Referencing the function makes the compiler check every spawn above.
    let check: fn(NumerBay, Inputs) = spawn_every_call;
    let _ = check;
}
