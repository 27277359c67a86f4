//! The programme feed over HTTP, parsed back by the `ical` crate's reader: every
//! session with the right instant across the venue's zone, stable UIDs, sequences and
//! cancellations that follow each publication, no personal data, and HTTP caching.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use serde_json::{Value, json};

use crate::demo::demo_login;
use crate::helpers::TestApp;

/// Undoes RFC 5545 TEXT escaping (the `ical` reader leaves it in place).
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(x) => out.push(x),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A property's parameters and value.
type Prop = (Vec<(String, Vec<String>)>, String);

struct Event {
    props: BTreeMap<String, Prop>,
}

impl Event {
    fn value(&self, name: &str) -> &str {
        self.props.get(name).map(|p| p.1.as_str()).unwrap_or("")
    }
    fn param(&self, name: &str, param: &str) -> Option<String> {
        self.props
            .get(name)?
            .0
            .iter()
            .find(|(k, _)| k == param)
            .map(|(_, v)| v.join(","))
    }
}

/// Parses a feed with the `ical` crate's reader.
fn parse(text: &str) -> (Vec<Event>, Vec<String>) {
    let reader = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
    let cals: Vec<_> = reader
        .collect::<Result<Vec<_>, _>>()
        .expect("the feed parses");
    assert_eq!(cals.len(), 1);
    let cal = &cals[0];
    let zones = cal
        .timezones
        .iter()
        .flat_map(|z| z.properties.iter())
        .filter(|p| p.name == "TZID")
        .filter_map(|p| p.value.clone())
        .collect();
    let events = cal
        .events
        .iter()
        .map(|e| Event {
            props: e
                .properties
                .iter()
                .map(|p| {
                    (
                        p.name.clone(),
                        (
                            p.params.clone().unwrap_or_default(),
                            p.value.clone().unwrap_or_default(),
                        ),
                    )
                })
                .collect(),
        })
        .collect();
    (events, zones)
}

fn session_of(e: &Event) -> i64 {
    e.value("UID")
        .strip_prefix("session-")
        .and_then(|s| s.split(['.', '@']).next())
        .and_then(|s| s.parse().ok())
        .expect("UID names the session")
}

fn instant(e: &Event, name: &str) -> DateTime<Utc> {
    if let Some(utc) = e.value(name).strip_suffix('Z') {
        let t = NaiveDateTime::parse_from_str(utc, "%Y%m%dT%H%M%S").unwrap();
        return t.and_utc();
    }
    let tz: chrono_tz::Tz = e.param(name, "TZID").expect("TZID").parse().unwrap();
    let local = NaiveDateTime::parse_from_str(e.value(name), "%Y%m%dT%H%M%S").unwrap();
    tz.from_local_datetime(&local)
        .single()
        .unwrap()
        .with_timezone(&Utc)
}

/// Checks a c3voc `schedule.json` against the JSON programme (by session id) and
/// answers each event's guid by session.
fn c3voc_events(doc: &Value, programme: &BTreeMap<i64, Value>) -> BTreeMap<i64, String> {
    let oslo: chrono_tz::Tz = "Europe/Oslo".parse().unwrap();
    let conf = &doc["schedule"]["conference"];
    assert_eq!(conf["time_zone_name"], "Europe/Oslo");
    let days = conf["days"].as_array().unwrap();
    assert_eq!(conf["daysCount"].as_u64().unwrap() as usize, days.len());
    assert_eq!(conf["start"], days[0]["date"]);
    let mut guids = BTreeMap::new();
    for day in days {
        let day_start = DateTime::parse_from_rfc3339(day["day_start"].as_str().unwrap()).unwrap();
        let day_end = DateTime::parse_from_rfc3339(day["day_end"].as_str().unwrap()).unwrap();
        for (room, events) in day["rooms"].as_object().unwrap() {
            for e in events.as_array().unwrap() {
                let id = e["id"].as_i64().unwrap();
                let s = &programme[&id];
                assert_eq!(e["room"].as_str(), Some(room.as_str()));
                assert_eq!(s["room"].as_str(), Some(room.as_str()));
                assert_eq!(e["title"], s["title"]);
                let start = DateTime::parse_from_rfc3339(e["date"].as_str().unwrap()).unwrap();
                let end = DateTime::parse_from_rfc3339(e["end"].as_str().unwrap()).unwrap();
                let utc =
                    DateTime::parse_from_rfc3339(s["starts_at_utc"].as_str().unwrap()).unwrap();
                assert_eq!(start, utc);
                let venue = utc.with_timezone(&oslo);
                assert_eq!(start.offset().local_minus_utc(), {
                    use chrono::Offset;
                    venue.offset().fix().local_minus_utc()
                });
                assert_eq!(
                    start.date_naive().to_string(),
                    day["date"].as_str().unwrap()
                );
                assert!(day_start <= start && end <= day_end);
                let minutes = (end - start).num_minutes();
                assert_eq!(
                    e["duration"].as_str().unwrap(),
                    format!("{:02}:{:02}", minutes / 60, minutes % 60)
                );
                assert_eq!(
                    e["start"].as_str().unwrap(),
                    start.format("%H:%M").to_string()
                );
                let text = e.to_string();
                assert!(!text.contains('@'), "no email in {text}");
                let guid = e["guid"].as_str().unwrap().to_string();
                assert_eq!(guid.len(), 36);
                assert!(guids.insert(id, guid).is_none(), "session {id} twice");
            }
        }
    }
    guids
}

#[actix_web::test]
async fn the_programme_feed_matches_the_programme_and_follows_every_publish() {
    let (app, summary) = TestApp::spawn_demo(igf_scheduler::demo::Stage::Scheduled).await;
    let m = summary.meeting_id;
    let sec = demo_login(&app, igf_scheduler::demo::SECRETARIAT_EMAIL).await;
    let ics = format!("/api/v1/meetings/{m}/programme.ics");
    let r = app.get(&ics, None).await.expect(200);
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("text/calendar; charset=utf-8")
    );
    assert_eq!(
        r.header("cache-control").as_deref(),
        Some("public, max-age=300")
    );
    let etag = r.header("etag").unwrap();
    let last_modified = r.header("last-modified").unwrap();
    let text = r.body.as_str().unwrap().to_string();
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
    }
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    for private in [
        "@demo.igf.test",
        "@example.org",
        "mailto:",
        "female",
        "GENDER",
    ] {
        assert!(!text.contains(private), "the feed leaks {private}");
    }
    let (events, zones) = parse(&text);
    assert_eq!(zones, vec!["Europe/Oslo".to_string()]);
    // The same sessions at the same instants as the JSON programme.
    let programme = app
        .get(&format!("/api/v1/meetings/{m}/programme"), None)
        .await
        .expect(200)
        .body;
    let links = &programme["calendar"];
    assert!(
        links["https"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/api/v1/meetings/{m}/programme.ics"))
    );
    assert!(links["webcal"].as_str().unwrap().starts_with("webcal://"));
    let json: BTreeMap<i64, Value> = programme["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["session_id"].as_i64().unwrap(), s.clone()))
        .collect();
    assert_eq!(events.len(), json.len());
    for e in &events {
        let s = &json[&session_of(e)];
        let start = DateTime::parse_from_rfc3339(s["starts_at_utc"].as_str().unwrap()).unwrap();
        let end = DateTime::parse_from_rfc3339(s["ends_at_utc"].as_str().unwrap()).unwrap();
        assert_eq!(instant(e, "DTSTART"), start);
        assert_eq!(instant(e, "DTEND"), end);
        assert_eq!(unescape(e.value("SUMMARY")), s["title"].as_str().unwrap());
        assert_eq!(e.value("STATUS"), "CONFIRMED");
        assert_eq!(e.value("SEQUENCE"), "0");
        assert!(unescape(e.value("LOCATION")).starts_with(s["room"].as_str().unwrap()));
        assert!(!e.value("DTSTAMP").is_empty() && e.value("DTSTAMP").ends_with('Z'));
    }
    // The conference apps' schedule.json: the same sessions at the same instants, dated
    // with the venue's offset of that instant, under the day and room they take place.
    let c3voc = format!("/api/v1/meetings/{m}/schedule.json");
    let r = app.get(&c3voc, None).await.expect(200);
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("application/json")
    );
    let guids_before = c3voc_events(&r.body, &json);
    assert_eq!(guids_before.len(), json.len());
    let tag = r.header("etag").unwrap();
    let r = app
        .send("GET", &c3voc, None, None, &[("If-None-Match", &tag)])
        .await;
    assert_eq!(r.status.as_u16(), 304);
    // The same programme as frab's schedule.xml: one event per session, by id; cached
    // and tagged alike (validity and instants: scripts/check-feeds.sh with xmllint).
    let frab = format!("/api/v1/meetings/{m}/schedule.xml");
    let r = app.get(&frab, None).await.expect(200);
    assert_eq!(r.header("content-type").as_deref(), Some("application/xml"));
    let xml = String::from_utf8(r.raw.to_vec()).unwrap();
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    for id in json.keys() {
        assert_eq!(
            xml.matches(&format!("<event id=\"{id}\" ")).count(),
            1,
            "session {id} once in schedule.xml"
        );
    }
    let tag = r.header("etag").unwrap();
    let r = app
        .send("GET", &frab, None, None, &[("If-None-Match", &tag)])
        .await;
    assert_eq!(r.status.as_u16(), 304);
    // Conditional requests and HEAD.
    let r = app
        .send("GET", &ics, None, None, &[("If-None-Match", &etag)])
        .await;
    assert_eq!(r.status.as_u16(), 304);
    let r = app
        .send(
            "GET",
            &ics,
            None,
            None,
            &[("If-Modified-Since", &last_modified)],
        )
        .await;
    assert_eq!(r.status.as_u16(), 304);
    // Compressed once ahead of time: gzip for clients that take it, with its own strong
    // ETag; either tag answers a conditional request.
    let r = app
        .send(
            "GET",
            &ics,
            None,
            None,
            &[("Accept-Encoding", "br;q=1, gzip;q=0.8")],
        )
        .await
        .expect(200);
    assert_eq!(r.header("content-encoding").as_deref(), Some("gzip"));
    let gz_etag = r.header("etag").unwrap();
    assert_eq!(gz_etag, format!("{}-gzip\"", etag.trim_end_matches('"')));
    let mut unzipped = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&r.raw[..]), &mut unzipped)
        .unwrap();
    assert_eq!(unzipped, text);
    assert!(
        r.raw.len() * 4 < text.len(),
        "{} of {}",
        r.raw.len(),
        text.len()
    );
    let r = app
        .send("GET", &ics, None, None, &[("If-None-Match", &gz_etag)])
        .await;
    assert_eq!(r.status.as_u16(), 304);
    let r = app
        .send(
            "GET",
            &ics,
            None,
            None,
            &[("Accept-Encoding", "gzip;q=0, identity")],
        )
        .await
        .expect(200);
    assert_eq!(r.header("content-encoding"), None);
    assert_eq!(r.header("etag"), Some(etag.clone()));
    let r = app.send("HEAD", &ics, None, None, &[]).await;
    assert_eq!(r.status.as_u16(), 200);
    assert_eq!(r.header("etag"), Some(etag.clone()));
    assert_eq!(r.body, Value::Null);
    // Filters.
    let day = programme["sessions"][0]["day"].as_str().unwrap();
    let r = app.get(&format!("{ics}?day={day}"), None).await.expect(200);
    let (some, _) = parse(r.body.as_str().unwrap());
    assert!(!some.is_empty() && some.len() < events.len());
    app.get(&format!("{ics}?day=tomorrow"), None)
        .await
        .expect(422);
    // Cancel a session, repair and publish: the feed keeps its UID, cancelled, with a
    // higher SEQUENCE; the ETag changes.
    let victim = *json
        .iter()
        .find(|(_, s)| s["session_type"] == "workshop")
        .unwrap()
        .0;
    app.patch(
        &format!("/api/v1/sessions/{victim}"),
        Some(&sec),
        &json!({"status": "cancelled"}),
    )
    .await
    .expect(200);
    let job = app
        .post(
            &format!("/api/v1/meetings/{m}/schedules"),
            Some(&sec),
            &json!({"kind": "repair", "time_limit_seconds": 1}),
        )
        .await
        .expect(202)
        .body["id"]
        .as_i64()
        .unwrap();
    let mut version = Value::Null;
    for _ in 0..240 {
        let j = app
            .get(&format!("/api/v1/schedule-jobs/{job}"), Some(&sec))
            .await
            .expect(200)
            .body;
        if j["status"] == "succeeded" {
            version = j["version_id"].clone();
            break;
        }
        assert!(
            ["queued", "running"].contains(&j["status"].as_str().unwrap()),
            "{j}"
        );
        actix_web::rt::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    // The cancellation is in the feed at once, before any publication.
    let now = app.get(&ics, None).await.expect(200);
    assert_ne!(now.header("etag"), Some(etag.clone()));
    let (seen, _) = parse(now.body.as_str().unwrap());
    let e = seen.iter().find(|e| session_of(e) == victim).unwrap();
    assert_eq!(e.value("STATUS"), "CANCELLED");
    assert_eq!(e.value("SEQUENCE"), "1");
    let etag = now.header("etag").unwrap();
    app.post(
        &format!("/api/v1/schedules/{version}/publish"),
        Some(&sec),
        &json!({}),
    )
    .await
    .expect(200);
    // The repair moved nothing else: the feed says what it said (its ETag changes only
    // if the second of DTSTAMP did).
    let r = app.get(&ics, None).await.expect(200);
    if r.header("etag") == Some(etag) {
        assert_eq!(r.body, now.body);
    }
    let (after, _) = parse(r.body.as_str().unwrap());
    assert_eq!(
        after.len(),
        events.len(),
        "the cancelled session stays in the feed"
    );
    // schedule.json leaves the cancelled session out; every other keeps its guid.
    let r = app.get(&c3voc, None).await.expect(200);
    assert_ne!(r.header("etag"), Some(tag));
    let guids_after = c3voc_events(&r.body, &json);
    assert_eq!(guids_after.len(), json.len() - 1);
    assert!(!guids_after.contains_key(&victim));
    for (id, g) in &guids_after {
        assert_eq!(guids_before.get(id), Some(g), "session {id} kept its guid");
    }
    let cancelled = after.iter().find(|e| session_of(e) == victim).unwrap();
    assert_eq!(cancelled.value("STATUS"), "CANCELLED");
    assert_eq!(cancelled.value("SEQUENCE"), "1");
    for e in after.iter().filter(|e| session_of(e) != victim) {
        assert_eq!(e.value("STATUS"), "CONFIRMED");
    }
}

#[actix_web::test]
async fn personal_agendas_live_behind_a_secret_token_and_speakers_have_their_feed() {
    let (app, summary) = TestApp::spawn_demo(igf_scheduler::demo::Stage::Scheduled).await;
    let m = summary.meeting_id;
    let programme = app
        .get(&format!("/api/v1/meetings/{m}/programme"), None)
        .await
        .expect(200)
        .body;
    let sessions: Vec<i64> = programme["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["session_id"].as_i64().unwrap())
        .collect();
    // Made without an account.
    let r = app
        .post(
            &format!("/api/v1/meetings/{m}/agendas"),
            None,
            &json!({"name": "Mine, all mine"}),
        )
        .await
        .expect(201);
    let token = r.body["token"].as_str().unwrap().to_string();
    assert_eq!(token.len(), 64, "256 random bits in hex");
    assert!(
        r.body["links"]["https"]
            .as_str()
            .unwrap()
            .starts_with("http")
    );
    assert!(
        r.body["links"]["webcal"]
            .as_str()
            .unwrap()
            .starts_with("webcal://")
    );
    assert!(
        r.body["links"]["webcal"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/api/v1/agendas/{token}/calendar.ics"))
    );
    // Only a hash of the token is stored.
    let pool = app.pool.clone();
    let stored: Vec<String> = actix_web::rt::task::spawn_blocking(move || {
        use diesel::prelude::*;
        let mut c = pool.get().unwrap();
        igf_scheduler::db::schema::agendas::table
            .select(igf_scheduler::db::schema::agendas::token_hash)
            .load(&mut c)
            .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0], token);
    let base = format!("/api/v1/agendas/{token}");
    for s in &sessions[..2] {
        app.send("PUT", &format!("{base}/sessions/{s}"), None, None, &[])
            .await
            .expect(200);
    }
    // Adding twice changes nothing; a session of another meeting is not found.
    let r = app
        .send(
            "PUT",
            &format!("{base}/sessions/{}", sessions[0]),
            None,
            None,
            &[],
        )
        .await
        .expect(200);
    assert_eq!(r.body["session_ids"].as_array().unwrap().len(), 2);
    app.send("PUT", &format!("{base}/sessions/999999"), None, None, &[])
        .await
        .expect(404);
    let r = app
        .get(&format!("{base}/calendar.ics"), None)
        .await
        .expect(200);
    assert_eq!(
        r.header("cache-control").as_deref(),
        Some("private, max-age=300")
    );
    let text = r.body.as_str().unwrap();
    assert!(
        text.contains("Mine\\, all mine"),
        "the calendar carries the agenda's name"
    );
    let (events, _) = parse(text);
    let mut got: Vec<i64> = events.iter().map(session_of).collect();
    got.sort_unstable();
    assert_eq!(got, sessions[..2].to_vec());
    app.send(
        "DELETE",
        &format!("{base}/sessions/{}", sessions[0]),
        None,
        None,
        &[],
    )
    .await
    .expect(200);
    let r = app
        .get(&format!("{base}/calendar.ics"), None)
        .await
        .expect(200);
    let (events, _) = parse(r.body.as_str().unwrap());
    assert_eq!(
        events.iter().map(session_of).collect::<Vec<_>>(),
        vec![sessions[1]]
    );
    // Rotating: the old token stops working at once.
    let r = app
        .post(&format!("{base}/rotate"), None, &json!({}))
        .await
        .expect(200);
    let fresh = r.body["token"].as_str().unwrap().to_string();
    assert_ne!(fresh, token);
    app.get(&base, None).await.expect(404);
    app.get(&format!("{base}/calendar.ics"), None)
        .await
        .expect(404);
    let fresh_base = format!("/api/v1/agendas/{fresh}");
    assert_eq!(
        app.get(&fresh_base, None).await.expect(200).body["session_ids"],
        json!([sessions[1]])
    );
    // Revoking: gone.
    app.send("DELETE", &fresh_base, None, None, &[])
        .await
        .expect(204);
    app.get(&fresh_base, None).await.expect(404);

    // A speaker's feed: every event has them.
    let speaker = programme["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["people"].as_array().unwrap())
        .find(|p| p["role"] == "speaker")
        .unwrap()["name"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .get(
            &format!(
                "/api/v1/meetings/{m}/programme.ics?person={}",
                speaker.replace(' ', "%20")
            ),
            None,
        )
        .await
        .expect(200);
    let (events, _) = parse(r.body.as_str().unwrap());
    // As many as the programme's sessions with someone whose name holds it.
    let theirs = programme["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| {
            s["people"].as_array().unwrap().iter().any(|p| {
                p["name"]
                    .as_str()
                    .unwrap()
                    .to_lowercase()
                    .contains(&speaker.to_lowercase())
            })
        })
        .count();
    assert!(
        !events.is_empty() && events.len() == theirs,
        "{} events, {theirs} sessions",
        events.len()
    );
    for e in &events {
        assert!(unescape(e.value("DESCRIPTION")).contains(&speaker));
    }
}
