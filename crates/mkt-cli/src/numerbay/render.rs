//! Tables and JSON for `mkt numerbay` listings (JSON is the typed DTOs as the library returns them).

use marketplace_types::numerbay::{Artifact, Globals, Order, OrderArtifact, Product, User};

use crate::output::{print_json, OutputFormat, Table};
use crate::Context;

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_else(|| "-".to_owned())
}

fn yes(v: bool) -> String {
    if v { "yes" } else { "no" }.to_owned()
}

fn rounds(r: Option<&Vec<u32>>) -> String {
    match r {
        Some(r) if !r.is_empty() => {
            let list: Vec<String> = r.iter().map(u32::to_string).collect();
            list.join(",")
        }
        _ => "-".to_owned(),
    }
}

pub(super) fn account(me: &User, ctx: &Context) -> anyhow::Result<()> {
    if ctx.output == OutputFormat::Json {
        return print_json(me);
    }
    let mut t = Table::new(["field", "value"]);
    t.row(["id".to_owned(), me.id.to_string()]);
    t.row(["username".to_owned(), opt(me.username.as_deref())]);
    t.row(["email".to_owned(), opt(me.email.as_deref())]);
    t.row(["active".to_owned(), opt(me.is_active)]);
    t.row([
        "numerai wallet".to_owned(),
        opt(me.numerai_wallet_address.as_deref()),
    ]);
    t.row([
        "numerai key".to_owned(),
        opt(me.numerai_api_key_public_id.as_deref()),
    ]);
    t.row([
        "public key".to_owned(),
        opt(me.public_key_v2.as_deref().or(me.public_key.as_deref())),
    ]);
    let models: Vec<String> = me.models.iter().filter_map(|m| m.name.clone()).collect();
    t.row([
        "models".to_owned(),
        if models.is_empty() {
            "-".to_owned()
        } else {
            models.join(", ")
        },
    ]);
    t.print()
}

pub(super) fn orders(orders: &[Order], ctx: &Context, sales: bool) -> anyhow::Result<()> {
    if ctx.output == OutputFormat::Json {
        return print_json(orders);
    }
    let mut t = Table::new([
        "id",
        "product",
        if sales { "buyer" } else { "seller" },
        "state",
        "mode",
        "rounds",
        "price",
        "sealed",
        "model",
        "date",
    ]);
    for o in orders {
        let who = if sales {
            opt(o.buyer.username.as_deref())
        } else {
            opt(o.product.owner.as_ref().and_then(|w| w.username.as_deref()))
        };
        t.row([
            o.id.to_string(),
            o.product.sku.clone(),
            who,
            opt(o.state.as_ref().map(|s| s.as_str().to_owned())),
            opt(o.mode.as_ref().map(|m| m.as_str().to_owned())),
            rounds(o.rounds.as_ref()),
            format!("{} {}", o.price, o.currency),
            yes(o.buyer_public_key.is_some()),
            opt(o.submit_model_name.as_deref().or(o.submit_model_id.as_deref())),
            o.date_order.format("%Y-%m-%d %H:%M").to_string(),
        ]);
    }
    t.print_list(if sales { "sales" } else { "orders" })
}

pub(super) fn products(products: &[Product], ctx: &Context) -> anyhow::Result<()> {
    if ctx.output == OutputFormat::Json {
        return print_json(products);
    }
    let mut t = Table::new([
        "id",
        "full name",
        "owner",
        "active",
        "encrypted",
        "ready",
        "locked",
        "sales",
        "last price",
    ]);
    for p in products {
        t.row([
            p.id.to_string(),
            p.sku.clone(),
            opt(p.owner.as_ref().and_then(|o| o.username.as_deref())),
            opt(p.is_active.map(yes)),
            opt(p.use_encryption.map(yes)),
            opt(p.is_ready.map(yes)),
            opt(p.round_lock),
            opt(p.total_num_sales),
            opt(p.last_sale_price),
        ]);
    }
    t.print_list("listings")
}

pub(super) fn globals(g: &Globals, ctx: &Context) -> anyhow::Result<()> {
    if ctx.output == OutputFormat::Json {
        return print_json(g);
    }
    let mut t = Table::new(["field", "value"]);
    t.row(["active round".to_owned(), g.active_round.to_string()]);
    t.row(["selling round".to_owned(), g.selling_round.to_string()]);
    t.row(["round rollover".to_owned(), yes(g.is_doing_round_rollover)]);
    t.row(["products".to_owned(), opt(g.total_num_products)]);
    t.row(["sales".to_owned(), opt(g.total_num_sales)]);
    t.row(["sales (NMR)".to_owned(), opt(g.total_sales_nmr)]);
    t.print()
}

pub(super) fn artifacts(mut list: Vec<Artifact>, ctx: &Context) -> anyhow::Result<()> {
    // The server lists in no particular order (spec §2.4): newest first, then id.
    list.sort_by(|a, b| b.date.cmp(&a.date).then(b.id.cmp(&a.id)));
    if ctx.output == OutputFormat::Json {
        return print_json(&list);
    }
    let mut t = Table::new(["id", "round", "state", "size", "date", "object"]);
    for a in &list {
        t.row([
            a.id.to_string(),
            opt(a.round_tournament),
            opt(a.state.as_ref().map(|s| s.as_str().to_owned())),
            opt(a.object_size),
            opt(a.date.map(|d| d.format("%Y-%m-%d %H:%M").to_string())),
            opt(a.object_name.as_deref()),
        ]);
    }
    t.print_list("artifacts")
}

/// An order's artifacts, newest first: id, round, state, whether it went to Numerai directly.
pub(super) fn order_artifacts(mut list: Vec<OrderArtifact>, ctx: &Context) -> anyhow::Result<()> {
    list.sort_by(|a, b| b.date.cmp(&a.date).then(b.id.cmp(&a.id)));
    if ctx.output == OutputFormat::Json {
        return print_json(&list);
    }
    let mut t = Table::new([
        "id",
        "order",
        "round",
        "state",
        "numerai_direct",
        "size",
        "object",
    ]);
    for a in &list {
        t.row([
            a.id.to_string(),
            a.order_id.to_string(),
            opt(a.round_tournament),
            opt(a.state.as_ref().map(|s| s.as_str().to_owned())),
            opt(a.is_numerai_direct),
            opt(a.object_size),
            opt(a.object_name.as_deref()),
        ]);
    }
    t.print()
}
