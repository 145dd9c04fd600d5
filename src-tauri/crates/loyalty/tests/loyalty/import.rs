//! CSV import (preview, per-row problems, all or nothing), export, and the
//! SKU category map that category punch cards read.

use counterline_loyalty::model::ImportAction;
use counterline_loyalty::settings::{self, PunchCard};
use counterline_loyalty::{apply, import, Error};

use crate::{add_member, fixture, order, profile, sync};

async fn member_count(db: &counterline_store::Db) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM members").fetch_one(db.pool()).await.unwrap()
}

#[tokio::test]
async fn the_preview_shows_what_each_row_would_do_and_changes_nothing() {
    let f = fixture().await;
    add_member(&f.db, "ana@example.com").await;
    let csv = "Email,Name,Phone,Loyalty tier\n ANA@example.com ,Ana Lima,,gold\nbo@example.com,Bo,555-0101,\n\nana@example.com,,,\n";
    let mut conn = f.db.conn().await.unwrap();
    let preview = import::preview_members(&mut conn, csv).await.unwrap();
    assert_eq!((preview.creates, preview.updates, preview.unchanged), (1, 1, 0));
    assert_eq!(preview.rows[0].action, ImportAction::Update, "an existing email updates the name");
    assert_eq!(preview.rows[1].name.as_deref(), Some("Bo"));
    assert_eq!(preview.problems.len(), 1, "the same email twice is a problem");
    assert_eq!(preview.problems[0].message, "Line 5: ana@example.com is already on line 2.");
    drop(conn);
    assert_eq!(member_count(&f.db).await, 1, "a preview writes nothing");
}

#[tokio::test]
async fn an_import_with_any_problem_imports_nothing() {
    let f = fixture().await;
    let mut tx = f.db.begin().await.unwrap();
    let csv = "email,name\nana@example.com,Ana\nnot-an-email,Bad\n,Nobody\n";
    let error = import::import_members(&mut tx, csv).await.unwrap_err();
    assert!(
        matches!(&error, Error::Invalid(m) if m == "The file has 2 problems, so nothing was imported. Line 3: not-an-email is not an email address."),
        "{error}"
    );
    drop(tx);
    assert_eq!(member_count(&f.db).await, 0);
    let mut conn = f.db.conn().await.unwrap();
    let missing = import::preview_members(&mut conn, "name,phone\nAna,1\n").await.unwrap();
    assert_eq!(missing.problems[0].message, "Line 1: the file needs a header row with a \"email\" column.");
}

#[tokio::test]
async fn imported_members_match_their_orders_and_export_with_their_figures() {
    let f = fixture().await;
    sync(&f.db, f.shop, &[order("1", Some("Bo@Example.com"), 0, 30_000)]).await;
    let mut tx = f.db.begin().await.unwrap();
    let result = import::import_members(&mut tx, "email,name,note\nbo@example.com,\"Bo, Jr.\",VIP\ncy@example.com,Cy,\n").await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!((result.created, result.updated), (2, 0));
    let csv = import::export_members(&mut f.db.conn().await.unwrap()).await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "email,name,phone,note,tier,credit,segment,orders,spend,first_order,last_order");
    assert_eq!(lines[1], "bo@example.com,\"Bo, Jr.\",,VIP,Silver,30.00,,1,300.00,2024-03-01T00:00:00Z,2024-03-01T00:00:00Z");
    assert_eq!(lines[2], "cy@example.com,Cy,,,,0.00,,0,0.00,,");
}

#[tokio::test]
async fn a_category_card_stamps_from_the_merchants_sku_map() {
    let f = fixture().await;
    let member = add_member(&f.db, "ana@example.com").await;
    let mut tx = f.db.begin().await.unwrap();
    let mut rules = settings::load(&mut tx).await.unwrap();
    rules.punch_cards.push(PunchCard { id: 0, name: "Mugs".into(), stamps_required: 2, reward: "A free mug".into(), categories: vec!["Kitchen".into()], active: true });
    let rules = rules.validated(&settings::load(&mut tx).await.unwrap()).unwrap();
    settings::store(&mut tx, &rules).await.unwrap();
    apply::recompute_all(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
    sync(&f.db, f.shop, &[order("1", Some("ana@example.com"), 0, 1_000), order("2", Some("ana@example.com"), 1, 1_000)]).await;
    let mugs = |p: &counterline_loyalty::model::MemberProfile| p.punch_cards.iter().find(|c| c.name == "Mugs").unwrap().clone();
    assert_eq!(mugs(&profile(&f.db, member).await).total_stamps, 0, "MUG has no category yet");

    let mut tx = f.db.begin().await.unwrap();
    let bad = import::import_categories(&mut tx, "sku,category\nMUG,Kitchen\n,Drinks\n").await;
    assert!(matches!(bad, Err(Error::Invalid(m)) if m.contains("Line 3: a row needs a SKU and a category")));
    drop(tx);
    let mut tx = f.db.begin().await.unwrap();
    let imported = import::import_categories(&mut tx, "SKU,Category\nMUG,Kitchen\nTEA,Drinks\n").await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(imported.created, 2);
    let card = mugs(&profile(&f.db, member).await);
    assert_eq!((card.total_stamps, card.stamps, card.rewards.len()), (2, 0, 1), "two mugs fill the card and issue its reward");
    assert_eq!(card.rewards[0].order_number, "#2");
}
