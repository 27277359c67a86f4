//! Session reports along the whole path: a meeting held three weeks ago, its
//! organisers and rapporteur filing (a short report on time, a full report late,
//! returned and then accepted), the secretariat's review, the public summary checked
//! against the reports, and the next call's screening blocking an organiser whose
//! session's report is missing until it is accepted.

use super::*;
use crate::helpers::{Resp, complete_proposal, open_meeting, person};

fn report(session: i64, kind: &str) -> String {
    format!("/api/v1/sessions/{session}/reports/{kind}")
}

/// PUT of a report.
async fn put(app: &TestApp, token: &str, path: &str, body: &Value) -> Resp {
    app.send("PUT", path, Some(token), Some(body), &[]).await
}

/// POST with `If-Match`.
async fn post_tagged(app: &TestApp, token: &str, path: &str, tag: &str) -> Resp {
    app.send(
        "POST",
        path,
        Some(token),
        Some(&json!({})),
        &[("If-Match", tag)],
    )
    .await
}

/// An account of this name, signed in.
async fn account(app: &TestApp, email: &str, name: &str) -> String {
    app.post(
        "/api/v1/auth/register",
        None,
        &json!({"email": email, "name": name, "password": crate::helpers::PASSWORD}),
    )
    .await
    .expect(202);
    app.login(email).await
}

fn actions(v: &Value) -> Vec<(String, String)> {
    v["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["action"].as_str().unwrap().to_string(),
                h["by"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// A meeting held three weeks ago, published with two workshops: "Cables under the
/// sea" (organiser Amina Organiser, rapporteur Zed Quill, both in Nairobi) and
/// "Spectrum for all" (organisers Omar Owner and Nia Second). Answers the app, the secretariat's
/// token, the meeting and the two sessions.
pub(crate) async fn held_meeting() -> (TestApp, String, i64, Vec<i64>) {
    // A meeting held three weeks ago.
    let today = Utc::now().date_naive();
    let mut body = open_meeting();
    body["day_zero"] = Value::Null;
    body["first_day"] = json!((today - chrono::Days::new(22)).to_string());
    body["last_day"] = json!((today - chrono::Days::new(21)).to_string());
    body["cfp_opens_at"] = json!((Utc::now() - chrono::Duration::days(90)).to_rfc3339());
    body["cfp_closes_at"] = json!((Utc::now() - chrono::Duration::days(60)).to_rfc3339());
    let (d, ids) = super::truth::publish_meeting(
        &body,
        vec![
            (
                "Cables under the sea",
                json!([
                    person("organiser", "Amina Organiser", "female", "onsite"),
                    person("speaker", "Ben Kim", "male", "onsite"),
                    person("rapporteur", "Zed Quill", "female", "onsite")
                ]),
            ),
            (
                "Spectrum for all",
                json!([
                    person("organiser", "Omar Owner", "male", "onsite"),
                    person("organiser", "Nia Second", "female", "onsite"),
                    person("speaker", "Ada Obi", "female", "onsite")
                ]),
            ),
        ],
    )
    .await;
    (d.app, d.sec, d.meeting, ids)
}

#[actix_web::test]
async fn a_held_session_reports_through_review_into_the_summary_and_gates_the_next_call() {
    let (app, sec, mid, ids) = held_meeting().await;
    let app = &app;
    let (s1, s2) = (ids[0], ids[1]);
    let m = app
        .get(&format!("/api/v1/meetings/{mid}"), Some(&sec))
        .await
        .expect(200)
        .body;
    assert_eq!(
        m["reports"],
        json!({"short_due_hours": 24, "full_due_days": 14})
    );
    let amina = account(app, "amina.organiser@example.org", "Amina Organiser").await;
    let zed = account(app, "zed.quill@example.org", "Zed Quill").await;
    let stranger = app.proposer("someone@example.org").await;
    // A session the published programme does not hold owes no report.
    let unplaced = app
        .post(
            &format!("/api/v1/meetings/{mid}/sessions"),
            Some(&sec),
            &json!({"session_type": "workshop", "title": "Added later", "duration_min": 60,
                    "expected_attendance": 20, "hybrid": false,
                    "people": [person("organiser", "Amina Organiser", "female", "onsite")]}),
        )
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    let r = app
        .get(&report(unplaced, "short"), Some(&sec))
        .await
        .expect(409);
    assert_eq!(r.code(), "not_held");
    put(app, &amina, &report(unplaced, "short"), &json!({}))
        .await
        .expect(404);
    // Deadlines: a short report 30 days after its session (so on time), the full
    // report at the end of the last day itself (so already late). A bad value is
    // refused by name.
    app.patch(
        &format!("/api/v1/meetings/{mid}"),
        Some(&sec),
        &json!({"reports": {"short_due_hours": 0}}),
    )
    .await
    .expect(422)
    .only_rule("reports.short_due_hours", "range");
    let m = app
        .patch(
            &format!("/api/v1/meetings/{mid}"),
            Some(&sec),
            &json!({"reports": {"short_due_hours": 720, "full_due_days": 0}}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(
        m["reports"],
        json!({"short_due_hours": 720, "full_due_days": 0})
    );

    // Reminders: the short reports are due within the month and none is submitted,
    // so each session's organisers and rapporteur hear once, whoever sweeps and
    // however often (the full reports' deadline has passed: no reminder).
    for _ in 0..2 {
        let pool = app.pool.clone();
        actix_web::rt::task::spawn_blocking(move || {
            igf_scheduler::reports::remind(&mut pool.get().unwrap(), Utc::now()).unwrap()
        })
        .await
        .unwrap();
    }
    let told = app
        .get(
            &format!("/api/v1/meetings/{mid}/messages?kind=report_due"),
            Some(&sec),
        )
        .await
        .expect(200)
        .body;
    let mut to: Vec<(String, String)> = told["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["recipient"].as_str().unwrap().to_string(),
                m["subject"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    to.sort();
    let short_of = |t: &str| format!("The short report of “{t}” is due");
    assert_eq!(to.len(), 4, "{to:?}");
    assert_eq!(to[0].0, "amina.organiser@example.org");
    assert!(
        to[0].1.starts_with(&short_of("Cables under the sea")),
        "{to:?}"
    );
    assert_eq!(to[1].0, "nia.second@example.org");
    assert_eq!(to[2].0, "omar.owner@example.org");
    assert!(to[2].1.starts_with(&short_of("Spectrum for all")), "{to:?}");
    assert_eq!(to[3].0, "zed.quill@example.org");
    assert!(
        to[3].1.contains("(Africa/Nairobi)"),
        "in their own zone: {to:?}"
    );

    // Amina sees her own session only, and where its reports stand.
    let mine = app
        .get(&format!("/api/v1/meetings/{mid}/reports"), Some(&amina))
        .await
        .expect(200)
        .body;
    assert_eq!(mine["total"], 1, "{mine}");
    let row = &mine["items"][0];
    assert_eq!(row["session_id"], s1);
    assert_eq!(
        (&row["short"]["state"], &row["short"]["late"]),
        (&json!("not_started"), &json!(false))
    );
    assert_eq!(
        (&row["full"]["state"], &row["full"]["late"]),
        (&json!("not_started"), &json!(true))
    );
    let names: Vec<&str> = row["organisers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Amina Organiser", "Zed Quill"]);
    let all = app
        .get(&format!("/api/v1/meetings/{mid}/reports"), Some(&sec))
        .await
        .expect(200)
        .body;
    assert_eq!(all["total"], 2);

    // Only its organisers, its rapporteur and the secretariat write; nobody else
    // reads a report that is not accepted.
    let short = json!({"key_takeaways": ["Repair ships are the bottleneck."]});
    put(app, &stranger, &report(s1, "short"), &short)
        .await
        .expect(403);
    app.get(&report(s1, "short"), None).await.expect(404);
    app.get(&report(s1, "short"), Some(&stranger))
        .await
        .expect(404);
    app.get(&report(s1, "summary"), Some(&sec))
        .await
        .expect(404);
    // Bad content is refused field by field and stores nothing.
    let bad = json!({"key_takeaways": ["a", "b", "c", "d", "e", "f"], "discussion": "x",
                     "calls_to_action": ["ok"]});
    let r = put(app, &amina, &report(s1, "short"), &bad)
        .await
        .expect(422);
    r.has_rules(&[("key_takeaways", "max_items"), ("discussion", "kind")]);
    let v = app
        .get(&report(s1, "short"), Some(&amina))
        .await
        .expect(200);
    assert_eq!(
        (&v.body["state"], &v.body["version"]),
        (&json!("not_started"), &json!(0))
    );
    // A draft; submission asks for what is missing.
    let v = put(app, &amina, &report(s1, "short"), &short)
        .await
        .expect(200);
    assert_eq!(
        (&v.body["state"], &v.body["version"]),
        (&json!("draft"), &json!(1))
    );
    let draft_tag = v.header("etag").unwrap();
    app.post(
        &format!("{}/submit", report(s1, "short")),
        Some(&amina),
        &json!({}),
    )
    .await
    .expect(422)
    .only_rule("calls_to_action", "required");
    // Zed (the rapporteur) completes it; Amina's stale tag is refused.
    let full_short = json!({"key_takeaways": ["Repair ships are the bottleneck.", "  "],
                            "calls_to_action": ["Share cable-fault data across borders."]});
    let v = put(app, &zed, &report(s1, "short"), &full_short)
        .await
        .expect(200);
    assert_eq!(
        v.body["content"]["key_takeaways"],
        json!(["Repair ships are the bottleneck."]),
        "blank items are dropped"
    );
    post_tagged(
        app,
        &amina,
        &format!("{}/submit", report(s1, "short")),
        &draft_tag,
    )
    .await
    .expect(412);
    let tag = v.header("etag").unwrap();
    let v = post_tagged(
        app,
        &amina,
        &format!("{}/submit", report(s1, "short")),
        &tag,
    )
    .await
    .expect(200);
    assert_eq!(
        (&v.body["state"], &v.body["on_time"], &v.body["late"]),
        (&json!("submitted"), &json!(true), &json!(false))
    );
    // Submitted: the organisers wait for the review.
    let r = put(app, &amina, &report(s1, "short"), &full_short)
        .await
        .expect(409);
    assert_eq!(r.code(), "invalid_transition", "locked while submitted");
    // The secretariat returns only with a comment, and accepts.
    app.post(
        &format!("{}/review", report(s1, "short")),
        Some(&sec),
        &json!({"decision": "return"}),
    )
    .await
    .expect(422)
    .only_rule("comment", "required");
    app.post(
        &format!("{}/review", report(s1, "short")),
        Some(&amina),
        &json!({"decision": "accept"}),
    )
    .await
    .expect(403);
    let v = app
        .post(
            &format!("{}/review", report(s1, "short")),
            Some(&sec),
            &json!({"decision": "accept", "comment": "Thank you."}),
        )
        .await
        .expect(200);
    assert_eq!(v.body["state"], "accepted");
    // Now public: its content, no trail and no review.
    let public = app.get(&report(s1, "short"), None).await.expect(200).body;
    assert_eq!(public["content"], v.body["content"]);
    assert_eq!(
        (&public["history"], &public["review"]),
        (&json!([]), &Value::Null)
    );

    // The full report, late: a women estimate above the participants is refused.
    let mut full = json!({"discussion": "Three operators compared repair times.",
                          "way_forward": "A shared fault registry by next year.",
                          "key_issues": ["Repair capacity"],
                          "participants_onsite": 40, "participants_online": 25,
                          "women_estimate": 70,
                          "recording_url": "https://video.example.org/cables"});
    put(app, &zed, &report(s1, "full"), &full)
        .await
        .expect(422)
        .only_rule("women_estimate", "at_most_participants");
    full["women_estimate"] = json!(30);
    put(app, &zed, &report(s1, "full"), &full).await.expect(200);
    let v = app
        .post(
            &format!("{}/submit", report(s1, "full")),
            Some(&zed),
            &json!({}),
        )
        .await
        .expect(200);
    assert_eq!(
        (&v.body["on_time"], &v.body["late"]),
        (&json!(false), &json!(true))
    );
    let first = v.body["first_submitted_at"].clone();
    let v = app
        .post(
            &format!("{}/review", report(s1, "full")),
            Some(&sec),
            &json!({"decision": "return", "comment": "Please add the transcript link."}),
        )
        .await
        .expect(200);
    assert_eq!(v.body["state"], "returned");
    // Amina reads the comment, changes the report (a draft again) and submits again.
    let seen = app
        .get(&report(s1, "full"), Some(&amina))
        .await
        .expect(200)
        .body;
    assert_eq!(seen["review"]["comment"], "Please add the transcript link.");
    full["transcript_url"] = json!("https://text.example.org/cables");
    let v = put(app, &amina, &report(s1, "full"), &full)
        .await
        .expect(200);
    assert_eq!(v.body["state"], "draft");
    app.post(
        &format!("{}/submit", report(s1, "full")),
        Some(&amina),
        &json!({}),
    )
    .await
    .expect(200);
    let v = app
        .post(
            &format!("{}/review", report(s1, "full")),
            Some(&sec),
            &json!({"decision": "accept"}),
        )
        .await
        .expect(200);
    assert_eq!(
        (
            &v.body["state"],
            &v.body["first_submitted_at"],
            &v.body["on_time"]
        ),
        (&json!("accepted"), &first, &json!(false)),
        "on time is measured by the first submission"
    );
    assert_eq!(
        actions(&v.body),
        [
            ("report.save", "Zed Quill"),
            ("report.submit", "Zed Quill"),
            ("report.return", "Test User"),
            ("report.save", "Amina Organiser"),
            ("report.submit", "Amina Organiser"),
            ("report.accept", "Test User"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    // The secretariat's tracking: the late full reports, with their sessions.
    let late = app
        .get(
            &format!("/api/v1/meetings/{mid}/reports?kind=full&late=true"),
            Some(&sec),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(late["total"], 2, "{late}");
    let missing = app
        .get(
            &format!("/api/v1/meetings/{mid}/reports?kind=full&state=not_started"),
            Some(&sec),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(missing["total"], 1);
    assert_eq!(missing["items"][0]["session_id"], s2);
    app.get(
        &format!("/api/v1/meetings/{mid}/reports?state=lost"),
        Some(&sec),
    )
    .await
    .expect(422);

    // The public summary, checked against the reports above.
    let sum = app
        .get(&format!("/api/v1/meetings/{mid}/reports/summary"), None)
        .await
        .expect(200)
        .body;
    assert_eq!((&sum["sessions"], &sum["held"]), (&json!(2), &json!(2)));
    assert_eq!(
        sum["short"],
        json!({"due": 0, "filed": 1, "on_time": 1, "accepted": 1, "late": 0})
    );
    assert_eq!(
        sum["full"],
        json!({"due": 2, "filed": 1, "on_time": 0, "accepted": 1, "late": 2})
    );
    assert_eq!(
        (
            &sum["participation"]["sessions"],
            &sum["participation"]["reported"],
            &sum["participation"]["onsite"],
            &sum["participation"]["online"],
            &sum["participation"]["women"]
        ),
        (&json!(2), &json!(1), &json!(40), &json!(25), &json!(30))
    );
    assert_eq!(sum["by_session_type"][0]["key"], "workshop");
    assert_eq!(sum["by_session_type"][0]["onsite"], 40);
    assert_eq!(
        sum["messages"][0]["sessions"][0]["calls_to_action"],
        json!(["Share cable-fault data across borders."])
    );

    // The next call: Omar organised "Spectrum for all", whose full report is missing.
    let next = app.meeting(&sec, &open_meeting()).await;
    let (next_id, theme) = (
        next["id"].as_i64().unwrap(),
        next["themes"][0]["id"].as_i64().unwrap(),
    );
    let omar = app.proposer("omar.owner@example.org").await;
    let mut proposal = complete_proposal(theme);
    proposal["participants"][0] = person("organiser", "Omar Owner", "male", "onsite");
    // A report link typed in does not stand in for this installation's own records.
    proposal["past_organiser"] = json!(true);
    proposal["previous_report_url"] = json!("https://example.org/spectrum-report");
    let p = app
        .post(
            &format!("/api/v1/meetings/{next_id}/proposals"),
            Some(&omar),
            &proposal,
        )
        .await
        .expect(201)
        .body;
    let pid = p["id"].as_i64().unwrap();
    let r = app
        .post(
            &format!("/api/v1/proposals/{pid}/submit"),
            Some(&omar),
            &json!({}),
        )
        .await
        .expect(422);
    assert_eq!(r.code(), "screening_failed");
    r.only_rule("participants[0].email", "past_report_filed");
    let told = r.body.to_string();
    assert!(
        told.contains("full report of “Spectrum for all”"),
        "names the session and the report: {told}"
    );
    // Amina, whose reports are accepted, is not held back.
    let ap = app
        .post(
            &format!("/api/v1/meetings/{next_id}/proposals"),
            Some(&amina),
            &complete_proposal(theme),
        )
        .await
        .expect(201)
        .body;
    app.post(
        &format!("/api/v1/proposals/{}/submit", ap["id"]),
        Some(&amina),
        &json!({}),
    )
    .await
    .expect(200);
    // Nia, the session's other organiser, is held back as well from her own account.
    let nia = app.proposer("nia.second@example.org").await;
    let mut hers = complete_proposal(theme);
    hers["title"] = json!("Spectrum sharing in the Sahel");
    hers["participants"][0] = person("organiser", "Nia Second", "female", "onsite");
    let np = app
        .post(
            &format!("/api/v1/meetings/{next_id}/proposals"),
            Some(&nia),
            &hers,
        )
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    app.post(
        &format!("/api/v1/proposals/{np}/submit"),
        Some(&nia),
        &json!({}),
    )
    .await
    .expect(422)
    .only_rule("participants[0].email", "past_report_filed");
    // A report that falls due again later (the secretariat returns Amina's accepted
    // short report) does not stop her correcting the proposal she has submitted.
    app.post(
        &format!("{}/review", report(s1, "short")),
        Some(&sec),
        &json!({"decision": "return", "comment": "One takeaway is missing."}),
    )
    .await
    .expect(200);
    app.patch(
        &format!("/api/v1/proposals/{}", ap["id"]),
        Some(&amina),
        &json!({"title": "Community networks beyond the capital cities"}),
    )
    .await
    .expect(200);
    // The secretariat may correct an accepted report, but not empty it.
    let r = put(
        app,
        &sec,
        &report(s1, "full"),
        &json!({"discussion": "Shorter."}),
    )
    .await;
    r.expect(422)
        .has_rules(&[("way_forward", "required"), ("women_estimate", "required")]);
    // The secretariat files Omar's full report for him and accepts it: he may submit.
    put(app, &sec, &report(s2, "full"), &full).await.expect(200);
    app.post(
        &format!("{}/submit", report(s2, "full")),
        Some(&sec),
        &json!({}),
    )
    .await
    .expect(200);
    app.post(
        &format!("{}/review", report(s2, "full")),
        Some(&sec),
        &json!({"decision": "accept"}),
    )
    .await
    .expect(200);
    app.post(
        &format!("/api/v1/proposals/{pid}/submit"),
        Some(&omar),
        &json!({}),
    )
    .await
    .expect(200);
    app.post(
        &format!("/api/v1/proposals/{np}/submit"),
        Some(&nia),
        &json!({}),
    )
    .await
    .expect(200);
}
