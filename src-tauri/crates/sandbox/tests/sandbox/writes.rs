//! The writes Counterline's outbox sends, over real HTTP: WooCommerce's
//! order-status `PUT`, BigCommerce's `status_id` `PUT` and shipments. Each
//! accepted write changes what the next list read returns and is recorded
//! once; an `Idempotency-Key` seen before replays the first answer without
//! a second delivery; refusals come in each platform's error shape and
//! record nothing.

use serde_json::{json, Value};

use super::{client, start};
use counterline_sandbox::{BigCommerceStore, Sandbox, WooSite, WriteKind, WritePlatform};

fn site() -> WooSite {
    WooSite::default()
}

fn store() -> BigCommerceStore {
    BigCommerceStore::default()
}

fn woo_url(sandbox: &Sandbox, path: &str) -> url::Url {
    sandbox
        .woocommerce_origin(&site().host)
        .join(&format!("wp-json/wc/v3/{path}"))
        .expect("a relative path joins")
}

fn bc_url(sandbox: &Sandbox, path: &str) -> url::Url {
    sandbox
        .bigcommerce_origin()
        .join(&format!("stores/{}/v2/{path}", store().store_hash))
        .expect("a relative path joins")
}

/// Sends `body` with `method` to WooCommerce with the site's API keys
/// (unless `anonymous`) and an optional `Idempotency-Key`.
async fn woo_write(
    sandbox: &Sandbox,
    method: reqwest::Method,
    path: &str,
    body: &Value,
    key: Option<&str>,
    anonymous: bool,
) -> (u16, Value) {
    let mut request = client().request(method, woo_url(sandbox, path)).json(body);
    if !anonymous {
        request = request.basic_auth(site().consumer_key, Some(site().consumer_secret));
    }
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    let response = request.send().await.expect("the sandbox answers");
    let status = response.status().as_u16();
    (
        status,
        response.json().await.expect("WordPress answers JSON"),
    )
}

async fn woo_get(sandbox: &Sandbox, path: &str) -> Value {
    client()
        .get(woo_url(sandbox, path))
        .basic_auth(site().consumer_key, Some(site().consumer_secret))
        .send()
        .await
        .expect("the sandbox answers")
        .json()
        .await
        .expect("WordPress answers JSON")
}

async fn bc_send(
    sandbox: &Sandbox,
    method: reqwest::Method,
    path: &str,
    body: Option<&Value>,
    key: Option<&str>,
    token: Option<&str>,
) -> reqwest::Response {
    let mut request = client()
        .request(method, bc_url(sandbox, path))
        .header("Accept", "application/json");
    if let Some(body) = body {
        request = request.json(body);
    }
    if let Some(token) = token {
        request = request.header("X-Auth-Token", token);
    }
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    request.send().await.expect("the sandbox answers")
}

async fn bc_json(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    (
        status,
        response.json().await.expect("BigCommerce answers JSON"),
    )
}

/// A WooCommerce order that is `processing`, by the sandbox's truth.
fn processing_woo_order(sandbox: &Sandbox) -> Value {
    sandbox
        .woocommerce_orders(&site().host)
        .into_iter()
        .find(|o| o["status"] == "processing")
        .expect("a seeded site has processing orders")
}

/// A BigCommerce order awaiting fulfillment (11) with something to ship.
fn awaiting_bc_order(sandbox: &Sandbox) -> Value {
    sandbox
        .bigcommerce_orders(&store().store_hash)
        .into_iter()
        .find(|o| o["status_id"] == 11 && o["shipping_address_count"] == 1)
        .expect("a seeded store has orders awaiting fulfillment that ship")
}

#[tokio::test]
async fn a_woocommerce_status_write_shows_in_the_next_list_read_and_is_recorded_once() {
    let sandbox = start(200).await;
    let order = processing_woo_order(&sandbox);
    let id = order["id"].as_u64().expect("numeric id");
    let (status, body) = woo_write(
        &sandbox,
        reqwest::Method::PUT,
        &format!("orders/{id}"),
        &json!({"status": "completed"}),
        None,
        false,
    )
    .await;
    assert_eq!(status, 200, "an accepted update answers 200: {body}");
    assert_eq!(
        body["status"], "completed",
        "the answer is the updated order"
    );

    let newest = woo_get(&sandbox, "orders?orderby=modified&order=desc&per_page=1").await;
    assert_eq!(
        newest[0]["id"], id,
        "the written order is now the most recently modified, so an incremental sync sees it"
    );
    assert_eq!(
        newest[0]["status"], "completed",
        "the list shows the new status"
    );
    assert!(
        newest[0]["date_modified_gmt"].as_str() > order["date_modified_gmt"].as_str(),
        "date_modified moved forward: {} → {}",
        order["date_modified_gmt"],
        newest[0]["date_modified_gmt"]
    );
    assert!(
        !newest[0]["date_completed_gmt"].is_null(),
        "a completed order has a completion date"
    );

    let writes = sandbox.received_writes();
    assert_eq!(writes.len(), 1, "one write reached the site: {writes:?}");
    let w = &writes[0];
    assert_eq!(w.platform, WritePlatform::WooCommerce);
    assert_eq!(w.account, site().host);
    assert_eq!(w.order_id, id.to_string());
    assert_eq!(w.kind, WriteKind::Status);
    assert_eq!(
        w.body,
        json!({"status": "completed"}),
        "the body is kept as sent"
    );
    assert_eq!(w.idempotency_key, None);

    // POST is the same update to WordPress (WP_REST_Server::EDITABLE).
    let (status, body) = woo_write(
        &sandbox,
        reqwest::Method::POST,
        &format!("orders/{id}"),
        &json!({"status": "on-hold"}),
        None,
        false,
    )
    .await;
    assert_eq!(status, 200, "POST updates too: {body}");
    assert_eq!(body["status"], "on-hold");
    assert_eq!(
        sandbox.received_writes().len(),
        2,
        "each accepted write is recorded"
    );
    sandbox.clear_received_writes();
    assert!(
        sandbox.received_writes().is_empty(),
        "clearing forgets the record"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_repeated_idempotency_key_answers_the_first_result_and_is_recorded_once() {
    let sandbox = start(200).await;
    let id = processing_woo_order(&sandbox)["id"].as_u64().expect("id");
    let path = format!("orders/{id}");
    let body = json!({"status": "completed"});
    let key = Some("outbox-7f3a");
    let (s1, first) = woo_write(&sandbox, reqwest::Method::PUT, &path, &body, key, false).await;
    let (s2, second) = woo_write(&sandbox, reqwest::Method::PUT, &path, &body, key, false).await;
    assert_eq!((s1, s2), (200, 200), "both attempts succeed");
    assert_eq!(
        first, second,
        "the retry gets the first answer verbatim (same date_modified), not a second update"
    );
    let writes = sandbox.received_writes();
    assert_eq!(
        writes.len(),
        1,
        "the retry is not a second delivery: {writes:?}"
    );
    assert_eq!(writes[0].idempotency_key.as_deref(), key);

    // A BigCommerce shipment retried with its key ships once, even though a
    // second real attempt would now be refused (nothing left to ship).
    let order = awaiting_bc_order(&sandbox);
    let oid = order["id"].as_u64().expect("id");
    let shipment = full_shipment(&sandbox, oid).await;
    let path = format!("orders/{oid}/shipments");
    let token = store().access_token;
    let key = Some("outbox-ship-1");
    let (s1, first) = bc_json(
        bc_send(
            &sandbox,
            reqwest::Method::POST,
            &path,
            Some(&shipment),
            key,
            Some(&token),
        )
        .await,
    )
    .await;
    let (s2, second) = bc_json(
        bc_send(
            &sandbox,
            reqwest::Method::POST,
            &path,
            Some(&shipment),
            key,
            Some(&token),
        )
        .await,
    )
    .await;
    assert_eq!((s1, s2), (201, 201), "the retry replays the 201: {second}");
    assert_eq!(first, second, "same shipment id, not a second shipment");
    let shipments = sandbox
        .received_writes()
        .into_iter()
        .filter(|w| w.kind == WriteKind::Shipment)
        .count();
    assert_eq!(shipments, 1, "one shipment reached the store");

    // Keys are per platform and account: the same key elsewhere is new.
    let (status, _) = bc_json(
        bc_send(
            &sandbox,
            reqwest::Method::PUT,
            &format!("orders/{oid}"),
            Some(&json!({"status_id": 10})),
            Some("outbox-7f3a"),
            Some(&token),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        sandbox.received_writes().len(),
        3,
        "a WooCommerce key does not replay on BigCommerce"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_bad_woocommerce_status_gets_wordpress_rest_invalid_param_and_changes_nothing() {
    let sandbox = start(100).await;
    let order = processing_woo_order(&sandbox);
    let id = order["id"].as_u64().expect("id");
    let (status, body) = woo_write(
        &sandbox,
        reqwest::Method::PUT,
        &format!("orders/{id}"),
        &json!({"status": "shipped"}),
        None,
        false,
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["code"], "rest_invalid_param");
    assert_eq!(body["message"], "Invalid parameter(s): status");
    assert_eq!(body["data"]["status"], 400);
    assert_eq!(
        body["data"]["details"]["status"]["code"], "rest_not_in_enum",
        "the detail names why, as WordPress's schema validation does"
    );
    assert!(
        body["data"]["params"]["status"]
            .as_str()
            .is_some_and(|m| m.contains("completed")),
        "the message lists the allowed statuses: {}",
        body["data"]["params"]["status"]
    );
    let (status, body) = woo_write(
        &sandbox,
        reqwest::Method::PUT,
        &format!("orders/{id}"),
        &json!({"status": 3}),
        None,
        false,
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        body["data"]["details"]["status"]["code"],
        "rest_invalid_type"
    );
    let after = woo_get(&sandbox, &format!("orders/{id}")).await;
    assert_eq!(
        after["status"], "processing",
        "a refused write changes nothing"
    );
    assert_eq!(after["date_modified_gmt"], order["date_modified_gmt"]);
    assert!(
        sandbox.received_writes().is_empty(),
        "refused writes did not reach the channel"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn unknown_orders_get_each_platforms_invalid_id_answer() {
    let sandbox = start(50).await;
    // WooCommerce's update_item says 400 for an unknown id (a GET says 404).
    let (status, body) = woo_write(
        &sandbox,
        reqwest::Method::PUT,
        "orders/999999",
        &json!({"status": "completed"}),
        None,
        false,
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["code"], "woocommerce_rest_shop_order_invalid_id");
    assert_eq!(body["message"], "Invalid ID.");
    assert_eq!(body["data"]["status"], 400);

    let token = store().access_token;
    for (method, path, body) in [
        (
            reqwest::Method::PUT,
            "orders/999999",
            json!({"status_id": 2}),
        ),
        (
            reqwest::Method::POST,
            "orders/999999/shipments",
            json!({"order_address_id": 1, "items": [{"order_product_id": 1, "quantity": 1}]}),
        ),
    ] {
        let (status, body) =
            bc_json(bc_send(&sandbox, method, path, Some(&body), None, Some(&token)).await).await;
        assert_eq!(status, 404, "{path}: {body}");
        assert_eq!(
            body,
            json!([{"status": 404, "message": "The requested resource was not found."}]),
            "the documented v2 404 body"
        );
    }
    assert!(sandbox.received_writes().is_empty());
    sandbox.shutdown().await;
}

#[tokio::test]
async fn writes_without_credentials_get_401_and_change_nothing() {
    let sandbox = start(50).await;
    let id = processing_woo_order(&sandbox)["id"].as_u64().expect("id");
    let (status, body) = woo_write(
        &sandbox,
        reqwest::Method::PUT,
        &format!("orders/{id}"),
        &json!({"status": "completed"}),
        None,
        true,
    )
    .await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["code"], "woocommerce_rest_cannot_edit");
    assert_eq!(body["data"]["status"], 401);

    let oid = awaiting_bc_order(&sandbox)["id"].as_u64().expect("id");
    for token in [None, Some("not-a-token")] {
        let (status, body) = bc_json(
            bc_send(
                &sandbox,
                reqwest::Method::PUT,
                &format!("orders/{oid}"),
                Some(&json!({"status_id": 2})),
                None,
                token,
            )
            .await,
        )
        .await;
        assert_eq!(status, 401, "{token:?}: {body}");
        assert_eq!(body[0]["status"], 401, "BigCommerce's v2 error array");
    }
    assert!(sandbox.received_writes().is_empty());
    assert_eq!(
        sandbox
            .woocommerce_orders(&site().host)
            .iter()
            .find(|o| o["id"] == id)
            .map(|o| o["status"].clone()),
        Some(json!("processing")),
        "the unauthenticated write was not applied"
    );
    sandbox.shutdown().await;
}

/// A shipment body for every unit of order `id`, read over HTTP as the app
/// would (`shipping_addresses` for the address id, `products` for lines).
async fn full_shipment(sandbox: &Sandbox, id: u64) -> Value {
    let token = store().access_token;
    let (_, addresses) = bc_json(
        bc_send(
            sandbox,
            reqwest::Method::GET,
            &format!("orders/{id}/shipping_addresses"),
            None,
            None,
            Some(&token),
        )
        .await,
    )
    .await;
    let (_, products) = bc_json(
        bc_send(
            sandbox,
            reqwest::Method::GET,
            &format!("orders/{id}/products"),
            None,
            None,
            Some(&token),
        )
        .await,
    )
    .await;
    let items: Vec<Value> = products
        .as_array()
        .expect("products are an array")
        .iter()
        .map(|p| json!({"order_product_id": p["id"], "quantity": p["quantity"]}))
        .collect();
    json!({
        "order_address_id": addresses[0]["id"],
        "tracking_number": "1Z999AA10123456784",
        "shipping_provider": "ups",
        "tracking_carrier": "ups",
        "items": items,
    })
}

#[tokio::test]
async fn bigcommerce_status_and_shipment_writes_show_in_the_next_list_read() {
    let sandbox = start(200).await;
    let token = store().access_token;
    let order = awaiting_bc_order(&sandbox);
    let id = order["id"].as_u64().expect("id");

    let response = bc_send(
        &sandbox,
        reqwest::Method::PUT,
        &format!("orders/{id}"),
        Some(&json!({"status_id": 9})),
        None,
        Some(&token),
    )
    .await;
    assert!(
        response
            .headers()
            .contains_key("x-rate-limit-requests-left"),
        "a write goes through the store's quota like a read"
    );
    let (status, body) = bc_json(response).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status_id"], 9);
    assert_eq!(body["status"], "Awaiting Shipment");

    let (_, newest) = bc_json(
        bc_send(
            &sandbox,
            reqwest::Method::GET,
            "orders?sort=date_modified:desc&limit=1",
            None,
            None,
            Some(&token),
        )
        .await,
    )
    .await;
    assert_eq!(
        newest[0]["id"], id,
        "the written order sorts newest by date_modified"
    );
    assert_eq!(newest[0]["status_id"], 9, "the list shows the new status");
    assert_ne!(
        newest[0]["date_modified"], order["date_modified"],
        "date_modified moved"
    );

    let shipment = full_shipment(&sandbox, id).await;
    let (status, created) = bc_json(
        bc_send(
            &sandbox,
            reqwest::Method::POST,
            &format!("orders/{id}/shipments"),
            Some(&shipment),
            None,
            Some(&token),
        )
        .await,
    )
    .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["order_id"], id);
    assert_eq!(created["tracking_number"], "1Z999AA10123456784");
    assert_eq!(created["shipping_provider"], "ups");
    assert_eq!(created["order_address_id"], shipment["order_address_id"]);
    assert_eq!(
        created["items"].as_array().map(Vec::len),
        shipment["items"].as_array().map(Vec::len),
        "every line shipped"
    );

    let (_, after) = bc_json(
        bc_send(
            &sandbox,
            reqwest::Method::GET,
            "orders?sort=date_modified:desc&limit=1",
            None,
            None,
            Some(&token),
        )
        .await,
    )
    .await;
    assert_eq!(after[0]["id"], id);
    assert_eq!(
        after[0]["status_id"], 2,
        "shipping every unit makes the order Shipped"
    );
    assert_eq!(after[0]["items_shipped"], after[0]["items_total"]);
    assert_ne!(
        after[0]["date_shipped"], "",
        "a shipped order has a ship date"
    );

    let (status, listed) = bc_json(
        bc_send(
            &sandbox,
            reqwest::Method::GET,
            &format!("orders/{id}/shipments"),
            None,
            None,
            Some(&token),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(listed, json!([created]), "the shipment reads back");

    // Nothing is left to ship: a second shipment is refused and not recorded.
    let (status, refused) = bc_json(
        bc_send(
            &sandbox,
            reqwest::Method::POST,
            &format!("orders/{id}/shipments"),
            Some(&shipment),
            None,
            Some(&token),
        )
        .await,
    )
    .await;
    assert_eq!(status, 400, "{refused}");
    assert_eq!(refused[0]["status"], 400, "BigCommerce's v2 error array");

    let kinds: Vec<WriteKind> = sandbox.received_writes().iter().map(|w| w.kind).collect();
    assert_eq!(
        kinds,
        vec![WriteKind::Status, WriteKind::Shipment],
        "each accepted write recorded once, the refused one not at all"
    );
    let writes = sandbox.received_writes();
    assert!(writes
        .iter()
        .all(|w| w.platform == WritePlatform::BigCommerce
            && w.account == store().store_hash
            && w.order_id == id.to_string()));
    assert_eq!(
        writes[1].body, shipment,
        "the shipment body is kept as sent"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn bad_bigcommerce_status_ids_and_shipments_get_400_and_change_nothing() {
    let sandbox = start(100).await;
    let token = store().access_token;
    let order = awaiting_bc_order(&sandbox);
    let id = order["id"].as_u64().expect("id");
    for body in [json!({"status_id": 99}), json!({"status_id": "shipped"})] {
        let (status, answer) = bc_json(
            bc_send(
                &sandbox,
                reqwest::Method::PUT,
                &format!("orders/{id}"),
                Some(&body),
                None,
                Some(&token),
            )
            .await,
        )
        .await;
        assert_eq!(status, 400, "{body}: {answer}");
        assert_eq!(answer[0]["status"], 400);
    }
    let mut shipment = full_shipment(&sandbox, id).await;
    shipment["order_address_id"] = json!(424242);
    let (status, _) = bc_json(
        bc_send(
            &sandbox,
            reqwest::Method::POST,
            &format!("orders/{id}/shipments"),
            Some(&shipment),
            None,
            Some(&token),
        )
        .await,
    )
    .await;
    assert_eq!(status, 400, "another order's address is refused");
    let truth = sandbox.bigcommerce_orders(&store().store_hash);
    let now = truth.iter().find(|o| o["id"] == id).expect("still there");
    assert_eq!(now["status_id"], 11);
    assert_eq!(now["date_modified"], order["date_modified"]);
    assert!(sandbox.received_writes().is_empty());
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_remote_edit_moves_the_updated_time_without_counting_as_a_write() {
    let sandbox = start(100).await;
    let order = processing_woo_order(&sandbox);
    let id = order["id"].as_u64().expect("id").to_string();
    assert!(sandbox.edit_order_remotely(WritePlatform::WooCommerce, &site().host, &id));
    let after = woo_get(&sandbox, &format!("orders/{id}")).await;
    assert!(
        after["date_modified_gmt"].as_str() > order["date_modified_gmt"].as_str(),
        "the merchant's edit moved date_modified, so a queued write can see the conflict"
    );
    let bc = awaiting_bc_order(&sandbox);
    assert!(sandbox.edit_order_remotely(
        WritePlatform::BigCommerce,
        &store().store_hash,
        &bc["id"].to_string()
    ));
    let shop = super::SHOP;
    let gid = sandbox.shopify_orders(shop)[0]["id"]
        .as_str()
        .expect("gid")
        .to_owned();
    assert!(sandbox.edit_order_remotely(WritePlatform::Shopify, shop, &gid));
    let newest = sandbox
        .shopify_orders(shop)
        .last()
        .cloned()
        .expect("orders");
    assert_eq!(
        newest["id"], gid,
        "the edited Shopify order sorts last by updatedAt"
    );
    assert!(!sandbox.edit_order_remotely(WritePlatform::WooCommerce, &site().host, "1"));
    assert!(
        sandbox.received_writes().is_empty(),
        "a remote edit is the merchant's, not a delivery from Counterline"
    );
    sandbox.shutdown().await;
}
