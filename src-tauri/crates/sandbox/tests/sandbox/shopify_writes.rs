//! Shopify's writes over real HTTP: find an order's open fulfillment order
//! through `order.fulfillmentOrders`, fulfil it with `fulfillmentCreate`
//! (tracking included), cancel with `orderCancel`; refusals as
//! `userErrors`; `Idempotency-Key` replays; the record of what arrived.
//! Every document here validates against Shopify's real Admin 2025-10
//! schema (checked with `@shopify/dev-mcp`'s introspection).

use serde_json::{json, Value};

use super::{client, graphql_url, start, SHOP};
use counterline_sandbox::{Sandbox, WriteKind, WritePlatform};

const FULFILLMENT_ORDERS: &str = "query OpenFulfillmentOrders($id: ID!) {
  order(id: $id) {
    id
    updatedAt
    displayFulfillmentStatus
    fulfillmentOrders(first: 10) {
      nodes {
        id
        status
        lineItems(first: 100) {
          nodes { id totalQuantity remainingQuantity lineItem { id sku } }
        }
      }
    }
  }
}";

const FULFILL: &str = "mutation Fulfill($fulfillment: FulfillmentInput!) {
  fulfillmentCreate(fulfillment: $fulfillment) {
    fulfillment {
      id
      name
      status
      totalQuantity
      trackingInfo(first: 5) { company number url }
    }
    userErrors { field message }
  }
}";

const NEWEST: &str = "query Newest {
  orders(first: 1, sortKey: UPDATED_AT, reverse: true) {
    nodes {
      id
      updatedAt
      cancelledAt
      cancelReason
      displayFulfillmentStatus
      fulfillmentOrders(first: 1) { nodes { status } }
    }
  }
}";

const CANCEL: &str = "mutation Cancel($orderId: ID!) {
  orderCancel(orderId: $orderId, reason: STAFF, restock: true, refund: false, notifyCustomer: false) {
    job { id done }
    orderCancelUserErrors { code field message }
    userErrors { field message }
  }
}";

/// POSTs a GraphQL request with the token and an optional Idempotency-Key.
async fn post(
    sandbox: &Sandbox,
    token: Option<&str>,
    query: &str,
    variables: Value,
    key: Option<&str>,
) -> (u16, Value) {
    let mut request = client()
        .post(graphql_url(sandbox))
        .json(&json!({"query": query, "variables": variables}));
    if let Some(token) = token {
        request = request.header("X-Shopify-Access-Token", token);
    }
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    let response = request.send().await.expect("the sandbox answers");
    let status = response.status().as_u16();
    (status, response.json().await.expect("Shopify answers JSON"))
}

/// An order nothing was shipped from, not cancelled, by the sandbox's truth.
fn unfulfilled_order(sandbox: &Sandbox) -> Value {
    sandbox
        .shopify_orders(SHOP)
        .into_iter()
        .find(|o| o["displayFulfillmentStatus"] == "UNFULFILLED" && o["cancelledAt"].is_null())
        .expect("a seeded shop has unfulfilled orders")
}

/// The input that fulfils every remaining unit of the order's open
/// fulfillment orders, as the outbox builds it from `FULFILLMENT_ORDERS`.
fn fulfil_everything(order: &Value) -> Value {
    let groups: Vec<Value> = order["fulfillmentOrders"]["nodes"]
        .as_array()
        .expect("fulfillment orders")
        .iter()
        .filter(|fo| fo["status"] == "OPEN" || fo["status"] == "IN_PROGRESS")
        .map(|fo| {
            let lines: Vec<Value> = fo["lineItems"]["nodes"]
                .as_array()
                .expect("lines")
                .iter()
                .filter(|l| l["remainingQuantity"].as_u64() > Some(0))
                .map(|l| json!({"id": l["id"], "quantity": l["remainingQuantity"]}))
                .collect();
            json!({"fulfillmentOrderId": fo["id"], "fulfillmentOrderLineItems": lines})
        })
        .collect();
    json!({
        "lineItemsByFulfillmentOrder": groups,
        "notifyCustomer": false,
        "trackingInfo": {
            "company": "UPS",
            "number": "1Z999AA10123456784",
            "url": "https://www.ups.com/track?tracknum=1Z999AA10123456784",
        },
    })
}

#[tokio::test]
async fn a_shopify_fulfillment_of_every_open_line_shows_in_the_next_orders_read_and_is_recorded_once(
) {
    let sandbox = start(200).await;
    let token = sandbox.issue_shopify_token(SHOP);
    let gid = unfulfilled_order(&sandbox)["id"]
        .as_str()
        .expect("gid")
        .to_owned();
    let (_, found) = post(
        &sandbox,
        Some(&token),
        FULFILLMENT_ORDERS,
        json!({"id": gid}),
        None,
    )
    .await;
    let order = &found["data"]["order"];
    let fo = &order["fulfillmentOrders"]["nodes"][0];
    assert_eq!(fo["status"], "OPEN", "nothing shipped yet: {found}");
    let units: u64 = fo["lineItems"]["nodes"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| l["remainingQuantity"].as_u64().expect("a count"))
        .sum();
    assert!(units > 0, "an unfulfilled order has units to ship");

    let input = fulfil_everything(order);
    let (status, created) = post(
        &sandbox,
        Some(&token),
        FULFILL,
        json!({"fulfillment": input}),
        None,
    )
    .await;
    assert_eq!(status, 200, "GraphQL answers 200 even for refusals");
    let payload = &created["data"]["fulfillmentCreate"];
    assert_eq!(payload["userErrors"], json!([]), "{created}");
    let fulfillment = &payload["fulfillment"];
    assert_eq!(fulfillment["status"], "SUCCESS");
    assert_eq!(
        fulfillment["totalQuantity"], units,
        "every remaining unit shipped"
    );
    assert!(fulfillment["id"]
        .as_str()
        .is_some_and(|id| id.starts_with("gid://shopify/Fulfillment/")));
    assert_eq!(
        fulfillment["trackingInfo"],
        json!([{
            "company": "UPS",
            "number": "1Z999AA10123456784",
            "url": "https://www.ups.com/track?tracknum=1Z999AA10123456784",
        }]),
        "tracking as sent"
    );

    let (_, newest) = post(&sandbox, Some(&token), NEWEST, json!({}), None).await;
    let first = &newest["data"]["orders"]["nodes"][0];
    assert_eq!(
        first["id"], gid,
        "the fulfilled order is now the most recently updated, so an incremental sync sees it"
    );
    assert!(
        first["updatedAt"].as_str() > order["updatedAt"].as_str(),
        "updatedAt moved: {} → {}",
        order["updatedAt"],
        first["updatedAt"]
    );
    assert_eq!(first["displayFulfillmentStatus"], "FULFILLED");
    assert_eq!(
        first["fulfillmentOrders"]["nodes"][0]["status"], "CLOSED",
        "nothing is left to fulfil"
    );

    let writes = sandbox.received_writes();
    assert_eq!(
        writes.len(),
        1,
        "one fulfillment reached the shop: {writes:?}"
    );
    assert_eq!(writes[0].platform, WritePlatform::Shopify);
    assert_eq!(writes[0].account, SHOP);
    assert_eq!(writes[0].order_id, gid);
    assert_eq!(writes[0].kind, WriteKind::Fulfillment);
    assert_eq!(writes[0].body["mutation"], "fulfillmentCreate");
    assert_eq!(
        writes[0].body["fulfillment"]["trackingInfo"]["number"],
        "1Z999AA10123456784"
    );

    // The same request again is refused the way Shopify refuses it: a user
    // error, HTTP 200, nothing applied or recorded.
    let (status, again) = post(
        &sandbox,
        Some(&token),
        FULFILL,
        json!({"fulfillment": input}),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let payload = &again["data"]["fulfillmentCreate"];
    assert!(payload["fulfillment"].is_null());
    assert!(
        payload["userErrors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("unfulfillable status= closed")),
        "{again}"
    );
    assert_eq!(
        sandbox.received_writes().len(),
        1,
        "a refusal is not a delivery"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_repeated_idempotency_key_on_a_shopify_mutation_replays_and_is_recorded_once() {
    let sandbox = start(200).await;
    let token = sandbox.issue_shopify_token(SHOP);
    let order = unfulfilled_order(&sandbox);
    let fo = format!(
        "gid://shopify/FulfillmentOrder/{}",
        order["legacyResourceId"].as_str().expect("legacy id")
    );
    // No fulfillmentOrderLineItems: "everything that remains".
    let vars =
        json!({"fulfillment": {"lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": fo}]}});
    let key = Some("outbox-shopify-42");
    let (_, first) = post(&sandbox, Some(&token), FULFILL, vars.clone(), key).await;
    let (_, second) = post(&sandbox, Some(&token), FULFILL, vars, key).await;
    assert_eq!(
        first["data"]["fulfillmentCreate"]["userErrors"],
        json!([]),
        "{first}"
    );
    assert_eq!(
        first, second,
        "the retry gets the first answer (same fulfillment id), not an unfulfillable-status error"
    );
    let writes = sandbox.received_writes();
    assert_eq!(writes.len(), 1, "{writes:?}");
    assert_eq!(writes[0].idempotency_key.as_deref(), key);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn order_cancel_cancels_now_and_refuses_unknown_or_cancelled_orders_with_user_errors() {
    let sandbox = start(100).await;
    let token = sandbox.issue_shopify_token(SHOP);
    let gid = unfulfilled_order(&sandbox)["id"]
        .as_str()
        .expect("gid")
        .to_owned();
    let (_, done) = post(
        &sandbox,
        Some(&token),
        CANCEL,
        json!({"orderId": gid}),
        None,
    )
    .await;
    let payload = &done["data"]["orderCancel"];
    assert_eq!(payload["orderCancelUserErrors"], json!([]), "{done}");
    assert_eq!(payload["job"]["done"], true);
    let (_, newest) = post(&sandbox, Some(&token), NEWEST, json!({}), None).await;
    let first = &newest["data"]["orders"]["nodes"][0];
    assert_eq!(
        first["id"], gid,
        "the cancelled order sorts newest by updatedAt"
    );
    assert!(!first["cancelledAt"].is_null(), "cancelledAt is set");
    assert_eq!(first["cancelReason"], "STAFF", "the reason given");
    assert_eq!(
        first["fulfillmentOrders"]["nodes"][0]["status"],
        "CANCELLED"
    );

    let (_, again) = post(
        &sandbox,
        Some(&token),
        CANCEL,
        json!({"orderId": gid}),
        None,
    )
    .await;
    assert_eq!(
        again["data"]["orderCancel"]["orderCancelUserErrors"][0]["code"], "INVALID",
        "{again}"
    );
    let (_, unknown) = post(
        &sandbox,
        Some(&token),
        CANCEL,
        json!({"orderId": "gid://shopify/Order/1"}),
        None,
    )
    .await;
    assert_eq!(
        unknown["data"]["orderCancel"]["orderCancelUserErrors"][0]["code"], "NOT_FOUND",
        "{unknown}"
    );
    assert!(unknown["data"]["orderCancel"]["job"].is_null());
    let kinds: Vec<WriteKind> = sandbox.received_writes().iter().map(|w| w.kind).collect();
    assert_eq!(
        kinds,
        vec![WriteKind::Cancel],
        "only the accepted cancel is recorded"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn malformed_shopify_mutations_get_graphql_errors_and_no_token_gets_401() {
    let sandbox = start(50).await;
    let token = sandbox.issue_shopify_token(SHOP);
    let (status, missing) = post(
        &sandbox,
        Some(&token),
        "mutation { fulfillmentCreate { userErrors { message } } }",
        json!({}),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        missing["errors"][0]["extensions"]["code"], "missingRequiredArguments",
        "{missing}"
    );
    assert!(
        missing.get("data").is_none(),
        "validation errors carry no data"
    );

    let (_, invalid) = post(
        &sandbox,
        Some(&token),
        FULFILL,
        json!({"fulfillment": {"lineItemsByFulfillmentOrder": [{"fulfillmentOrderLineItems": []}], "trackingNumber": "x"}}),
        None,
    )
    .await;
    let message = invalid["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with(
            "Variable $fulfillment of type FulfillmentInput! was provided invalid value for"
        ) && message.contains("lineItemsByFulfillmentOrder.0.fulfillmentOrderId")
            && message.contains("trackingNumber"),
        "names each bad field, as graphql-ruby does: {invalid}"
    );

    let (status, body) = post(
        &sandbox,
        None,
        CANCEL,
        json!({"orderId": "gid://shopify/Order/1"}),
        None,
    )
    .await;
    assert_eq!(status, 401, "{body}");
    assert!(sandbox.received_writes().is_empty(), "nothing arrived");
    sandbox.shutdown().await;
}
