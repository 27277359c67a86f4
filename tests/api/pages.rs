//! The public pages over HTTP: the programme page shows every session of the API's
//! programme at the API's instants, in the venue's zone and in any other (old
//! spellings read as the current name); bad filters are answered beside their fields;
//! pages carry ETags and answer 304; nothing private is shown; a session page has its
//! people, link and calendar file. The browser journeys are in `tests/browser/`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde_json::Value;

use crate::helpers::TestApp;

/// The app on the demo and the demo's meeting with a published programme.
async fn demo() -> (TestApp, i64) {
    let (app, summary) = TestApp::spawn_demo(igf_scheduler::demo::Stage::Scheduled).await;
    (app, summary.meeting_id)
}

/// The app on the demo, its meeting and the API's programme of it.
async fn demo_programme() -> (TestApp, i64, Value) {
    let (app, m) = demo().await;
    let api = app
        .get(&format!("/api/v1/meetings/{m}/programme"), None)
        .await
        .expect(200)
        .body;
    (app, m, api)
}

async fn page(app: &TestApp, path: &str, status: u16) -> (String, crate::helpers::Resp) {
    let r = app
        .send("GET", path, None, None, &[("accept", "text/html")])
        .await;
    assert_eq!(r.status.as_u16(), status, "{path}: {:?}", r.body);
    (text(&r), r)
}

fn text(r: &crate::helpers::Resp) -> String {
    String::from_utf8(r.raw.to_vec()).unwrap()
}

/// Each session line of a programme page: `(session id, data-start, shown time)`.
fn lines(html: &str) -> Vec<(i64, String, String)> {
    let re = regex::Regex::new(
        r#"(?s)<li class="session[^"]*" data-start="([^"]+)" data-end="[^"]+">\s*<p class="when"><time datetime="([^"]+)">([^<]+)</time>.*?href="/meetings/\d+/sessions/(\d+)"#,
    )
    .unwrap();
    re.captures_iter(html)
        .map(|c| {
            assert_eq!(&c[1], &c[2]);
            (c[4].parse().unwrap(), c[1].to_string(), c[3].to_string())
        })
        .collect()
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

#[actix_web::test]
async fn the_programme_page_shows_the_apis_sessions_and_instants_in_any_zone() {
    let (app, m, api) = demo_programme().await;
    let by_id: BTreeMap<i64, Value> = api["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["session_id"].as_i64().unwrap(), s.clone()))
        .collect();
    let venue: Tz = api["timezone"].as_str().unwrap().parse().unwrap();
    for (asked, shown) in [
        (None, venue),
        (Some("America/Los_Angeles"), Tz::America__Los_Angeles),
        (Some("Asia/Katmandu"), Tz::Asia__Kathmandu),
    ] {
        let path = match asked {
            Some(z) => format!("/meetings/{m}?tz={z}"),
            None => format!("/meetings/{m}"),
        };
        let (html, r) = page(&app, &path, 200).await;
        assert_eq!(
            r.header("content-type").as_deref(),
            Some("text/html; charset=utf-8")
        );
        assert!(
            html.contains(&format!(
                "Times are shown in <strong>{}</strong>",
                shown.name()
            )),
            "{path} does not say its zone"
        );
        assert!(html.contains(&format!("data-zone=\"{}\"", shown.name())));
        let shown_lines = lines(&html);
        assert_eq!(shown_lines.len(), by_id.len(), "{path}");
        for (id, start, time) in &shown_lines {
            let s = &by_id[id];
            assert_eq!(start, s["starts_at_utc"].as_str().unwrap(), "{path} {id}");
            let (a, b) = (
                utc(s["starts_at_utc"].as_str().unwrap()),
                utc(s["ends_at_utc"].as_str().unwrap()),
            );
            let want = format!(
                "{}–{}",
                a.with_timezone(&shown).format("%H:%M"),
                b.with_timezone(&shown).format("%H:%M")
            );
            assert!(time.ends_with(&want), "{path} {id}: {time} is not {want}");
        }
        if shown != venue {
            assert!(html.contains("(venue time "), "{path} shows no venue time");
        }
        for private in ["@demo.igf.test", "@example.org", "female", "non_binary"] {
            assert!(!html.contains(private), "{path} shows {private}");
        }
    }
    // Rendered once: the ETag answers a conditional request with 304.
    let path = format!("/meetings/{m}?tz=Asia/Kathmandu");
    let (_, r) = page(&app, &path, 200).await;
    let etag = r.header("etag").unwrap();
    let again = app
        .send(
            "GET",
            &path,
            None,
            None,
            &[("if-none-match", etag.as_str())],
        )
        .await;
    assert_eq!(again.status.as_u16(), 304);
    // Filters narrow it; the API's filter gives the same sessions.
    let day = api["sessions"][0]["day"].as_str().unwrap().to_string();
    let (html, _) = page(&app, &format!("/meetings/{m}?day={day}&theme_id="), 200).await;
    let api_day = app
        .get(&format!("/api/v1/meetings/{m}/programme?day={day}"), None)
        .await
        .expect(200)
        .body;
    let ids: Vec<i64> = lines(&html).iter().map(|l| l.0).collect();
    let want: Vec<i64> = api_day["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["session_id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, want);
    assert!(ids.len() < by_id.len());
}

#[actix_web::test]
async fn a_bad_zone_or_filter_is_answered_beside_its_field_and_the_page_still_works() {
    let (app, m) = demo().await;
    let (html, r) = page(
        &app,
        &format!("/meetings/{m}?tz=Mars/Base&day=nope&room_id=x"),
        422,
    )
    .await;
    assert_eq!(r.header("cache-control").as_deref(), Some("no-store"));
    for (field, message) in [
        ("tz", "“Mars/Base” is not a time zone we know"),
        ("f-day", "“nope” is not a date"),
        ("f-room_id", "“x” is not one of the choices"),
    ] {
        assert!(
            html.contains(&format!("aria-describedby=\"{field}-error\"")),
            "{field} is not marked"
        );
        let at = html.find(&format!("id=\"{field}-error\"")).unwrap();
        assert!(html[at..].contains(message), "{field}: no {message}");
    }
    // The typed zone stays in its field; the sessions are shown in venue time.
    assert!(html.contains("value=\"Mars/Base\""));
    assert!(html.contains("Times are shown in <strong>Europe/Oslo</strong>"));
    assert!(!lines(&html).is_empty());
    // What was typed comes back as text, never as markup.
    let (html, _) = page(
        &app,
        &format!("/meetings/{m}?tz=%22%3E%3Cscript%3Ealert(1)%3C/script%3E&person=%3Cb%3Ex"),
        422,
    )
    .await;
    assert!(
        !html.contains("<script>alert") && !html.contains("<b>x"),
        "markup echoed"
    );
    assert!(
        html.contains("&#60;script&#62;alert(1)"),
        "the typed zone is not shown"
    );
    // Values that parse but are none of the meeting's: said beside each field, and the
    // rest of the programme shown as if they were not there.
    let (html, _) = page(
        &app,
        &format!("/meetings/{m}?day=2001-01-01&theme_id=99999&room_id=99999&session_type=nope"),
        422,
    )
    .await;
    for (field, message) in [
        ("f-day", "“2001-01-01” is not a day of this meeting"),
        ("f-theme_id", "“99999” is not one of the choices"),
        ("f-room_id", "“99999” is not one of the choices"),
        ("f-session_type", "“nope” is not one of the choices"),
    ] {
        let at = html.find(&format!("id=\"{field}-error\"")).expect(field);
        assert!(html[at..].contains(message), "{field}: no {message}");
    }
    let all = app
        .get(&format!("/api/v1/meetings/{m}/programme"), None)
        .await
        .expect(200)
        .body;
    assert_eq!(
        lines(&html).len(),
        all["sessions"].as_array().unwrap().len()
    );
    // A name given twice counts once, the first time.
    let (html, _) = page(
        &app,
        &format!("/meetings/{m}?tz=Asia/Tokyo&tz=Mars/Base"),
        200,
    )
    .await;
    assert!(html.contains("data-zone=\"Asia/Tokyo\""));
    // What is not there is the 404 page.
    let (html, _) = page(&app, "/meetings/999999", 404).await;
    assert!(html.contains("Page not found"));
    let (_, _) = page(&app, &format!("/meetings/{m}/sessions/999999"), 404).await;
}

#[actix_web::test]
async fn a_session_page_has_its_people_link_times_and_calendar_file() {
    let (app, m, api) = demo_programme().await;
    let s = api["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["hybrid"] == true
                && s["join_url"].is_string()
                && !s["people"].as_array().unwrap().is_empty()
        })
        .expect("a hybrid session with people")
        .clone();
    let id = s["session_id"].as_i64().unwrap();
    let (html, _) = page(
        &app,
        &format!("/meetings/{m}/sessions/{id}?tz=America/Los_Angeles"),
        200,
    )
    .await;
    let title = s["title"].as_str().unwrap().replace('&', "&#38;");
    assert!(html.contains(&title), "no title");
    // The policy questions of the proposal it came from, in order.
    let sec = crate::demo::demo_login(&app, igf_scheduler::demo::SECRETARIAT_EMAIL).await;
    let session = app
        .get(&format!("/api/v1/sessions/{id}"), Some(&sec))
        .await
        .expect(200);
    let proposal = session.body["proposal_id"]
        .as_i64()
        .expect("a session from a proposal");
    let questions = app
        .get(&format!("/api/v1/proposals/{proposal}"), Some(&sec))
        .await
        .expect(200)
        .body["policy_questions"]
        .clone();
    let listed: String = questions
        .as_array()
        .unwrap()
        .iter()
        .map(|q| format!("<li>{}</li>\n", q.as_str().unwrap().replace('\'', "&#39;")))
        .collect();
    assert!(!listed.is_empty());
    // The public programme has them too: the page shows what the API does.
    assert_eq!(s["policy_questions"], questions);
    assert!(
        html.contains(&format!("<ol class=\"policy-questions\">\n{listed}</ol>")),
        "the policy questions are not listed"
    );
    assert!(
        html.contains(s["join_url"].as_str().unwrap()),
        "no join link"
    );
    for p in s["people"].as_array().unwrap() {
        let name = p["name"]
            .as_str()
            .unwrap()
            .replace('&', "&#38;")
            .replace('\'', "&#39;");
        assert!(html.contains(&name), "no {name}");
    }
    let start = utc(s["starts_at_utc"].as_str().unwrap());
    let la = start
        .with_timezone(&Tz::America__Los_Angeles)
        .format("%H:%M")
        .to_string();
    let oslo = start
        .with_timezone(&Tz::Europe__Oslo)
        .format("%H:%M")
        .to_string();
    assert!(
        html.contains(&la) && html.contains(&oslo),
        "times in both zones"
    );
    assert!(html.contains("calendar.google.com") && html.contains("outlook.live.com"));
    for private in ["@demo.igf.test", "@example.org", "female"] {
        assert!(!html.contains(private), "the session page shows {private}");
    }
    // Its own calendar file: this one session at the API's instant.
    let r = app
        .get(&format!("/meetings/{m}/sessions/{id}/calendar.ics"), None)
        .await;
    assert_eq!(r.status.as_u16(), 200);
    let ics = text(&r);
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1, "{ics}");
    let local = start
        .with_timezone(&Tz::Europe__Oslo)
        .format("%Y%m%dT%H%M%S")
        .to_string();
    assert!(
        ics.contains(&format!("DTSTART;TZID=Europe/Oslo:{local}")),
        "{ics}"
    );
    let unfolded = ics.replace("\r\n ", "");
    assert!(
        unfolded.contains(&format!(
            "URL:{}/meetings/{m}/sessions/{id}\r\n",
            app.address
        )) || unfolded.contains(&format!("URL:{}\r\n", s["join_url"].as_str().unwrap())),
        "the event links neither the session's page nor its join link"
    );
    // A session that is not there: the 404 page, for the calendar file too.
    page(&app, &format!("/meetings/{m}/sessions/99999999"), 404).await;
    page(
        &app,
        &format!("/meetings/{m}/sessions/99999999/calendar.ics"),
        404,
    )
    .await;
    // A browser asking for / gets the meetings; a client asking for JSON, the service.
    let (html, _) = page(&app, "/", 200).await;
    assert!(html.contains(&format!("href=\"/meetings/{m}\"")));
    let json = app.get("/", None).await.expect(200).body;
    assert_eq!(json["service"], "igf-scheduler");
}

#[actix_web::test]
async fn a_page_another_instance_rendered_shows_a_change_within_a_second() {
    let (app, m) = demo().await;
    let other = app.another().await;
    let sec = crate::demo::demo_login(&app, igf_scheduler::demo::SECRETARIAT_EMAIL).await;
    let api = app
        .get(&format!("/api/v1/meetings/{m}/programme"), None)
        .await
        .expect(200)
        .body;
    let id = api["sessions"][0]["session_id"].as_i64().unwrap();
    let path = format!("/meetings/{m}?tz=Asia/Tokyo");
    let (before, r) = page(&other, &path, 200).await;
    let etag = r.header("etag").unwrap();
    assert!(!before.contains("Spectrum for everyone"));
    app.patch(
        &format!("/api/v1/sessions/{id}"),
        Some(&sec),
        &serde_json::json!({"title": "Spectrum for everyone"}),
    )
    .await
    .expect(200);
    let mut seen = false;
    for _ in 0..10 {
        let (now, r) = page(&other, &path, 200).await;
        if now.contains("Spectrum for everyone") {
            assert_ne!(r.header("etag").unwrap(), etag);
            seen = true;
            break;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(seen, "the other instance's page never showed the change");
}

/// A grid page's cells: `(session id, room column heading, row's start instant)`,
/// and its room headings.
fn grid_cells(html: &str) -> (Vec<String>, Vec<(i64, String, String)>) {
    let table = html
        .split_once("<table class=\"grid\">")
        .expect("a grid")
        .1
        .split_once("</table>")
        .unwrap()
        .0;
    let head = regex::Regex::new(r#"<th scope="col">([^<]*)</th>"#).unwrap();
    let rooms: Vec<String> = head
        .captures_iter(table)
        .map(|c| c[1].to_string())
        .collect();
    let row =
        regex::Regex::new(r#"(?s)<tr><th scope="row"><time datetime="([^"]+)">.*?</tr>"#).unwrap();
    let link = regex::Regex::new(r#"href="/meetings/\d+/sessions/(\d+)"#).unwrap();
    let mut cells = vec![];
    for r in row.captures_iter(table) {
        let start = r[1].to_string();
        for (col, td) in r[0].split("<td>").skip(1).enumerate() {
            for l in link.captures_iter(td) {
                cells.push((l[1].parse().unwrap(), rooms[col + 1].clone(), start.clone()));
            }
        }
    }
    (rooms, cells)
}

#[actix_web::test]
async fn the_grid_puts_every_session_of_a_day_in_its_room_and_start_row() {
    let (app, m, api) = demo_programme().await;
    let sessions = api["sessions"].as_array().unwrap();
    let mut days: Vec<&str> = sessions
        .iter()
        .map(|s| s["day"].as_str().unwrap())
        .collect();
    days.dedup();
    assert!(days.len() > 1);
    for day in &days {
        let (html, _) = page(
            &app,
            &format!("/meetings/{m}?view=grid&day={day}&tz=Asia/Tokyo"),
            200,
        )
        .await;
        let (rooms, mut cells) = grid_cells(&html);
        let mut want: Vec<(i64, String, String)> = sessions
            .iter()
            .filter(|s| s["day"] == *day)
            .map(|s| {
                (
                    s["session_id"].as_i64().unwrap(),
                    s["room"].as_str().unwrap().to_string(),
                    s["starts_at_utc"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        cells.sort();
        want.sort();
        assert_eq!(cells, want, "{day}");
        // Only the rooms in use that day, each once.
        let mut used: Vec<&str> = want.iter().map(|w| w.1.as_str()).collect();
        used.sort();
        used.dedup();
        let mut heads: Vec<&str> = rooms[1..].iter().map(String::as_str).collect();
        heads.sort();
        assert_eq!(heads, used, "{day}");
        // The filters keep the grid; the list link leaves it for the same day.
        assert!(html.contains(r#"<input type="hidden" name="view" value="grid">"#));
        assert!(html.contains(&format!(
            "href=\"/meetings/{m}?day={day}&#38;tz=Asia%2FTokyo\">List</a>"
        )));
    }
    // No day asked: the grid shows the first day, and the list's grid link asks for it.
    let (html, _) = page(&app, &format!("/meetings/{m}?view=grid"), 200).await;
    let (_, cells) = grid_cells(&html);
    let first: Vec<i64> = sessions
        .iter()
        .filter(|s| s["day"] == days[0])
        .map(|s| s["session_id"].as_i64().unwrap())
        .collect();
    assert_eq!(cells.len(), first.len());
    let (list, _) = page(&app, &format!("/meetings/{m}"), 200).await;
    assert!(list.contains(&format!(
        "href=\"/meetings/{m}?day={}&#38;view=grid\">Grid by room</a>",
        days[0]
    )));
    assert!(!list.contains("<table class=\"grid\">"));
}

/// A page's status, asserted (a page's error is HTML, not a problem).
trait PageStatus {
    fn page_status(self, status: u16) -> Self;
}

impl PageStatus for crate::helpers::Resp {
    #[track_caller]
    fn page_status(self, status: u16) -> Self {
        assert_eq!(self.status.as_u16(), status, "{}", text(&self));
        assert_eq!(
            self.header("content-type").as_deref(),
            Some("text/html; charset=utf-8")
        );
        self
    }
}

/// The agenda token a star's answer sets, after checking the cookie's attributes.
fn agenda_cookie(r: &crate::helpers::Resp, m: i64) -> String {
    let c = r.header("set-cookie").expect("a cookie");
    for part in ["HttpOnly", "SameSite=Lax", &format!("Path=/meetings/{m}")] {
        assert!(c.contains(part), "{c} lacks {part}");
    }
    c.split(';')
        .next()
        .unwrap()
        .strip_prefix(&format!("igf_agenda_{m}="))
        .expect("the meeting's agenda cookie")
        .to_string()
}

#[actix_web::test]
async fn stars_make_an_agenda_that_warns_of_clashes_on_any_instance() {
    let (app, m, api) = demo_programme().await;
    let other = app.another().await;
    let sessions = api["sessions"].as_array().unwrap();
    let live: Vec<&Value> = sessions
        .iter()
        .filter(|s| s["status"] == "active")
        .collect();
    let (a, b) = live
        .iter()
        .flat_map(|a| live.iter().map(move |b| (*a, *b)))
        .find(|(a, b)| {
            a["session_id"].as_i64() < b["session_id"].as_i64()
                && utc(a["starts_at_utc"].as_str().unwrap())
                    < utc(b["ends_at_utc"].as_str().unwrap())
                && utc(b["starts_at_utc"].as_str().unwrap())
                    < utc(a["ends_at_utc"].as_str().unwrap())
        })
        .expect("two sessions at once");
    let (ida, idb) = (
        a["session_id"].as_i64().unwrap(),
        b["session_id"].as_i64().unwrap(),
    );
    let overlap = utc(a["ends_at_utc"].as_str().unwrap())
        .min(utc(b["ends_at_utc"].as_str().unwrap()))
        - utc(a["starts_at_utc"].as_str().unwrap()).max(utc(b["starts_at_utc"].as_str().unwrap()));
    let path = format!("/meetings/{m}/agenda");

    // A first star without a cookie makes the agenda and goes on to its page.
    let r = app
        .post_form(&path, &format!("session_id={ida}&tz=Asia%2FTokyo"), &[])
        .await;
    assert_eq!(r.status.as_u16(), 303);
    assert_eq!(
        r.header("location").as_deref(),
        Some(format!("/meetings/{m}/agenda?tz=Asia%2FTokyo#s-{ida}").as_str())
    );
    let token = agenda_cookie(&r, m);
    let cookie = format!("igf_agenda_{m}={token}");
    // The script's star asks for JSON: the same agenda, now with the clash.
    let r = app
        .post_form(
            &path,
            &format!("session_id={idb}"),
            &[("cookie", &cookie), ("accept", "application/json")],
        )
        .await
        .expect(200);
    assert_eq!(agenda_cookie(&r, m), token);
    let mut pair = [ida, idb];
    if utc(b["starts_at_utc"].as_str().unwrap()) < utc(a["starts_at_utc"].as_str().unwrap()) {
        pair.reverse();
    }
    assert_eq!(
        r.body["clashes"],
        serde_json::json!([{"session_ids": pair, "minutes": overlap.num_minutes()}])
    );
    // The API's agenda says the same; its calendar holds the two sessions.
    let agenda = app
        .get(&format!("/api/v1/agendas/{token}"), None)
        .await
        .expect(200);
    assert_eq!(agenda.body["clashes"], r.body["clashes"]);
    let ics = app
        .get(&format!("/api/v1/agendas/{token}/calendar.ics"), None)
        .await
        .expect(200);
    let ics = text(&ics);
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 2);
    for id in [ida, idb] {
        assert!(
            ics.contains(&format!("UID:session-{id}.meeting-{m}@")),
            "{id}"
        );
    }
    // The page, read from the other instance with the cookie: both, the warning, links.
    let r = other
        .send("GET", &path, None, None, &[("cookie", &cookie)])
        .await
        .expect(200);
    assert_eq!(
        r.header("cache-control").as_deref(),
        Some("private, no-store")
    );
    let html = text(&r);
    let title = |s: &Value| {
        s["title"]
            .as_str()
            .unwrap()
            .replace('&', "&#38;")
            .replace('\'', "&#39;")
    };
    assert!(html.contains("<h2 id=\"clashes-h\">These sessions overlap</h2>"));
    assert!(html.contains(&format!("overlap by {} minutes", overlap.num_minutes())));
    for (id, s) in [(ida, a), (idb, b)] {
        assert!(html.contains(&format!("id=\"s-{id}\"")), "{id}");
        assert!(html.contains(&title(s)), "{id}");
    }
    assert!(html.contains(&format!("/api/v1/agendas/{token}/calendar.ics")));
    // Unstarred: no clash left, on either instance.
    other
        .post_form(
            &path,
            &format!("session_id={idb}&remove=1"),
            &[("cookie", &cookie)],
        )
        .await
        .expect(303);
    let agenda = app
        .get(&format!("/api/v1/agendas/{token}"), None)
        .await
        .expect(200);
    assert_eq!(agenda.body["session_ids"], serde_json::json!([ida]));
    assert_eq!(agenda.body["clashes"], serde_json::json!([]));
    let html = text(
        &app.send("GET", &path, None, None, &[("cookie", &cookie)])
            .await,
    );
    assert!(!html.contains("clashes-h"));

    // Bad stars: answered on the agenda page, nothing changed.
    let r = app
        .post_form(&path, "session_id=abc", &[("cookie", &cookie)])
        .await
        .page_status(422);
    assert!(text(&r).contains("The form did not name a session."));
    let r = app
        .post_form(&path, "session_id=99999999", &[("cookie", &cookie)])
        .await
        .page_status(404);
    assert!(text(&r).contains("is not in this meeting"));
    // A session of the meeting that no publication placed is no star either.
    let sec = crate::demo::demo_login(&app, igf_scheduler::demo::SECRETARIAT_EMAIL).await;
    let draft = app
        .post(
            &format!("/api/v1/meetings/{m}/sessions"),
            Some(&sec),
            &serde_json::json!({"session_type": "workshop", "title": "Not yet placed",
                "duration_min": 60, "expected_attendance": 20}),
        )
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    for c in [cookie.as_str(), ""] {
        app.post_form(&path, &format!("session_id={draft}"), &[("cookie", c)])
            .await
            .page_status(404);
    }
    let r = app
        .post_form(
            &path,
            &format!("session_id={idb}"),
            &[("cookie", &cookie), ("sec-fetch-site", "cross-site")],
        )
        .await
        .page_status(403);
    assert!(r.header("set-cookie").is_none());
    // A browser that sends no Sec-Fetch-Site still names the page's origin.
    for origin in ["http://evil.example", "null"] {
        app.post_form(
            &path,
            &format!("session_id={idb}"),
            &[("cookie", &cookie), ("origin", origin)],
        )
        .await
        .page_status(403);
    }
    app.post_form(
        &path,
        &format!("session_id={ida}"),
        &[("cookie", &cookie), ("origin", app.address.as_str())],
    )
    .await
    .expect(303);
    let html = text(
        &app.send(
            "GET",
            &format!("{path}?tz=Mars/Base"),
            None,
            None,
            &[("cookie", &cookie)],
        )
        .await
        .page_status(422),
    );
    assert!(html.contains("“Mars/Base” is not a time zone we know"));
    app.post_form(&path, &format!("session_id={ida}&remove=1"), &[])
        .await
        .page_status(404);
    let agenda = app
        .get(&format!("/api/v1/agendas/{token}"), None)
        .await
        .expect(200);
    assert_eq!(agenda.body["session_ids"], serde_json::json!([ida]));
    // A revoked agenda's cookie: the next star starts a new one.
    app.send(
        "DELETE",
        &format!("/api/v1/agendas/{token}"),
        None,
        None,
        &[],
    )
    .await
    .expect(204);
    let r = app
        .post_form(&path, &format!("session_id={idb}"), &[("cookie", &cookie)])
        .await
        .expect(303);
    let fresh = agenda_cookie(&r, m);
    assert_ne!(fresh, token);
    let agenda = app
        .get(&format!("/api/v1/agendas/{fresh}"), None)
        .await
        .expect(200);
    assert_eq!(agenda.body["session_ids"], serde_json::json!([idb]));
    // No cookie: the page says how to start; a missing meeting is the 404 page.
    let html = text(&app.send("GET", &path, None, None, &[]).await.expect(200));
    assert!(html.contains("Nothing is in your agenda yet."));
    app.send("GET", "/meetings/99999/agenda", None, None, &[])
        .await
        .page_status(404);
}

#[actix_web::test]
async fn room_theme_and_person_pages_hold_the_apis_sessions_and_their_own_feed() {
    let (app, m, api) = demo_programme().await;
    let s = &api["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| !s["people"].as_array().unwrap().is_empty() && s["theme"].is_string())
        .unwrap()
        .clone();
    let meeting = app
        .get(&format!("/api/v1/meetings/{m}"), None)
        .await
        .expect(200)
        .body;
    let theme_id = meeting["themes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == s["theme"])
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let room_id = s["room_id"].as_i64().unwrap();
    let person = s["people"][0]["name"].as_str().unwrap().to_string();
    let segment: String = person.replace(' ', "%20");
    for (page_path, filter, heading) in [
        (
            format!("/meetings/{m}/rooms/{room_id}"),
            format!("room_id={room_id}"),
            format!("<h1>Room: {}</h1>", s["room"].as_str().unwrap()),
        ),
        (
            format!("/meetings/{m}/themes/{theme_id}"),
            format!("theme_id={theme_id}"),
            format!("<h1>Theme: {}</h1>", s["theme"].as_str().unwrap()),
        ),
        (
            format!("/meetings/{m}/people/{segment}"),
            format!("person={}", person.replace(' ', "+")),
            format!("<h1>Speaker or moderator: {person}</h1>"),
        ),
    ] {
        let (html, _) = page(&app, &format!("{page_path}?tz=Asia/Tokyo"), 200).await;
        assert!(html.contains(&heading), "{page_path}");
        let want: Vec<i64> = app
            .get(&format!("/api/v1/meetings/{m}/programme?{filter}"), None)
            .await
            .expect(200)
            .body["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["session_id"].as_i64().unwrap())
            .collect();
        let got: Vec<i64> = lines(&html).iter().map(|l| l.0).collect();
        assert_eq!(got, want, "{page_path}");
        assert!(got.contains(&s["session_id"].as_i64().unwrap()));
        // Its own feed, and no filter form of the whole programme.
        assert!(
            html.contains(&format!("/api/v1/meetings/{m}/programme.ics?{filter}\"")),
            "{page_path} has no feed of its own"
        );
        assert!(!html.contains("id=\"filters-h\""), "{page_path}");
        // Linked from the programme itself.
        let (all, _) = page(&app, &format!("/meetings/{m}"), 200).await;
        assert!(
            all.contains(&format!("href=\"{page_path}\"")),
            "{page_path}"
        );
    }
    for missing in [
        format!("/meetings/{m}/rooms/99999"),
        format!("/meetings/{m}/themes/99999"),
        format!("/meetings/{m}/people/Nobody%20At%20All"),
        format!("/meetings/{m}/people/%01"),
        format!("/meetings/{m}/people/%20"),
        // Part of a name is no person.
        format!("/meetings/{m}/people/{}", &segment[..3]),
        "/meetings/99999/rooms/1".to_string(),
        // Segments that are no number, and paths that are no page, are the 404 page too.
        "/meetings/abc".to_string(),
        format!("/meetings/{m}/rooms/abc"),
        format!("/meetings/{m}/sessions/abc/calendar.ics"),
        format!("/meetings/{m}/nope"),
        "/meetings".to_string(),
    ] {
        page(&app, &missing, 404).await;
    }
}

#[actix_web::test]
async fn the_report_page_shows_the_apis_report_as_charts_and_tables() {
    let (app, m, _) = demo_programme().await;
    let api = app
        .get(&format!("/api/v1/meetings/{m}/evaluation/report"), None)
        .await
        .expect(200)
        .body;
    let (html, r) = page(&app, &format!("/meetings/{m}/report"), 200).await;
    assert!(r.header("etag").is_some());
    let p = &api["programme"];
    // Every group of every dimension: one bar, and its row with the API's count and
    // share.
    let mut bars = 0;
    for (dimension, names) in [
        ("stakeholder_groups", true),
        ("regional_groups", true),
        ("genders", true),
        ("themes", false),
    ] {
        for (code, share) in p[dimension].as_object().unwrap() {
            let label = if names {
                igf_scheduler::web::words::EN.group(code).to_string()
            } else {
                code.clone()
            };
            let row = format!(
                "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td><td class=\"num\">{:.1} %</td>",
                label.replace('&', "&#38;"),
                share["count"],
                share["share"].as_f64().unwrap() * 100.0
            );
            assert!(html.contains(&row), "{dimension} {code}: no {row}");
            let met = match share["met"].as_bool() {
                Some(true) => "<td class=\"met\">yes</td>",
                Some(false) => "<td class=\"missed\">no: below target</td>",
                None => "<td class=\"none\">no target</td>",
            };
            let at = html.find(&row).unwrap();
            assert!(
                html[at..].split("</tr>").next().unwrap().contains(met),
                "{code}"
            );
            bars += 1;
        }
    }
    bars += 2; // first-time and developing-country organisers
    assert_eq!(html.matches("<rect class=\"bar ").count(), bars);
    // Every proposal of the report, and no evaluator or private field.
    assert_eq!(
        html.matches("<tr><th scope=\"row\">").count(),
        bars + api["outcomes"].as_object().unwrap().len()
            + api["proposals"].as_array().unwrap().len()
    );
    for private in ["@demo.igf.test", "@example.org", "evaluator_id"] {
        assert!(!html.contains(private), "the report page shows {private}");
    }
    // A meeting whose results are not published has no report page for the public.
    let open = app.get("/api/v1/meetings", None).await.expect(200).body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["name"].as_str().unwrap().contains("call open"))
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    page(&app, &format!("/meetings/{open}/report"), 404).await;
    page(&app, "/meetings/99999/report", 404).await;
}

/// The session ids of a "now and next" section.
fn section_ids(html: &str, id: &str) -> Vec<i64> {
    let Some(at) = html.find(&format!("<h2 id=\"{id}\">")) else {
        return vec![];
    };
    let part = html[at..].split("</section>").next().unwrap();
    regex::Regex::new(r#"href="/meetings/\d+/sessions/(\d+)"#)
        .unwrap()
        .captures_iter(part)
        .map(|c| c[1].parse().unwrap())
        .collect()
}

#[actix_web::test]
async fn now_and_next_shows_what_runs_at_a_moment_and_what_starts_after() {
    let (app, m, api) = demo_programme().await;
    let sessions: Vec<(i64, DateTime<Utc>, DateTime<Utc>)> = api["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["session_id"].as_i64().unwrap(),
                utc(s["starts_at_utc"].as_str().unwrap()),
                utc(s["ends_at_utc"].as_str().unwrap()),
            )
        })
        .collect();
    // Ten minutes into a session in the middle of the meeting.
    let pick = &sessions[sessions.len() / 2];
    let at = pick.1 + chrono::Duration::minutes(10);
    let q = at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let (html, _) = page(
        &app,
        &format!("/meetings/{m}/now?at={q}&tz=America/Los_Angeles"),
        200,
    )
    .await;
    let mut running: Vec<i64> = sessions
        .iter()
        .filter(|s| s.1 <= at && at < s.2)
        .map(|s| s.0)
        .collect();
    let first = sessions
        .iter()
        .map(|s| s.1)
        .filter(|t| *t > at)
        .min()
        .unwrap();
    let mut coming: Vec<i64> = sessions
        .iter()
        .filter(|s| s.1 >= first && s.1 <= first + chrono::Duration::minutes(90))
        .map(|s| s.0)
        .collect();
    let (mut got_now, mut got_next) = (section_ids(&html, "now-h"), section_ids(&html, "next-h"));
    for v in [&mut running, &mut coming, &mut got_now, &mut got_next] {
        v.sort();
    }
    assert!(running.contains(&pick.0));
    assert_eq!(got_now, running);
    assert_eq!(got_next, coming);
    assert!(html.contains(&format!("<time datetime=\"{q}\">")));
    assert!(html.contains("Times are shown in <strong>America/Los_Angeles</strong>"));
    // Before the first session and after the last.
    let before = (sessions.iter().map(|s| s.1).min().unwrap() - chrono::Duration::days(3))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let (html, _) = page(&app, &format!("/meetings/{m}/now?at={before}"), 200).await;
    assert!(html.contains("The meeting has not started yet"));
    assert!(section_ids(&html, "now-h").is_empty());
    assert!(!section_ids(&html, "next-h").is_empty());
    let after = (sessions.iter().map(|s| s.2).max().unwrap() + chrono::Duration::hours(1))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let (html, _) = page(&app, &format!("/meetings/{m}/now?at={after}"), 200).await;
    assert!(html.contains("The meeting has ended."));
    assert!(section_ids(&html, "next-h").is_empty());
    // A moment that is not one: said, and the present shown.
    let (html, _) = page(
        &app,
        &format!("/meetings/{m}/now?at=tomorrow&tz=Mars/Base"),
        422,
    )
    .await;
    assert!(html.contains("“tomorrow” is not a moment such as"));
    assert!(html.contains("“Mars/Base” is not a time zone we know"));
    // What starts on another day says which.
    let (html, _) = page(&app, &format!("/meetings/{m}/now?at={before}"), 200).await;
    let first = sessions.iter().map(|s| s.1).min().unwrap();
    assert!(
        html.contains(&format!(
            "{} ",
            first.with_timezone(&Tz::Europe__Oslo).format("%a %-d %b")
        )),
        "the next session does not say its day"
    );
    page(&app, "/meetings/99999/now", 404).await;
}

#[actix_web::test]
async fn a_hub_page_shows_its_sessions_in_the_hubs_zone_with_its_own_feed() {
    let (app, m, api) = demo_programme().await;
    let sec = crate::demo::demo_login(&app, igf_scheduler::demo::SECRETARIAT_EMAIL).await;
    let hub = app
        .post(
            &format!("/api/v1/meetings/{m}/hubs"),
            Some(&sec),
            &serde_json::json!({"name": "Kathmandu hub", "city": "Kathmandu", "country": "NP",
                "timezone": "Asia/Kathmandu", "contact_email": "hub@example.org"}),
        )
        .await
        .expect(201)
        .body;
    let hub_id = hub["id"].as_i64().unwrap();
    let followed: Vec<&Value> = api["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .step_by(25)
        .collect();
    let ids: Vec<i64> = followed
        .iter()
        .map(|s| s["session_id"].as_i64().unwrap())
        .collect();
    app.send(
        "PUT",
        &format!("/api/v1/hubs/{hub_id}/sessions"),
        Some(&sec),
        Some(&serde_json::json!({ "session_ids": ids })),
        &[],
    )
    .await
    .expect(200);
    let (html, _) = page(&app, &format!("/hubs/{hub_id}"), 200).await;
    assert!(html.contains("<h1>Remote hub: Kathmandu hub</h1>"));
    assert!(html.contains("Times are shown in <strong>Asia/Kathmandu</strong>"));
    assert!(
        !html.contains("hub@example.org"),
        "the hub's contact is shown"
    );
    for s in &followed {
        let (a, b) = (
            utc(s["starts_at_utc"].as_str().unwrap()),
            utc(s["ends_at_utc"].as_str().unwrap()),
        );
        let want = format!(
            "<time datetime=\"{}\">{}–{}",
            s["starts_at_utc"].as_str().unwrap(),
            a.with_timezone(&Tz::Asia__Kathmandu).format("%H:%M"),
            b.with_timezone(&Tz::Asia__Kathmandu).format("%H:%M")
        );
        assert!(html.contains(&want), "no {want}");
    }
    assert_eq!(html.matches("<li class=\"session").count(), ids.len());
    // Its feed: exactly the hub's sessions.
    assert!(html.contains(&format!("/api/v1/hubs/{hub_id}/calendar.ics")));
    let ics = app
        .get(&format!("/api/v1/hubs/{hub_id}/calendar.ics"), None)
        .await
        .expect(200);
    assert_eq!(
        ics.header("content-type").as_deref(),
        Some("text/calendar; charset=utf-8")
    );
    let ics = text(&ics);
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), ids.len());
    for id in &ids {
        assert!(
            ics.contains(&format!("UID:session-{id}.meeting-{m}@")),
            "{id}"
        );
    }
    // Linked from the programme; a hub that is not there is the 404 page and a 404.
    let (all, _) = page(&app, &format!("/meetings/{m}"), 200).await;
    assert!(all.contains(&format!("href=\"/hubs/{hub_id}\"")));
    page(&app, "/hubs/99999", 404).await;
    app.get("/api/v1/hubs/99999/calendar.ics", None)
        .await
        .expect(404);
}
