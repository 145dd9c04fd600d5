//! The Admin GraphQL API: paging, filters, projection, errors, rate limits.

use serde_json::{json, Value};

use super::{client, config, gql, graphql_url, start, SHOP};
use counterline_sandbox::Sandbox;

const PAGE: &str = r#"
query Page($first: Int!, $after: String, $query: String) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage hasPreviousPage endCursor }
    nodes { id updatedAt }
  }
}"#;

/// Walks every page like an incremental sync and returns the order ids seen.
async fn walk(
    sandbox: &Sandbox,
    token: &str,
    query: Option<&str>,
    mut after: Option<String>,
) -> (Vec<String>, Option<String>) {
    let mut ids = Vec::new();
    let mut last_updated = String::new();
    loop {
        let (status, body) = gql(
            sandbox,
            token,
            PAGE,
            json!({"first": 250, "after": after, "query": query}),
        )
        .await;
        assert_eq!(status, 200, "pages are served: {body}");
        let orders = &body["data"]["orders"];
        for node in orders["nodes"].as_array().expect("nodes is a list") {
            let updated = node["updatedAt"].as_str().expect("updatedAt").to_owned();
            assert!(
                updated >= last_updated,
                "pages ascend by updatedAt ({updated} after {last_updated})"
            );
            last_updated = updated;
            ids.push(node["id"].as_str().expect("id").to_owned());
        }
        if orders["pageInfo"]["endCursor"].is_string() {
            after = orders["pageInfo"]["endCursor"].as_str().map(str::to_owned);
        }
        if orders["pageInfo"]["hasNextPage"] != true {
            return (ids, after);
        }
    }
}

fn truth_ids(sandbox: &Sandbox) -> Vec<String> {
    sandbox
        .shopify_orders(SHOP)
        .iter()
        .map(|o| o["id"].as_str().expect("id").to_owned())
        .collect()
}

#[tokio::test]
async fn paging_with_first_250_returns_every_order_exactly_once_in_updated_at_order() {
    let sandbox = start(1_100).await;
    let token = sandbox.issue_shopify_token(SHOP);
    let before = sandbox.shopify_request_count();
    let (ids, _) = walk(&sandbox, &token, None, None).await;
    assert_eq!(
        ids,
        truth_ids(&sandbox),
        "the walk sees the truth, in (updatedAt, id) order, each order once"
    );
    assert_eq!(
        sandbox.shopify_request_count() - before,
        5,
        "1,100 orders take five pages of 250"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn an_updated_at_filter_returns_exactly_the_newer_orders() {
    let sandbox = start(800).await;
    let token = sandbox.issue_shopify_token(SHOP);
    let truth = sandbox.shopify_orders(SHOP);
    let since = truth[truth.len() / 2]["updatedAt"]
        .as_str()
        .expect("updatedAt")
        .to_owned();
    let expected: Vec<String> = truth
        .iter()
        .filter(|o| o["updatedAt"].as_str().is_some_and(|u| u >= since.as_str()))
        .map(|o| o["id"].as_str().unwrap_or_default().to_owned())
        .collect();
    let filter = format!("updated_at:>='{since}'");
    let (ids, _) = walk(&sandbox, &token, Some(&filter), None).await;
    assert_eq!(
        ids, expected,
        "`updated_at:>=` keeps the orders updated at or after {since}"
    );

    let unquoted = format!("updated_at:>{since} AND created_at:>=2000-01-01");
    let (ids, _) = walk(&sandbox, &token, Some(&unquoted), None).await;
    assert!(
        ids.len() < expected.len(),
        "`>` excludes orders updated exactly at {since}"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn orders_edited_after_a_sync_arrive_after_its_last_cursor() {
    let sandbox = start(600).await;
    let token = sandbox.issue_shopify_token(SHOP);
    let (_, cursor) = walk(&sandbox, &token, None, None).await;
    let touched = sandbox.touch_shopify_orders(SHOP, 7);
    assert_eq!(touched.len(), 7, "seven orders were edited");
    let (ids, _) = walk(&sandbox, &token, None, cursor).await;
    let mut sorted_touched = touched.clone();
    sorted_touched.sort();
    let mut seen = ids.clone();
    seen.sort();
    assert_eq!(
        seen, sorted_touched,
        "resuming from the last cursor yields exactly the edited orders"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_response_holds_exactly_the_selected_fields_with_aliases_and_fragments() {
    let sandbox = start(30).await;
    let token = sandbox.issue_shopify_token(SHOP);
    let query = r#"
      fragment Money on MoneyBag { shopMoney { amount } }
      query {
        shop { name myshopifyDomain currencyCode }
        recent: orders(first: 2, sortKey: CREATED_AT, reverse: true) {
          edges {
            cursor
            node {
              __typename
              orderId: id
              totalPriceSet { ...Money }
              ... on Order { lineItems(first: 1) { nodes { sku } pageInfo { hasNextPage } } }
            }
          }
        }
      }"#;
    let (status, body) = gql(&sandbox, &token, query, json!({})).await;
    assert_eq!(status, 200);
    assert!(
        body.get("errors").is_none(),
        "a valid query has no errors: {body}"
    );
    assert_eq!(
        body["data"]["shop"],
        json!({"name": "Counterline Demo", "myshopifyDomain": SHOP, "currencyCode": "USD"}),
        "shop answers with only the selected fields"
    );
    let edges = body["data"]["recent"]["edges"]
        .as_array()
        .expect("aliased connection");
    assert_eq!(edges.len(), 2, "first: 2 gives two edges");
    let node = &edges[0]["node"];
    let mut keys: Vec<&str> = node
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        ["__typename", "lineItems", "orderId", "totalPriceSet"],
        "exactly the selected keys: {node}"
    );
    assert_eq!(node["__typename"], "Order");
    assert!(
        node["totalPriceSet"]["shopMoney"]["amount"].is_string(),
        "the fragment was applied"
    );
    assert_eq!(
        node["totalPriceSet"]["shopMoney"]
            .as_object()
            .map(|o| o.len()),
        Some(1),
        "only amount was selected"
    );
    assert!(
        node["lineItems"]["nodes"][0]["sku"].is_string(),
        "lineItems is a connection with nodes"
    );
    let newest = sandbox
        .shopify_orders(SHOP)
        .iter()
        .map(|o| o["createdAt"].as_str().unwrap_or_default().to_owned())
        .max();
    let first_created = sandbox
        .shopify_orders(SHOP)
        .into_iter()
        .find(|o| o["id"] == node["orderId"])
        .and_then(|o| o["createdAt"].as_str().map(str::to_owned));
    assert_eq!(
        first_created, newest,
        "reverse CREATED_AT starts with the newest order"
    );
    assert!(
        body["extensions"]["cost"]["requestedQueryCost"]
            .as_u64()
            .is_some_and(|c| c > 0),
        "cost is reported"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn an_unknown_field_is_a_graphql_error_naming_the_type_and_field() {
    let sandbox = start(10).await;
    let token = sandbox.issue_shopify_token(SHOP);
    let (status, body) = gql(
        &sandbox,
        &token,
        "{ orders(first: 1) { nodes { id financialStatus } } }",
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "GraphQL errors are HTTP 200, as on Shopify");
    assert!(
        body.get("data").is_none(),
        "a document that fails validation runs nothing: {body}"
    );
    let error = &body["errors"][0];
    assert_eq!(
        error["message"],
        "Field 'financialStatus' doesn't exist on type 'Order'"
    );
    assert_eq!(error["extensions"]["code"], "undefinedField");
    assert_eq!(error["extensions"]["typeName"], "Order");
    assert_eq!(
        error["locations"][0]["line"], 1,
        "the error points into the document"
    );

    let (_, body) = gql(
        &sandbox,
        &token,
        "{ products(first: 1) { nodes { id } } }",
        json!({}),
    )
    .await;
    assert_eq!(
        body["errors"][0]["extensions"]["typeName"], "QueryRoot",
        "unknown root fields are errors too"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn page_sizes_must_be_given_and_at_most_250() {
    let sandbox = start(10).await;
    let token = sandbox.issue_shopify_token(SHOP);
    let (_, body) = gql(
        &sandbox,
        &token,
        "{ orders(first: 251) { nodes { id } } }",
        json!({}),
    )
    .await;
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("250")),
        "251 is refused: {body}"
    );
    let (_, body) = gql(&sandbox, &token, "{ orders { nodes { id } } }", json!({})).await;
    assert_eq!(
        body["errors"][0]["message"],
        "you must provide one of first or last"
    );
    let (_, body) = gql(
        &sandbox,
        &token,
        "{ orders(first: 1, after: \"bm9wZQ==\") { nodes { id } } }",
        json!({}),
    )
    .await;
    assert_eq!(
        body["data"],
        Value::Null,
        "a bad cursor fails the field: {body}"
    );
    assert!(body["errors"][0]["message"]
        .as_str()
        .is_some_and(|m| m.contains("cursor")));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_missing_wrong_or_revoked_token_gets_401() {
    let sandbox = start(10).await;
    let query = json!({"query": "{ shop { name } }"});
    let response = client()
        .post(graphql_url(&sandbox))
        .json(&query)
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), 401, "no token, no data");
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(
        body["errors"],
        "[API] Invalid API key or access token (unrecognized login or wrong password)"
    );

    let (status, _) = gql(
        &sandbox,
        "shpat_00000000000000000000000000000000",
        "{ shop { name } }",
        json!({}),
    )
    .await;
    assert_eq!(status, 401, "an unknown token is refused");

    let token = sandbox.issue_shopify_token(SHOP);
    let (status, _) = gql(&sandbox, &token, "{ shop { name } }", json!({})).await;
    assert_eq!(status, 200, "a fresh token works");
    sandbox.revoke_shopify_tokens(SHOP);
    let (status, _) = gql(&sandbox, &token, "{ shop { name } }", json!({})).await;
    assert_eq!(
        status, 401,
        "a revoked token stops working at once, as after an uninstall"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn with_rate_limits_on_a_drained_bucket_answers_throttled() {
    let sandbox = Sandbox::start(counterline_sandbox::SandboxConfig {
        enforce_rate_limits: true,
        ..config(600)
    })
    .await
    .expect("starts");
    let token = sandbox.issue_shopify_token(SHOP);
    // 2 + 250 × (order 1 + bag 1 + money 1) = 752 points a query.
    let query = "{ orders(first: 250) { nodes { id totalPriceSet { shopMoney { amount } } } } }";
    let mut throttled = None;
    for attempt in 0..10 {
        let (status, body) = gql(&sandbox, &token, query, json!({})).await;
        assert_eq!(
            status, 200,
            "throttling is reported in GraphQL, not as HTTP 429"
        );
        if body["errors"][0]["extensions"]["code"] == "THROTTLED" {
            throttled = Some((attempt, body));
            break;
        }
        let cost = &body["extensions"]["cost"];
        assert_eq!(
            cost["throttleStatus"]["maximumAvailable"], 2000.0,
            "Standard plan bucket"
        );
        assert_eq!(
            cost["throttleStatus"]["restoreRate"], 100.0,
            "Standard plan restore rate"
        );
    }
    let (attempt, body) =
        throttled.expect("a 2,000-point bucket runs dry within a few 752-point queries");
    assert!(attempt >= 2, "the first two queries fit in a full bucket");
    assert_eq!(body["errors"][0]["message"], "Throttled");
    assert!(
        body.get("data").is_none(),
        "a throttled query returns no data"
    );
    let available = body["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"]
        .as_u64()
        .expect("a number");
    assert!(
        available < 752,
        "throttled because fewer points were available ({available}) than requested"
    );

    let (_, body) = gql(
        &sandbox,
        &token,
        "{ orders(first: 250) { nodes { id lineItems(first: 50) { nodes { id } } } } }",
        json!({}),
    )
    .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "MAX_COST_EXCEEDED",
        "over 1,000 points is refused outright"
    );
    sandbox.shutdown().await;
}
