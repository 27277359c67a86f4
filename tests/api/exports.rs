//! The committee's exports over HTTP on the demo, on each backend: every row the list
//! gives the role that asks, under the list's filters, and nothing a role may not read.
//! (scripts/test-exports.sh reads them back with Python's csv module and openpyxl.)

use crate::demo::demo_login;
use crate::helpers::TestApp;

/// The export's CSV rows as maps from header to cell; also checks its media type.
async fn rows(app: &TestApp, path: &str, token: Option<&str>) -> Vec<Vec<(String, String)>> {
    let r = app.get(path, token).await.expect(200);
    assert!(
        r.header("content-type")
            .is_some_and(|t| t.starts_with("text/csv")),
        "{path}: {:?}",
        r.header("content-type")
    );
    let mut reader = csv::Reader::from_reader(r.raw.as_ref());
    let head: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    reader
        .records()
        .map(|rec| {
            let rec = rec.unwrap();
            head.iter()
                .cloned()
                .zip(rec.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

fn cell<'a>(row: &'a [(String, String)], name: &str) -> &'a str {
    &row.iter().find(|(h, _)| h == name).unwrap().1
}

#[actix_web::test]
async fn each_role_exports_what_its_lists_give_it_and_nothing_more() {
    let (app, summary) = TestApp::spawn_demo(igf_scheduler::demo::Stage::Scheduled).await;
    let m = summary.meeting_id;
    let sec = demo_login(&app, igf_scheduler::demo::SECRETARIAT_EMAIL).await;

    // The secretariat: every proposal, and under a filter as many as the list's total.
    let all = rows(
        &app,
        &format!("/api/v1/meetings/{m}/exports/proposals"),
        Some(&sec),
    )
    .await;
    let total = app
        .total(&format!("/api/v1/meetings/{m}/proposals"), Some(&sec))
        .await;
    assert_eq!(all.len() as i64, total);
    let filtered = rows(
        &app,
        &format!("/api/v1/meetings/{m}/exports/proposals?status=submitted&q=youth"),
        Some(&sec),
    )
    .await;
    let want = app
        .total(
            &format!("/api/v1/meetings/{m}/proposals?status=submitted&q=youth"),
            Some(&sec),
        )
        .await;
    assert!(want > 0 && want < total);
    assert_eq!(filtered.len() as i64, want);
    assert!(
        filtered
            .iter()
            .all(|r| cell(r, "title").to_lowercase().contains("youth"))
    );
    assert!(all.iter().any(|r| cell(r, "people").contains('@')));
    assert!(
        all.iter()
            .all(|r| ["passes", "problems"].contains(&cell(r, "screening")))
    );

    // XLSX: a workbook, offered as a file.
    let x = app
        .get(
            &format!("/api/v1/meetings/{m}/exports/decisions?format=xlsx"),
            Some(&sec),
        )
        .await
        .expect(200);
    assert_eq!(&x.raw[..2], b"PK");
    assert!(
        x.header("content-disposition")
            .is_some_and(|d| d.contains(&format!("decisions-{m}.xlsx")))
    );

    // An evaluator: their own assignments and scores, with nobody's email or gender.
    let ev = demo_login(&app, "mag01@demo.igf.test").await;
    let mine = rows(
        &app,
        &format!("/api/v1/meetings/{m}/exports/assignments"),
        Some(&ev),
    )
    .await;
    let want = app
        .total(
            &format!("/api/v1/meetings/{m}/evaluation/assignments"),
            Some(&ev),
        )
        .await;
    assert!(want > 0);
    assert_eq!(mine.len() as i64, want);
    for r in &mine {
        for (h, v) in r {
            assert!(!v.contains('@'), "an email in {h}: {v}");
            for g in ["female", "male", "non_binary", "undisclosed"] {
                assert!(
                    !v.split([' ', ',', '(', ')', ';']).any(|w| w == g),
                    "a gender in {h}: {v}"
                );
            }
        }
    }
    let evaluators: std::collections::BTreeSet<&str> =
        mine.iter().map(|r| cell(r, "evaluator_id")).collect();
    assert_eq!(evaluators.len(), 1);
    app.get(
        &format!("/api/v1/meetings/{m}/exports/proposals"),
        Some(&ev),
    )
    .await
    .expect(403);

    // A proposer: their own proposals only; no results.
    let pr = demo_login(&app, "proposer001@demo.igf.test").await;
    let own = rows(
        &app,
        &format!("/api/v1/meetings/{m}/exports/proposals"),
        Some(&pr),
    )
    .await;
    let want = app
        .total(&format!("/api/v1/meetings/{m}/proposals"), Some(&pr))
        .await;
    assert!(want > 0);
    assert_eq!(own.len() as i64, want);
    app.get(&format!("/api/v1/meetings/{m}/exports/results"), Some(&pr))
        .await
        .expect(403);

    // Anyone: the programme, as many sessions as the API's programme.
    let programme = rows(
        &app,
        &format!("/api/v1/meetings/{m}/exports/programme"),
        None,
    )
    .await;
    let sessions = app
        .get(&format!("/api/v1/meetings/{m}/programme"), None)
        .await
        .expect(200)
        .body["sessions"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(programme.len(), sessions);

    // Bad input names the field and the rule.
    app.get(
        &format!("/api/v1/meetings/{m}/exports/scores?format=pdf"),
        Some(&sec),
    )
    .await
    .expect(422)
    .only_rule("format", "enum");
    app.get(
        &format!("/api/v1/meetings/{m}/exports/scores?per_page=5"),
        Some(&sec),
    )
    .await
    .expect(422);
}
