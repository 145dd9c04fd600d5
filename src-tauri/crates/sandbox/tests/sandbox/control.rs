//! The test-control routes, for a sandbox inside another process (the app's
//! demo mode under the end-to-end test): the received writes over HTTP, the
//! same list `Sandbox::received_writes` gives; and an outage of set length
//! that starts after its own answer and ends by itself.

use std::time::Duration;

use serde_json::{json, Value};

use super::{client, start};
use counterline_sandbox::{Sandbox, WooSite};

async fn control_writes(sandbox: &Sandbox) -> Value {
    let url = sandbox
        .base_url()
        .join("_sandbox/control/writes")
        .expect("joins");
    client()
        .get(url)
        .send()
        .await
        .expect("the sandbox answers")
        .json()
        .await
        .expect("JSON")
}

#[tokio::test]
async fn the_writes_route_lists_what_the_platforms_accepted() {
    let sandbox = start(50).await;
    assert_eq!(
        control_writes(&sandbox).await,
        json!([]),
        "nothing written yet, nothing listed"
    );

    let site = WooSite::default();
    let order = sandbox
        .woocommerce_orders(&site.host)
        .into_iter()
        .find(|o| o["status"] == "processing")
        .expect("a seeded site has processing orders");
    let id = order["id"].as_u64().expect("numeric id");
    let url = sandbox
        .woocommerce_origin(&site.host)
        .join(&format!("wp-json/wc/v3/orders/{id}"))
        .expect("joins");
    let answer = client()
        .put(url)
        .basic_auth(&site.consumer_key, Some(&site.consumer_secret))
        .json(&json!({"status": "completed"}))
        .send()
        .await
        .expect("the sandbox answers");
    assert_eq!(answer.status().as_u16(), 200, "the write is accepted");

    let listed = control_writes(&sandbox).await;
    let listed = listed.as_array().expect("a list");
    assert_eq!(
        listed.len(),
        1,
        "exactly the one accepted write: {listed:?}"
    );
    assert_eq!(listed[0]["platform"], "woocommerce");
    assert_eq!(listed[0]["account"], site.host.as_str());
    assert_eq!(
        listed[0]["orderId"],
        id.to_string(),
        "the platform's order id"
    );
    assert_eq!(listed[0]["kind"], "status");
    assert_eq!(listed[0]["body"]["status"], "completed", "the body as sent");
    assert_eq!(
        sandbox.received_writes().len(),
        1,
        "the same record the Rust API reads"
    );
}

#[tokio::test]
async fn the_offline_route_takes_the_host_away_after_answering_and_brings_it_back() {
    let sandbox = start(10).await;
    let control = sandbox
        .base_url()
        .join("_sandbox/control/offline?seconds=1")
        .expect("joins");
    let answer = client()
        .post(control)
        .send()
        .await
        .expect("the request itself is answered");
    assert_eq!(answer.status().as_u16(), 202, "the outage is scheduled");

    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(
        sandbox.is_offline(),
        "the host is offline once the answer is out"
    );
    let during = client()
        .get(sandbox.base_url())
        .timeout(Duration::from_secs(2))
        .send()
        .await;
    assert!(
        during.is_err(),
        "no answer at all while offline, as in a real outage"
    );

    tokio::time::sleep(Duration::from_millis(1_200)).await;
    assert!(!sandbox.is_offline(), "it comes back by itself");
    let after = client()
        .get(sandbox.base_url())
        .send()
        .await
        .expect("answers again");
    assert!(
        after.status().is_success(),
        "the index page answers after the outage"
    );
}

#[tokio::test]
async fn an_outage_of_no_or_unbounded_length_is_refused() {
    let sandbox = start(10).await;
    for seconds in ["0", "601"] {
        let url = sandbox
            .base_url()
            .join(&format!("_sandbox/control/offline?seconds={seconds}"))
            .expect("joins");
        let answer = client().post(url).send().await.expect("answers");
        assert_eq!(
            answer.status().as_u16(),
            400,
            "{seconds} seconds is refused"
        );
    }
    assert!(!sandbox.is_offline(), "a refused request changes nothing");
}
