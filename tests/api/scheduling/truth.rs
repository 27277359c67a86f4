//! Every reader of a published programme tells the same truth: the JSON programme and
//! the calendar feeds agree on who is shown, keep the filters they were given, and
//! never carry a control character.

use super::*;
use crate::helpers::{open_meeting, person};
use igf_scheduler::auth::Role;

/// A meeting of our own with two published sessions; the first has a rapporteur.
async fn published() -> (Demo, Vec<i64>) {
    let app = TestApp::spawn().await;
    let sec = app.user("sec@example.org", Role::Secretariat).await;
    let meeting = app.meeting(&sec, &open_meeting()).await;
    let m = meeting["id"].as_i64().unwrap();
    let mut ids = vec![];
    for (title, people) in [
        (
            "Cables under the sea",
            json!([
                person("speaker", "Ben Kim", "male", "onsite"),
                person("rapporteur", "Zed Quill", "female", "onsite")
            ]),
        ),
        (
            "Spectrum for all",
            json!([person("speaker", "Ada Obi", "female", "onsite")]),
        ),
    ] {
        let s = app
            .post(
                &format!("/api/v1/meetings/{m}/sessions"),
                Some(&sec),
                &json!({"session_type": "workshop", "title": title, "duration_min": 60,
                        "expected_attendance": 20, "hybrid": false, "people": people}),
            )
            .await
            .expect(201)
            .body;
        ids.push(s["id"].as_i64().unwrap());
    }
    let d = Demo {
        app,
        sec: sec.clone(),
        meeting: m,
    };
    let job = d.run_job(&json!({"time_limit_seconds": 1})).await;
    assert_eq!(job["unplaced"], json!([]), "{job}");
    d.app
        .post(
            &format!("/api/v1/schedules/{}/publish", job["version_id"]),
            Some(&sec),
            &json!({}),
        )
        .await
        .expect(200);
    (d, ids)
}

fn events(ics: &str) -> usize {
    ics.matches("BEGIN:VEVENT").count()
}

#[actix_web::test]
async fn the_person_search_finds_only_people_who_are_shown_and_links_keep_it() {
    let (d, _) = published().await;
    let m = d.meeting;
    let programme = |q: &str| format!("/api/v1/meetings/{m}/programme?{q}");
    let ics = |q: &str| format!("/api/v1/meetings/{m}/programme.ics?{q}");
    let found = d
        .app
        .get(&programme("person=ben"), None)
        .await
        .expect(200)
        .body;
    assert_eq!(found["sessions"].as_array().unwrap().len(), 1);
    let link = found["calendar"]["https"].as_str().unwrap();
    assert!(link.ends_with("/programme.ics?person=ben"), "{link}");
    let r = d.app.get(&ics("person=ben"), None).await.expect(200);
    assert_eq!(events(r.body.as_str().unwrap()), 1);
    // The rapporteur is shown nowhere, so nothing finds them.
    let hidden = d
        .app
        .get(&programme("person=quill"), None)
        .await
        .expect(200)
        .body;
    assert_eq!(hidden["sessions"], json!([]), "{hidden}");
    let r = d.app.get(&ics("person=quill"), None).await.expect(200);
    assert_eq!(events(r.body.as_str().unwrap()), 0);
    // Every filter survives into the link, encoded.
    let both = d
        .app
        .get(&programme("person=ada%20obi&session_type=workshop"), None)
        .await
        .expect(200)
        .body;
    let link = both["calendar"]["webcal"].as_str().unwrap();
    assert!(
        link.contains("session_type=workshop") && link.contains("person=ada+obi"),
        "{link}"
    );
}

#[actix_web::test]
async fn control_characters_are_refused_by_field_and_change_nothing() {
    let (d, ids) = published().await;
    let path = format!("/api/v1/sessions/{}", ids[0]);
    let r = d
        .app
        .patch(
            &path,
            Some(&d.sec),
            &json!({"title": "Networking\u{7} drinks", "description": "a\u{0}b\u{b}"}),
        )
        .await
        .expect(422);
    r.has_rules(&[
        ("title", "control_characters"),
        ("description", "control_characters"),
    ]);
    let s = d.app.get(&path, Some(&d.sec)).await.expect(200).body;
    assert_eq!(s["title"], "Cables under the sea");
    let r = d
        .app
        .get(
            &format!("/api/v1/meetings/{}/programme?person=%1B", d.meeting),
            None,
        )
        .await
        .expect(422);
    r.only_rule("person", "control_characters");
    // Tabs and line breaks are text.
    d.app
        .patch(
            &path,
            Some(&d.sec),
            &json!({"description": "Two\tcolumns\nand lines"}),
        )
        .await
        .expect(200);
}
