//! The Lightspeed lines' writes over real HTTP: X-Series' sale update
//! (`PUT api/2026-07/sales/{id}`, `sales:write`), R-Series' `PUT
//! Sale/{id}.json` with `voided`, and Kounta's `PUT orders/{id}.json` with
//! `status`. An accepted write changes what the next read returns and is
//! recorded once; a repeated `Idempotency-Key` replays the first answer
//! without a second record; a change the sale can't take is refused in the
//! platform's error shape and records nothing; a queued write fault
//! answers instead of the update, once.

use serde_json::{json, Value};

use super::{client, start};
use counterline_sandbox::{OSeriesCompany, RSeriesAccount, Sandbox, WriteFault, WritePlatform, XSeriesRetailer};

async fn send(method: reqwest::Method, url: url::Url, token: &str, body: &Value, key: Option<&str>) -> (u16, Value) {
    let mut request = client().request(method, url).bearer_auth(token).json(body);
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    let response = request.send().await.expect("the sandbox answers");
    let status = response.status().as_u16();
    (status, response.json().await.expect("a JSON answer"))
}

/// The update body an app sends: the sale as read, whole, with `state`.
fn xseries_update(sale: &Value, state: &str) -> Value {
    json!({
        "state": state,
        "source": {"outlet_id": sale["outlet_id"], "register_id": sale["register_id"], "user_id": sale["user_id"]},
        "line_items": sale["line_items"],
        "payments": sale["payments"],
    })
}

fn xseries_sale(sandbox: &Sandbox, prefix: &str, pick: impl Fn(&Value) -> bool) -> Value {
    sandbox.xseries_sales(prefix).into_iter().find(pick).expect("the retailer has such a sale")
}

#[tokio::test]
async fn an_xseries_sale_is_voided_once_by_a_whole_update_with_the_write_scope() {
    let sandbox = start(40).await;
    let prefix = XSeriesRetailer::default().domain_prefix;
    let sale = xseries_sale(&sandbox, &prefix, |s| s["state"] == "parked");
    let id = sale["id"].as_str().unwrap().to_owned();
    let url = sandbox.xseries_origin(&prefix).join(&format!("api/2026-07/sales/{id}")).unwrap();
    let put = reqwest::Method::PUT;

    let (read_only, _) = sandbox.issue_xseries_token(&prefix);
    let (status, body) = send(put.clone(), url.clone(), &read_only, &xseries_update(&sale, "voided"), Some("k-1")).await;
    assert_eq!(status, 403, "a token without sales:write can't change sales: {body}");

    let token = sandbox.issue_xseries_token_with_scopes(&prefix, &["sales:read", "sales:write"]);
    let mut partial = xseries_update(&sale, "voided");
    partial["line_items"] = json!([]);
    let (status, body) = send(put.clone(), url.clone(), &token, &partial, Some("k-2")).await;
    assert_eq!(status, 400, "a body leaving lines out would delete them: {body}");
    assert!(body["message"].as_str().unwrap_or("").contains("line_items"), "{body}");
    assert!(sandbox.received_writes().is_empty(), "refusals record nothing");

    let (status, first) = send(put.clone(), url.clone(), &token, &xseries_update(&sale, "voided"), Some("k-3")).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["data"]["state"], "voided");
    let (status, replayed) = send(put.clone(), url.clone(), &token, &xseries_update(&sale, "voided"), Some("k-3")).await;
    assert_eq!((status, &replayed), (200, &first), "the same key answers the first answer");
    let writes = sandbox.received_writes();
    assert_eq!(writes.len(), 1, "and is recorded once");
    assert_eq!((writes[0].platform, writes[0].order_id.as_str()), (WritePlatform::XSeries, id.as_str()));
    assert_eq!(writes[0].idempotency_key.as_deref(), Some("k-3"));
    let now = xseries_sale(&sandbox, &prefix, |s| s["id"] == id.as_str());
    assert_eq!((now["state"].as_str(), now["status"].as_str()), (Some("voided"), Some("VOIDED")), "the next read shows it");
    assert!(now["version"].as_u64() > sale["version"].as_u64(), "with a higher version, so a version walk finds it");

    let (status, body) = send(put.clone(), url, &token, &xseries_update(&now, "parked"), Some("k-4")).await;
    assert_eq!(status, 400, "a voided sale is final: {body}");
    let returned = xseries_sale(&sandbox, &prefix, |s| s["return_ids"].as_array().is_some_and(|r| !r.is_empty()));
    let url = sandbox.xseries_origin(&prefix).join(&format!("api/2026-07/sales/{}", returned["id"].as_str().unwrap())).unwrap();
    let (status, body) = send(put, url, &token, &xseries_update(&returned, "voided"), Some("k-5")).await;
    assert_eq!(status, 400, "a sale with returns is not voided: {body}");
    assert_eq!(sandbox.received_writes().len(), 1);
}

#[tokio::test]
async fn an_open_rseries_sale_is_voided_and_a_completed_one_is_refused_in_words() {
    let sandbox = start(40).await;
    let account = RSeriesAccount::default().account_id;
    let (token, _) = sandbox.issue_rseries_token(account);
    let sales = sandbox.rseries_sales(account);
    let find = |completed: &str| {
        sales.iter().find(|s| s["completed"] == completed && s["voided"] == "false").expect("such a sale")["saleID"].as_str().unwrap().to_owned()
    };
    let (open, done) = (find("false"), find("true"));
    let url = |id: &str| sandbox.rseries_origin().join(&format!("API/V3/Account/{account}/Sale/{id}.json")).unwrap();

    let (status, body) = send(reqwest::Method::PUT, url(&done), &token, &json!({"voided": "true"}), Some("r-1")).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["message"], "A completed sale can't be voided; refund it instead.", "in R-Series' error shape: {body}");
    assert_eq!(body["httpCode"], "400");

    let (status, body) = send(reqwest::Method::PUT, url(&open), &token, &json!({"voided": "true"}), Some("r-2")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["Sale"]["voided"], "true");
    send(reqwest::Method::PUT, url(&open), &token, &json!({"voided": "true"}), Some("r-2")).await;
    let writes = sandbox.received_writes();
    assert_eq!(writes.len(), 1, "one void, replayed not repeated: {writes:?}");
    assert_eq!((writes[0].platform, writes[0].order_id.as_str()), (WritePlatform::RSeries, open.as_str()));
    let now = sandbox.rseries_sales(account).into_iter().find(|s| s["saleID"] == open.as_str()).unwrap();
    assert_eq!(now["voided"], "true", "the next list read shows it");
}

#[tokio::test]
async fn a_kounta_order_is_accepted_or_rejected_but_never_completed_by_an_app() {
    // About one Kounta order in fifty still waits unpaid: enough orders for some.
    let sandbox = start(300).await;
    let company = OSeriesCompany::default().company_id;
    let (token, _) = sandbox.issue_oseries_token(company);
    let orders = sandbox.oseries_orders(company);
    let waiting = orders.iter().find(|o| o["status"] == "SUBMITTED" || o["status"] == "ON_HOLD").expect("a waiting order");
    let id = waiting["id"].as_u64().unwrap();
    let url = sandbox.oseries_origin().join(&format!("v1/companies/{company}/orders/{id}.json")).unwrap();

    let (status, body) = send(reqwest::Method::PUT, url.clone(), &token, &json!({"status": "COMPLETE"}), Some("o-1")).await;
    assert_eq!(status, 400, "completing takes payment at the register: {body}");
    assert!(body["error_description"].as_str().is_some_and(|d| d.contains("register")), "{body}");
    let (status, body) = send(reqwest::Method::PUT, url.clone(), &token, &json!({"status": "SHIPPED"}), Some("o-2")).await;
    assert_eq!(status, 400, "not a Kounta status: {body}");

    let (status, body) = send(reqwest::Method::PUT, url.clone(), &token, &json!({"status": "ACCEPTED"}), Some("o-3")).await;
    assert_eq!((status, body["status"].as_str()), (200, Some("ACCEPTED")), "{body}");
    send(reqwest::Method::PUT, url.clone(), &token, &json!({"status": "ACCEPTED"}), Some("o-3")).await;
    assert_eq!(sandbox.received_writes().len(), 1, "the replay records nothing");
    let (status, body) = send(reqwest::Method::PUT, url.clone(), &token, &json!({"status": "REJECTED"}), Some("o-4")).await;
    assert_eq!((status, body["status"].as_str()), (200, Some("REJECTED")), "{body}");
    let (status, _) = send(reqwest::Method::PUT, url, &token, &json!({"status": "ACCEPTED"}), Some("o-5")).await;
    assert_eq!(status, 400, "a rejected order is final");
    let now = sandbox.oseries_orders(company).into_iter().find(|o| o["id"] == id).unwrap();
    assert_eq!(now["status"], "REJECTED", "the next list read shows it");
    assert_eq!(sandbox.received_writes().len(), 2);
}

#[tokio::test]
async fn queued_write_faults_answer_the_next_updates_instead_and_apply_nothing() {
    let sandbox = start(40).await;
    let account = RSeriesAccount::default().account_id;
    let (token, _) = sandbox.issue_rseries_token(account);
    let open = sandbox.rseries_sales(account).into_iter().find(|s| s["completed"] == "false" && s["voided"] == "false").expect("an open sale");
    let url = sandbox.rseries_origin().join(&format!("API/V3/Account/{account}/Sale/{}.json", open["saleID"].as_str().unwrap())).unwrap();
    sandbox.fail_next_writes(&[WriteFault::ServerError, WriteFault::RateLimited]);
    let void = json!({"voided": "true"});

    let (status, body) = send(reqwest::Method::PUT, url.clone(), &token, &void, Some("f-1")).await;
    assert_eq!(status, 503, "first the server error, in R-Series' shape: {body}");
    let (status, _) = send(reqwest::Method::PUT, url.clone(), &token, &void, Some("f-1")).await;
    assert_eq!(status, 429, "then the rate limit");
    assert!(sandbox.received_writes().is_empty(), "neither applied the update");
    let (status, body) = send(reqwest::Method::PUT, url, &token, &void, Some("f-1")).await;
    assert_eq!((status, body["Sale"]["voided"].as_str()), (200, Some("true")), "then it goes through: {body}");
    assert_eq!(sandbox.received_writes().len(), 1);
    let injected = sandbox.faults_injected();
    assert_eq!((injected.server_errors, injected.throttled), (1, 1));
}
