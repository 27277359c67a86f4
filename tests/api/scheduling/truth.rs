//! Every reader of a published programme tells the same truth: the JSON programme and
//! the calendar feeds agree on who is shown, keep the filters they were given, and
//! never carry a control character.

use super::*;
use crate::helpers::{open_meeting, person};
use igf_scheduler::auth::Role;

/// A published meeting of our own made from `body`, with one workshop per line-up.
pub(super) async fn publish_meeting(
    body: &Value,
    line_ups: Vec<(&str, Value)>,
) -> (Demo, Vec<i64>) {
    let app = TestApp::spawn().await;
    let sec = app.user("sec@example.org", Role::Secretariat).await;
    let m = app.meeting(&sec, body).await["id"].as_i64().unwrap();
    let mut ids = vec![];
    for (title, people) in line_ups {
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

/// A meeting of our own with two published sessions; the first has a rapporteur.
async fn published() -> (Demo, Vec<i64>) {
    publish_meeting(
        &open_meeting(),
        vec![
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
        ],
    )
    .await
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

/// One event of a feed: its properties by name (the last of each).
fn event_of(ics: &str, uid_part: &str) -> BTreeMap<String, String> {
    let unfolded = ics.replace("\r\n ", "");
    let block = unfolded
        .split("BEGIN:VEVENT")
        .skip(1)
        .find(|e| e.contains(uid_part))
        .unwrap_or_else(|| panic!("no event {uid_part} in {ics}"));
    block
        .split("\r\n")
        .filter_map(|l| {
            let (k, v) = l.split_once(':')?;
            Some((k.split(';').next().unwrap().to_string(), v.to_string()))
        })
        .collect()
}

struct Seen {
    body: String,
    etag: String,
    modified: String,
}

async fn feed(app: &TestApp, path: &str) -> Seen {
    let r = app.get(path, None).await.expect(200);
    Seen {
        body: r.body.as_str().unwrap().to_string(),
        etag: r.header("etag").unwrap(),
        modified: r.header("last-modified").unwrap(),
    }
}

fn http_date(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc2822(s).unwrap().with_timezone(&Utc)
}

#[actix_web::test]
async fn a_change_after_publication_reaches_every_feed_at_once_with_its_sequence() {
    let (d, ids) = published().await;
    let m = d.meeting;
    let ics = format!("/api/v1/meetings/{m}/programme.ics");
    let json_feed = format!("/api/v1/meetings/{m}/schedule.json");
    let uid = format!("session-{}.", ids[0]);
    let before = feed(&d.app, &ics).await;
    let e0 = event_of(&before.body, &uid);
    assert_eq!(e0["SEQUENCE"], "0");
    assert_eq!(e0["STATUS"], "CONFIRMED");
    assert!(e0["UID"].ends_with(".igf-scheduler"), "{e0:?}");
    let guids_before = d
        .app
        .get(&json_feed, None)
        .await
        .expect(200)
        .body
        .to_string();
    assert!(guids_before.contains("Cables under the sea"));
    // An agenda with the session, read before the change.
    let agenda = d
        .app
        .post(
            &format!("/api/v1/meetings/{m}/agendas"),
            None,
            &json!({"name": "mine"}),
        )
        .await
        .expect(201)
        .body;
    let token = agenda["token"].as_str().unwrap().to_string();
    d.app
        .send(
            "PUT",
            &format!("/api/v1/agendas/{token}/sessions/{}", ids[0]),
            None,
            None,
            &[],
        )
        .await;
    let agenda_ics = format!("/api/v1/agendas/{token}/calendar.ics");
    let a0 = feed(&d.app, &agenda_ics).await;
    assert_eq!(event_of(&a0.body, &uid)["STATUS"], "CONFIRMED");

    // The title changes: shown at once, SEQUENCE up.
    actix_web::rt::time::sleep(Duration::from_millis(1100)).await;
    let session = format!("/api/v1/sessions/{}", ids[0]);
    d.app
        .patch(
            &session,
            Some(&d.sec),
            &json!({"title": "Cables under the ocean"}),
        )
        .await
        .expect(200);
    let renamed = feed(&d.app, &ics).await;
    let e1 = event_of(&renamed.body, &uid);
    assert_eq!(e1["SUMMARY"], "Cables under the ocean");
    assert_eq!(e1["SEQUENCE"], "1");
    assert_ne!(renamed.etag, before.etag);
    assert!(http_date(&renamed.modified) > http_date(&before.modified));
    // A change SEQUENCE does not count (the description) leaves it.
    d.app
        .patch(
            &session,
            Some(&d.sec),
            &json!({"description": "Who owns the cables?"}),
        )
        .await
        .expect(200);
    let described = feed(&d.app, &ics).await;
    assert_eq!(event_of(&described.body, &uid)["SEQUENCE"], "1");
    assert!(described.body.contains("Who owns the cables?"));

    // Cancelled: every reader says so at once.
    d.app
        .patch(&session, Some(&d.sec), &json!({"status": "cancelled"}))
        .await
        .expect(200);
    let cancelled = feed(&d.app, &ics).await;
    let e2 = event_of(&cancelled.body, &uid);
    assert_eq!(e2["STATUS"], "CANCELLED");
    assert_eq!(e2["SEQUENCE"], "2");
    assert!(e2["DTSTAMP"] >= e1["DTSTAMP"], "{e1:?} {e2:?}");
    let a1 = feed(&d.app, &agenda_ics).await;
    assert_eq!(event_of(&a1.body, &uid)["STATUS"], "CANCELLED");
    assert_ne!(a1.etag, a0.etag);
    let json_now = d
        .app
        .get(&json_feed, None)
        .await
        .expect(200)
        .body
        .to_string();
    assert!(
        !json_now.contains("Cables under the"),
        "schedule.json drops it"
    );
    let programme = d
        .app
        .get(&format!("/api/v1/meetings/{m}/programme"), None)
        .await
        .expect(200)
        .body;
    let row = programme["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["session_id"] == ids[0])
        .unwrap()
        .clone();
    assert_eq!(row["status"], "cancelled");
    // A conditional request with the old validators is not answered 304.
    let r = d
        .app
        .send("GET", &ics, None, None, &[("If-None-Match", &before.etag)])
        .await;
    assert_eq!(r.status, 200);
    let r = d
        .app
        .send(
            "GET",
            &ics,
            None,
            None,
            &[("If-Modified-Since", &before.modified)],
        )
        .await;
    assert_eq!(r.status, 200);
    let r = d
        .app
        .send(
            "GET",
            &ics,
            None,
            None,
            &[("If-None-Match", &cancelled.etag)],
        )
        .await;
    assert_eq!(r.status, 304);

    // A second instance on the same database tells the same truth.
    let other = d.app.another().await;
    let there = feed(&other, &ics).await;
    // The same calendar, but for the links, which name the host it was asked of.
    let host = |a: &TestApp| a.address.trim_start_matches("http://").to_string();
    assert_eq!(
        there.body.replace(&host(&other), &host(&d.app)),
        cancelled.body
    );
    d.app
        .patch(
            &format!("/api/v1/sessions/{}", ids[1]),
            Some(&d.sec),
            &json!({"title": "Spectrum for everyone"}),
        )
        .await
        .expect(200);
    let mut seen = false;
    for _ in 0..10 {
        let now = feed(&other, &ics).await;
        if now.body.contains("Spectrum for everyone") {
            assert_ne!(now.etag, there.etag);
            seen = true;
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(seen, "the other instance never showed the change");
}

#[actix_web::test]
async fn head_and_every_encoding_answer_with_their_own_length_and_tag() {
    let (d, _) = published().await;
    let ics = format!("/api/v1/meetings/{}/programme.ics", d.meeting);
    let plain = d.app.get(&ics, None).await.expect(200);
    let head = d.app.send("HEAD", &ics, None, None, &[]).await.expect(200);
    assert_eq!(
        head.header("content-length"),
        Some(plain.raw.len().to_string()),
        "HEAD gives the GET's length"
    );
    assert_eq!(head.header("etag"), plain.header("etag"));
    assert!(head.raw.is_empty());
    for coding in ["br", "zstd", "deflate"] {
        let r = d
            .app
            .send("GET", &ics, None, None, &[("Accept-Encoding", coding)])
            .await
            .expect(200);
        assert_eq!(r.header("content-encoding"), None, "{coding}");
        assert_eq!(r.header("etag"), plain.header("etag"), "{coding}");
        assert_eq!(r.raw, plain.raw, "{coding}");
    }
    let gz = d
        .app
        .send("GET", &ics, None, None, &[("Accept-Encoding", "gzip")])
        .await
        .expect(200);
    assert_eq!(gz.header("content-encoding").as_deref(), Some("gzip"));
    assert_ne!(gz.header("etag"), plain.header("etag"));
}

#[actix_web::test]
async fn a_session_in_the_repeated_hour_is_written_so_no_reader_can_misread_it() {
    let mut body = open_meeting();
    body["timezone"] = json!("Europe/Berlin");
    body["day_zero"] = Value::Null;
    body["first_day"] = json!("2027-10-30");
    body["last_day"] = json!("2027-10-31");
    body["rooms"] = json!([{"name": "Saal", "capacity": 100, "hybrid": true, "layout": "theater"}]);
    body["slot_template"] = json!([{"start": "02:30", "duration_min": 60}]);
    let line_ups = ["Night owls", "Clock changers"]
        .map(|t| (t, json!([person("speaker", t, "male", "onsite")])))
        .to_vec();
    let (d, _) = publish_meeting(&body, line_ups).await;
    let m = d.meeting;
    let programme = d
        .app
        .get(&format!("/api/v1/meetings/{m}/programme"), None)
        .await
        .expect(200)
        .body;
    let text = d
        .app
        .get(&format!("/api/v1/meetings/{m}/programme.ics"), None)
        .await
        .expect(200)
        .body
        .as_str()
        .unwrap()
        .to_string();
    for s in programme["sessions"].as_array().unwrap() {
        let e = event_of(&text, &format!("session-{}.", s["session_id"]));
        let utc = |v: &Value| {
            DateTime::parse_from_rfc3339(v.as_str().unwrap())
                .unwrap()
                .with_timezone(&Utc)
        };
        let (start, end) = (utc(&s["starts_at_utc"]), utc(&s["ends_at_utc"]));
        if s["day"] == "2027-10-31" {
            // 02:30 to 03:30 local: 02:30 comes twice that night; both ends in UTC.
            assert_eq!(
                e["DTSTART"],
                start.format("%Y%m%dT%H%M%SZ").to_string(),
                "{e:?}"
            );
            assert_eq!(
                e["DTEND"],
                end.format("%Y%m%dT%H%M%SZ").to_string(),
                "{e:?}"
            );
        } else {
            assert_eq!(e["DTSTART"], "20271030T023000", "{e:?}");
        }
    }
    assert!(text.contains("TZID:Europe/Berlin"));
}

#[actix_web::test]
async fn republishing_an_older_version_is_a_new_change_and_time_never_runs_back() {
    let (d, ids) = published().await;
    let m = d.meeting;
    let ics = format!("/api/v1/meetings/{m}/programme.ics");
    let uid = format!("session-{}.", ids[0]);
    let first = d
        .app
        .get(&format!("/api/v1/meetings/{m}/programme"), None)
        .await
        .expect(200)
        .body;
    let v1 = first["version_id"].as_i64().unwrap();
    let placed = first["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["session_id"] == ids[0])
        .unwrap()
        .clone();
    let taken: Vec<DateTime<Utc>> = first["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| instant(&s["starts_at_utc"]))
        .collect();
    let free = d
        .slots()
        .await
        .into_iter()
        .find(|s| {
            s["day_number"].as_i64() >= Some(1)
                && s["duration_min"].as_i64() >= Some(60)
                && !taken.contains(&instant(&s["starts_at"]["utc"]))
        })
        .unwrap();
    let e0 = event_of(&feed(&d.app, &ics).await.body, &uid);
    let edit = d
        .app
        .post(
            &format!("/api/v1/schedules/{v1}/moves"),
            Some(&d.sec),
            &json!({"moves": [{"session_id": ids[0], "room_id": placed["room_id"], "slot_id": free["id"]}]}),
        )
        .await
        .expect(201)
        .body;
    let v2 = edit["version"]["id"].as_i64().unwrap();
    let mut stamps = vec![(
        e0["SEQUENCE"].clone(),
        e0["DTSTAMP"].clone(),
        e0["LAST-MODIFIED"].clone(),
    )];
    for v in [v2, v1] {
        actix_web::rt::time::sleep(Duration::from_millis(1100)).await;
        d.app
            .post(
                &format!("/api/v1/schedules/{v}/publish"),
                Some(&d.sec),
                &json!({}),
            )
            .await
            .expect(200);
        let e = event_of(&feed(&d.app, &ics).await.body, &uid);
        stamps.push((
            e["SEQUENCE"].clone(),
            e["DTSTAMP"].clone(),
            e["LAST-MODIFIED"].clone(),
        ));
    }
    let sequences: Vec<&str> = stamps.iter().map(|s| s.0.as_str()).collect();
    assert_eq!(sequences, ["0", "1", "2"], "{stamps:?}");
    for w in stamps.windows(2) {
        assert!(
            w[1].1 > w[0].1 && w[1].2 > w[0].2,
            "time ran back: {stamps:?}"
        );
    }
}

#[actix_web::test]
async fn a_manual_edit_keeps_cancelled_sessions_where_the_programme_shows_them() {
    let (d, ids) = published().await;
    let m = d.meeting;
    let programme = format!("/api/v1/meetings/{m}/programme");
    let first = d.app.get(&programme, None).await.expect(200).body;
    let v1 = first["version_id"].as_i64().unwrap();
    d.app
        .patch(
            &format!("/api/v1/sessions/{}", ids[1]),
            Some(&d.sec),
            &json!({"status": "cancelled"}),
        )
        .await
        .expect(200);
    let placed = first["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["session_id"] == ids[0])
        .unwrap()
        .clone();
    let other_room = d.meeting_json().await["rooms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] != placed["room_id"] && r["capacity"].as_i64() >= Some(20))
        .map(|r| r["id"].clone());
    let Some(room) = other_room else {
        panic!("the fixture has a second room");
    };
    let slot = d
        .slots()
        .await
        .into_iter()
        .find(|s| instant(&s["starts_at"]["utc"]) == instant(&placed["starts_at_utc"]))
        .unwrap();
    let edit = d
        .app
        .post(
            &format!("/api/v1/schedules/{v1}/moves"),
            Some(&d.sec),
            &json!({"moves": [{"session_id": ids[0], "room_id": room, "slot_id": slot["id"]}]}),
        )
        .await
        .expect(201)
        .body;
    d.app
        .post(
            &format!("/api/v1/schedules/{}/publish", edit["version"]["id"]),
            Some(&d.sec),
            &json!({}),
        )
        .await
        .expect(200);
    let now = d.app.get(&programme, None).await.expect(200).body;
    let kept = now["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["session_id"] == ids[1])
        .unwrap_or_else(|| panic!("the cancelled session is gone: {now}"))
        .clone();
    assert_eq!(kept["status"], "cancelled");
    let text = feed(&d.app, &format!("{programme}.ics")).await.body;
    assert_eq!(
        event_of(&text, &format!("session-{}.", ids[1]))["STATUS"],
        "CANCELLED"
    );
}

#[actix_web::test]
async fn two_installations_never_share_a_uid_or_a_guid() {
    let mut uids = vec![];
    let mut guids = vec![];
    for _ in 0..2 {
        let (d, ids) = published().await;
        let m = d.meeting;
        let text = feed(&d.app, &format!("/api/v1/meetings/{m}/programme.ics"))
            .await
            .body;
        let e = event_of(&text, &format!("session-{}.", ids[0]));
        uids.push(e["UID"].clone());
        let doc = d
            .app
            .get(&format!("/api/v1/meetings/{m}/schedule.json"), None)
            .await
            .expect(200)
            .body;
        let guid = doc["schedule"]["conference"]["days"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|day| day["rooms"].as_object().unwrap().values())
            .flat_map(|events| events.as_array().unwrap().iter())
            .find(|e| e["id"] == ids[0])
            .map(|e| e["guid"].clone())
            .unwrap();
        assert!(guid.is_string(), "{doc}");
        guids.push(guid);
        // Stable within one installation.
        let again = feed(&d.app, &format!("/api/v1/meetings/{m}/programme.ics"))
            .await
            .body;
        assert_eq!(
            event_of(&again, &format!("session-{}.", ids[0]))["UID"],
            e["UID"]
        );
    }
    assert_eq!(
        uids[0].split('@').next(),
        uids[1].split('@').next(),
        "{uids:?}"
    );
    assert_ne!(uids[0], uids[1]);
    assert_ne!(guids[0], guids[1], "{guids:?}");
}
