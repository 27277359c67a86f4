//! A meeting of its own, from an empty database to published feeds, over documented
//! routes: its own committee (an evaluator outside it is never assigned), normalised
//! results that say they kept raw scores, a selection that takes the meeting's theme
//! targets, two proposals approved "if merged" made one session, a speaker replaced,
//! ceremonies and a Day 0 event, an online speaker who fits no slot (the schedule is
//! still made and names her), the outer band relaxed so she is placed, publish,
//! republish and the feed. Runs on both backends.

use super::*;
use crate::evaluation::{me, panel};
use crate::helpers::person;
use igf_scheduler::auth::Role;

#[actix_web::test]
async fn a_meeting_of_its_own_goes_from_its_committee_to_published_feeds() {
    let p = panel().await;
    let outsider = p.app.user("outsider@example.org", Role::Evaluator).await;
    let outsider_id = me(&p.app, &outsider).await;
    p.scoring().await;
    assert!(
        p.pairs(&p.sec).await.iter().all(|(_, e)| *e != outsider_id),
        "only the committee is assigned"
    );
    p.score_all().await;
    p.set_phase("closed").await.expect(200);
    let results = p
        .app
        .get(
            &format!("/api/v1/meetings/{}/evaluation/results", p.meeting),
            Some(&p.sec),
        )
        .await
        .expect(200)
        .body;
    assert!(
        !results["normalisation"]["notes"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let run = p
        .app
        .post(
            &format!("/api/v1/meetings/{}/selection", p.meeting),
            Some(&p.sec),
            &json!({"slots_per_type": {"workshop": 3}, "waitlist": 0}),
        )
        .await
        .expect(201)
        .body;
    assert_eq!(run["selected"], 3, "{run}");
    let [a, b, c] = [p.proposals[0], p.proposals[1], p.proposals[2]];
    p.app
        .post(
            &format!("/api/v1/meetings/{}/decisions", p.meeting),
            Some(&p.sec),
            &json!({"selection_run_id": run["id"], "decisions": [
                {"proposal_id": b, "outcome": "approved_if_merged", "merge_with": c},
                {"proposal_id": c, "outcome": "approved_if_merged", "merge_with": b}]}),
        )
        .await
        .expect(200);
    p.set_phase("published").await.expect(200);
    // Published results are final: the call cannot open again.
    let later = (chrono::Utc::now() + chrono::Duration::days(30)).to_rfc3339();
    let r = p
        .app
        .patch(
            &format!("/api/v1/meetings/{}", p.meeting),
            Some(&p.sec),
            &json!({"cfp_closes_at": later}),
        )
        .await
        .expect(409);
    assert_eq!(r.code(), "results_published");

    let d = Demo {
        app: p.app,
        sec: p.sec.clone(),
        meeting: p.meeting,
    };
    let sec = d.sec.clone();
    let m = d.meeting;
    d.app
        .post(
            &format!("/api/v1/meetings/{m}/sessions/from-selection"),
            Some(&sec),
            &json!({}),
        )
        .await
        .expect(200);
    let by_proposal = |sessions: &[Value], pid: i64| {
        sessions
            .iter()
            .find(|s| s["proposal_id"] == pid)
            .unwrap()
            .clone()
    };
    let sessions = d.sessions().await;
    let (sa, sb, sc) = (
        by_proposal(&sessions, a),
        by_proposal(&sessions, b),
        by_proposal(&sessions, c),
    );
    // The pair approved "if merged" becomes one session.
    let merged = d
        .app
        .post(
            &format!("/api/v1/sessions/{}/merge", sb["id"]),
            Some(&sec),
            &json!({"session_id": sc["id"]}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(merged["status"], "active");
    // A speaker replaced in the first.
    let mut people: Vec<Value> = sa["people"].as_array().unwrap().clone();
    let speaker = people.iter().position(|x| x["role"] == "speaker").unwrap();
    let mut new = person("speaker", "Replacement Speaker", "female", "onsite");
    new["email"] = json!("replacement@example.org");
    people[speaker] = new;
    let people: Vec<Value> = people
        .into_iter()
        .map(|mut x| {
            let o = x.as_object_mut().unwrap();
            o.retain(|k, _| {
                [
                    "role",
                    "name",
                    "email",
                    "organisation",
                    "country",
                    "stakeholder_group",
                    "regional_group",
                    "gender",
                    "timezone",
                    "participation",
                ]
                .contains(&k.as_str())
            });
            x
        })
        .collect();
    d.app
        .patch(
            &format!("/api/v1/sessions/{}", sa["id"]),
            Some(&sec),
            &json!({ "people": people }),
        )
        .await
        .expect(200);

    // Ceremonies, a Day 0 event, and an online speaker in Los Angeles: the meeting's
    // slots (09:00 and 10:30 in Oslo) are 00:00 and 01:30 her time.
    let mut late = person("speaker", "Lee Online", "female", "online");
    late["timezone"] = json!("America/Los_Angeles");
    for (code, title, minutes, people) in [
        ("opening_ceremony", "Opening", 60, json!([])),
        ("closing_ceremony", "Closing", 60, json!([])),
        ("day_zero", "Day 0 briefing", 60, json!([])),
        ("workshop", "West coast view", 60, json!([late])),
    ] {
        d.app
            .post(
                &format!("/api/v1/meetings/{m}/sessions"),
                Some(&sec),
                &json!({"session_type": code, "title": title, "duration_min": minutes,
                        "expected_attendance": 50, "hybrid": true, "people": people}),
            )
            .await
            .expect(201);
    }
    let job = d.run_job(&json!({"time_limit_seconds": 2})).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    let unplaced = job["unplaced"].as_array().unwrap();
    assert_eq!(unplaced.len(), 1, "{job}");
    assert_eq!(unplaced[0]["title"], "West coast view");
    let why = unplaced[0]["reasons"].to_string();
    assert!(
        why.contains("Lee Online") && why.contains("America/Los_Angeles"),
        "{why}"
    );

    // The meeting relaxes the outer band: she is placed, at a cost.
    d.app
        .patch(
            &format!("/api/v1/meetings/{m}/scheduling-rules"),
            Some(&sec),
            &json!({"outer_hours_hard": false}),
        )
        .await
        .expect(200);
    let job = d.run_job(&json!({"time_limit_seconds": 2})).await;
    assert_eq!(job["unplaced"], json!([]), "{job}");
    // The list reads every job's unplaced sessions at once, and says what each job says.
    let list = d
        .app
        .get(&format!("/api/v1/meetings/{m}/schedule-jobs"), Some(&sec))
        .await
        .expect(200)
        .body;
    let listed = list["items"].as_array().unwrap();
    assert!(listed.len() >= 2, "{list}");
    for item in listed {
        let one = d
            .app
            .get(&format!("/api/v1/schedule-jobs/{}", item["id"]), Some(&sec))
            .await
            .expect(200)
            .body;
        assert_eq!(item, &one);
    }
    assert!(
        listed
            .iter()
            .any(|j| j["unplaced"][0]["title"] == "West coast view"),
        "{list}"
    );
    let version = d
        .app
        .get(
            &format!("/api/v1/schedules/{}", job["version_id"]),
            Some(&sec),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(version["hard"], 0, "{}", version["evaluation"]["rules"]);
    let problems = independent_check(&d, &version).await;
    assert!(problems.is_empty(), "{problems:?}");
    // And by the solver tests' checker, on the problem the service built.
    let (pool, m, vid) = (
        d.app.pool.clone(),
        d.meeting,
        job["version_id"].as_i64().unwrap(),
    );
    let hard = actix_web::rt::task::spawn_blocking(move || {
        let mut c = pool.get().unwrap();
        let meeting = igf_scheduler::meetings::queries::find(&mut c, m)
            .unwrap()
            .unwrap();
        let p = igf_scheduler::scheduling::build::problem(&mut c, &meeting, vec![]).unwrap();
        // Cancelled sessions keep their place in the version, outside the problem.
        let sol: Vec<_> = igf_scheduler::scheduling::versions::assignments(&mut c, vid)
            .unwrap()
            .into_iter()
            .filter(|a| p.sessions.iter().any(|s| s.id == a.session))
            .collect();
        assert_eq!(sol.len(), p.sessions.len(), "every active session placed");
        crate::checker::hard_violations(&p, &sol)
    })
    .await
    .unwrap();
    assert!(hard.values().all(|n| *n == 0), "{hard:?}");
    d.app
        .post(
            &format!("/api/v1/schedules/{}/publish", job["version_id"]),
            Some(&sec),
            &json!({}),
        )
        .await
        .expect(200);

    // Ceremonies and Day 0 where they belong, read from the public programme.
    let programme = d
        .app
        .get(&format!("/api/v1/meetings/{m}/programme"), None)
        .await
        .expect(200)
        .body;
    let items = programme["sessions"].as_array().unwrap();
    assert_eq!(items.len(), 6, "{programme}");
    let find = |title: &str| items.iter().find(|s| s["title"] == title).unwrap();
    let (opening, closing) = (find("Opening"), find("Closing"));
    assert_eq!(find("Day 0 briefing")["day"], "2027-06-21");
    assert_eq!(opening["day"], "2027-06-22");
    assert_eq!(closing["day"], "2027-06-24");
    for s in items {
        if s["title"] == "Day 0 briefing" {
            continue;
        }
        assert_ne!(s["day"], "2027-06-21", "only Day 0 events on Day 0: {s}");
        if s["day"] == opening["day"] && s["title"] != "Opening" {
            assert!(s["starts_at_utc"].as_str() >= opening["ends_at_utc"].as_str());
        }
        if s["day"] == closing["day"] && s["title"] != "Closing" {
            assert!(s["ends_at_utc"].as_str() <= closing["starts_at_utc"].as_str());
        }
    }
    assert!(
        items
            .iter()
            .any(|s| s["people"].to_string().contains("Replacement Speaker"))
    );

    // Republish another solve; the feed follows the published version.
    let again = d
        .run_job(&json!({"time_limit_seconds": 1, "seed": 7}))
        .await;
    d.app
        .post(
            &format!("/api/v1/schedules/{}/publish", again["version_id"]),
            Some(&sec),
            &json!({}),
        )
        .await
        .expect(200);
    let programme = d
        .app
        .get(&format!("/api/v1/meetings/{m}/programme"), None)
        .await
        .expect(200)
        .body;
    assert_eq!(programme["version_id"], again["version_id"]);
    let ics = d
        .app
        .get(&format!("/api/v1/meetings/{m}/programme.ics"), None)
        .await
        .expect(200);
    let text = String::from_utf8_lossy(&ics.raw).to_string();
    assert_eq!(text.matches("BEGIN:VEVENT").count(), 6, "{text}");
    assert!(text.contains("SUMMARY:West coast view"));

    // A withdrawal after acceptance is on record in the public report, not erased.
    let pat = d.app.login("pat@example.org").await;
    d.app
        .post(
            &format!("/api/v1/proposals/{a}/withdraw"),
            Some(&pat),
            &json!({}),
        )
        .await
        .expect(200);
    let report = d
        .app
        .get(&format!("/api/v1/meetings/{m}/evaluation/report"), None)
        .await
        .expect(200)
        .body;
    let row = report["proposals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["proposal_id"] == a)
        .unwrap_or_else(|| panic!("withdrawn proposal erased from {report}"));
    assert_eq!(row["withdrawn"], true, "{row}");
    assert_eq!(row["outcome"], "approved");
    assert_eq!(
        report["programme"]["proposals"], 2,
        "it leaves the programme's figures"
    );
}
