//! Logistics over HTTP: the demo's scenario (the ceremonies and main sessions
//! interpreted into the UN languages by two teams, ten online channels, three
//! captioners) scheduled and checked from the logistics sheet alone, independently of
//! the solver; the logistics resource with its rules, tag and removals; needs and
//! booths on sessions and rooms; a session no team or booth can serve left out with
//! its reason; the sheet as CSV.

use super::*;

/// A demo meeting scheduled and published, with its logistics.
async fn scheduled() -> Demo {
    demo_at(igf_scheduler::demo::Stage::Scheduled).await
}

/// A version's logistics sheet (JSON).
async fn sheet_of(d: &Demo, version: i64) -> Value {
    d.app
        .get(
            &format!("/api/v1/schedules/{version}/logistics"),
            Some(&d.sec),
        )
        .await
        .expect(200)
        .body
}

fn at(v: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(v.as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

/// Checks a sheet against the meeting's logistics from the API's data alone: booths
/// and teams cover every interpreted session's languages; no team in two sessions at
/// once, without its break between two, or over its day's sessions or minutes; never
/// more hybrid or captioned sessions running at
/// once than channels or captioners. Returns the problems found.
fn check_sheet(logistics: &Value, sheet: &Value) -> Vec<String> {
    let mut problems = vec![];
    type Team = (Vec<String>, Option<i64>, Option<i64>, Option<i64>);
    let teams: BTreeMap<String, Team> = logistics["interpreter_teams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["name"].as_str().unwrap().to_string(),
                (
                    strings(&t["languages"]),
                    t["max_sessions_per_day"].as_i64(),
                    t["max_minutes_per_day"].as_i64(),
                    t["min_break_min"].as_i64(),
                ),
            )
        })
        .collect();
    let rows: Vec<&Value> = sheet["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "active")
        .collect();
    // Sessions and minutes per team and day.
    let mut per_team_day: BTreeMap<(String, String), (usize, i64)> = BTreeMap::new();
    for r in &rows {
        let title = r["title"].as_str().unwrap();
        let needed = strings(&r["interpretation"]);
        let booths = strings(&r["booths"]);
        let serving = strings(&r["interpreter_teams"]);
        for l in &needed {
            if !booths.contains(l) {
                problems.push(format!("{title}: no booth for {l} in {}", r["room"]));
            }
            if !serving
                .iter()
                .any(|t| teams.get(t).is_some_and(|x| x.0.contains(l)))
            {
                problems.push(format!("{title}: no team for {l}"));
            }
        }
        for t in &serving {
            let e = per_team_day
                .entry((t.clone(), r["date"].as_str().unwrap().to_string()))
                .or_default();
            e.0 += 1;
            e.1 += (at(&r["ends_at"]) - at(&r["starts_at"])).num_minutes();
            let rest = teams.get(t).and_then(|x| x.3).unwrap_or(0);
            for o in &rows {
                if o["session_id"] == r["session_id"]
                    || !strings(&o["interpreter_teams"]).contains(t)
                {
                    continue;
                }
                if at(&o["starts_at"]) < at(&r["ends_at"])
                    && at(&r["starts_at"]) < at(&o["ends_at"])
                {
                    problems.push(format!("{t} in {title} and {} at once", o["title"]));
                } else if at(&r["ends_at"]) <= at(&o["starts_at"])
                    && (at(&o["starts_at"]) - at(&r["ends_at"])).num_minutes() < rest
                {
                    problems.push(format!("{t} rests less than {rest} min after {title}"));
                }
            }
        }
    }
    for ((t, day), (n, minutes)) in per_team_day {
        if let Some(max) = teams[&t].1
            && n as i64 > max
        {
            problems.push(format!("{t} serves {n} sessions on {day}, over {max}"));
        }
        if let Some(max) = teams[&t].2
            && minutes > max
        {
            problems.push(format!("{t} works {minutes} min on {day}, over {max}"));
        }
    }
    for (what, limit) in [
        ("online_channel", logistics["online_channels"].as_i64()),
        ("captioning", logistics["captioners"].as_i64()),
    ] {
        let Some(limit) = limit else { continue };
        for r in &rows {
            let t = at(&r["starts_at"]);
            let running = rows
                .iter()
                .filter(|o| o[what] == true && at(&o["starts_at"]) <= t && t < at(&o["ends_at"]))
                .count();
            if running as i64 > limit {
                problems.push(format!(
                    "{running} sessions need {what} at {}, over {limit}",
                    r["starts_at"]
                ));
            }
        }
    }
    problems
}

#[actix_web::test]
async fn the_demo_scenario_keeps_its_teams_channels_and_captioners_and_the_sheet_says_so() {
    let d = scheduled().await;
    let m = d.meeting;
    let logistics = d
        .app
        .get(&format!("/api/v1/meetings/{m}/logistics"), Some(&d.sec))
        .await
        .expect(200)
        .body;
    assert_eq!(logistics["online_channels"], 10, "{logistics}");
    assert_eq!(logistics["captioners"], 3, "{logistics}");
    assert_eq!(logistics["interpreter_teams"].as_array().unwrap().len(), 2);
    assert_eq!(logistics["interpreter_teams"][0]["min_break_min"], 30);
    assert_eq!(
        logistics["interpreter_teams"][0]["max_minutes_per_day"],
        360
    );
    let versions = d
        .app
        .get(&format!("/api/v1/meetings/{m}/schedules"), Some(&d.sec))
        .await
        .expect(200)
        .body;
    let published = versions["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["published"] == true)
        .expect("a published version")["id"]
        .as_i64()
        .unwrap();
    let sheet = sheet_of(&d, published).await;
    assert_eq!(sheet["broken"], json!([]), "{}", sheet["broken"]);
    let problems = check_sheet(&logistics, &sheet);
    assert!(problems.is_empty(), "{problems:#?}");
    // The scenario is real: the interpreted sessions have teams, and the sessions
    // that need channels outnumber what one slot could hold without the rule.
    let rows = sheet["rows"].as_array().unwrap();
    let interpreted: Vec<&Value> = rows
        .iter()
        .filter(|r| !r["interpretation"].as_array().unwrap().is_empty())
        .collect();
    assert_eq!(
        interpreted.len(),
        5,
        "two ceremonies and three main sessions"
    );
    assert!(
        interpreted
            .iter()
            .all(|r| r["interpreter_teams"].as_array().unwrap().len() == 1)
    );
    // The version's placements name the same teams, by id.
    let version = d
        .app
        .get(&format!("/api/v1/schedules/{published}"), Some(&d.sec))
        .await
        .expect(200)
        .body;
    let team_name: BTreeMap<i64, String> = logistics["interpreter_teams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["id"].as_i64().unwrap(),
                t["name"].as_str().unwrap().into(),
            )
        })
        .collect();
    for r in &interpreted {
        let p = version["placements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["session_id"] == r["session_id"])
            .expect("placed");
        let names: Vec<String> = p["interpreter_teams"]
            .as_array()
            .unwrap()
            .iter()
            .map(|id| team_name[&id.as_i64().unwrap()].clone())
            .collect();
        assert_eq!(names, strings(&r["interpreter_teams"]), "{p}");
    }
    let hybrid = rows.iter().filter(|r| r["online_channel"] == true).count();
    assert!(hybrid > 10, "{hybrid} hybrid sessions");
    // Each slot's use is within what the meeting has.
    for s in sheet["slots"].as_array().unwrap() {
        assert!(
            s["online_channels"].as_i64() <= s["online_channels_limit"].as_i64(),
            "{s}"
        );
        assert!(
            s["captioners"].as_i64() <= s["captioners_limit"].as_i64(),
            "{s}"
        );
    }
    // One day's sheet holds that day's rows only, and the CSV the same rows.
    let day = rows[0]["date"].as_str().unwrap().to_string();
    let one = d
        .app
        .get(
            &format!("/api/v1/schedules/{published}/logistics?day={day}"),
            Some(&d.sec),
        )
        .await
        .expect(200)
        .body;
    let of_day = rows.iter().filter(|r| r["date"] == day.as_str()).count();
    assert_eq!(one["rows"].as_array().unwrap().len(), of_day);
    let csv = d
        .app
        .get(
            &format!("/api/v1/schedules/{published}/logistics?day={day}&format=csv"),
            Some(&d.sec),
        )
        .await
        .expect(200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    let mut reader = ::csv::Reader::from_reader(&csv.raw[..]);
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "date");
    let records: Vec<::csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(records.len(), of_day);
    let title_at = headers.iter().position(|h| h == "title").unwrap();
    for (rec, row) in records.iter().zip(one["rows"].as_array().unwrap()) {
        assert_eq!(&rec[title_at], row["title"].as_str().unwrap());
    }
    d.app
        .get(
            &format!("/api/v1/schedules/{published}/logistics?day=Monday"),
            Some(&d.sec),
        )
        .await
        .expect(422)
        .only_rule("day", "date");
}

#[actix_web::test]
async fn logistics_are_replaced_whole_with_their_rules_and_a_session_nobody_can_serve_says_why() {
    let d = demo().await;
    let m = d.meeting;
    let path = format!("/api/v1/meetings/{m}/logistics");
    let empty = d.app.get(&path, Some(&d.sec)).await.expect(200);
    assert_eq!(
        empty.body,
        json!({"online_channels": null, "captioners": null, "interpreter_teams": [],
               "bilateral_daily_limit": 2})
    );
    let tag = empty.header("etag").unwrap();
    // Every broken rule is named with its field.
    d.app
        .send(
            "PUT",
            &path,
            Some(&d.sec),
            Some(
                &json!({"online_channels": -1, "bilateral_daily_limit": 0, "interpreter_teams": [
                {"name": "A", "languages": ["French"]},
                {"name": "a", "languages": ["fr", "fr"], "max_sessions_per_day": 0,
                 "max_minutes_per_day": 10, "min_break_min": -5},
                {"name": "B", "languages": []}]}),
            ),
            &[],
        )
        .await
        .expect(422)
        .has_rules(&[
            ("online_channels", "range"),
            ("bilateral_daily_limit", "range"),
            ("interpreter_teams[0].languages[0]", "language"),
            ("interpreter_teams[1].name", "unique"),
            ("interpreter_teams[1].languages[1]", "unique"),
            ("interpreter_teams[1].max_sessions_per_day", "range"),
            ("interpreter_teams[1].max_minutes_per_day", "range"),
            ("interpreter_teams[1].min_break_min", "range"),
            ("interpreter_teams[2].languages", "required"),
        ]);
    let body = json!({"online_channels": 4, "captioners": 1, "interpreter_teams": [
        {"name": "Francophone", "languages": ["fr"], "max_sessions_per_day": 1,
         "max_minutes_per_day": 240, "min_break_min": 20},
        {"name": "Hispanophone", "languages": ["es"]}]});
    let put = d
        .app
        .send(
            "PUT",
            &path,
            Some(&d.sec),
            Some(&body),
            &[("If-Match", &tag)],
        )
        .await
        .expect(200);
    let teams = put.body["interpreter_teams"].as_array().unwrap().clone();
    assert_eq!(
        (&teams[0]["max_minutes_per_day"], &teams[0]["min_break_min"]),
        (&json!(240), &json!(20)),
        "{teams:?}"
    );
    assert_eq!(teams[1]["min_break_min"], Value::Null, "{teams:?}");
    let (fr, es) = (
        teams[0]["id"].as_i64().unwrap(),
        teams[1]["id"].as_i64().unwrap(),
    );
    // The old tag is stale now.
    d.app
        .send(
            "PUT",
            &path,
            Some(&d.sec),
            Some(&body),
            &[("If-Match", &tag)],
        )
        .await
        .expect(412);
    // Two teams swap names in one request; an unknown id is refused.
    d.app
        .send(
            "PUT",
            &path,
            Some(&d.sec),
            Some(
                &json!({"interpreter_teams": [{"id": 999_999, "name": "X", "languages": ["fr"]}]}),
            ),
            &[],
        )
        .await
        .expect(422)
        .only_rule("interpreter_teams[0].id", "exists");
    let swapped = d
        .app
        .send(
            "PUT",
            &path,
            Some(&d.sec),
            Some(
                &json!({"online_channels": 4, "captioners": 1, "interpreter_teams": [
                {"id": fr, "name": "Hispanophone", "languages": ["fr"], "max_sessions_per_day": 1},
                {"id": es, "name": "Francophone", "languages": ["es"]}]}),
            ),
            &[],
        )
        .await
        .expect(200)
        .body;
    assert_eq!(swapped["interpreter_teams"][0]["id"], fr);
    assert_eq!(swapped["interpreter_teams"][0]["name"], "Hispanophone");

    // Needs on sessions and booths on rooms, with their rules.
    d.app
        .post(
            &format!("/api/v1/meetings/{m}/sessions/from-selection"),
            Some(&d.sec),
            &json!({}),
        )
        .await
        .expect(200);
    let sessions = d.sessions().await;
    let s = &sessions[0];
    let sid = s["id"].as_i64().unwrap();
    d.app
        .patch(
            &format!("/api/v1/sessions/{sid}"),
            Some(&d.sec),
            &json!({"interpretation": ["FR"]}),
        )
        .await
        .expect(422)
        .only_rule("interpretation[0]", "language");
    let meeting = d.meeting_json().await;
    let room = meeting["rooms"][0]["id"].as_i64().unwrap();
    d.app
        .patch(
            &format!("/api/v1/rooms/{room}"),
            Some(&d.sec),
            &json!({"booths": ["fr", "f"]}),
        )
        .await
        .expect(422)
        .only_rule("booths[1]", "language");
    let changed = d
        .app
        .patch(
            &format!("/api/v1/rooms/{room}"),
            Some(&d.sec),
            &json!({"booths": ["fr"], "caption_display": true}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(changed["room"]["booths"], json!(["fr"]));
    assert_eq!(changed["room"]["caption_display"], true);
    // One session interpreted into French (booths in one room, a team for it) and one
    // into German, which no team interprets.
    let french = d
        .app
        .patch(
            &format!("/api/v1/sessions/{sid}"),
            Some(&d.sec),
            &json!({"interpretation": ["fr"], "captioning": true, "sign_language": true}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(french["interpretation"], json!(["fr"]));
    assert_eq!(french["sign_language"], true);
    let other = sessions[1]["id"].as_i64().unwrap();
    d.app
        .patch(
            &format!("/api/v1/sessions/{other}"),
            Some(&d.sec),
            &json!({"interpretation": ["de"]}),
        )
        .await
        .expect(200);
    let job = d
        .run_job(&json!({"kind": "solve", "time_limit_seconds": 3}))
        .await;
    assert_eq!(job["status"], "succeeded", "{job}");
    let left_out: Vec<&Value> = job["unplaced"].as_array().unwrap().iter().collect();
    let german = left_out
        .iter()
        .find(|u| u["session_id"] == other)
        .expect("the German session is left out");
    assert!(
        german["reasons"].as_array().unwrap().iter().any(|r| r
            .as_str()
            .unwrap()
            .contains("no interpreter team covers German")),
        "{german}"
    );
    let version = job["version_id"].as_i64().unwrap();
    let sheet = sheet_of(&d, version).await;
    let row = sheet["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["session_id"] == sid)
        .expect("the French session is placed");
    assert!(
        strings(&row["booths"]).contains(&"fr".to_string()),
        "a room with a French booth: {row}"
    );
    assert_eq!(
        row["interpreter_teams"],
        json!(["Hispanophone"]),
        "the team now named so"
    );
    assert_eq!(row["caption_display"], true);
    let logistics = d.app.get(&path, Some(&d.sec)).await.expect(200).body;
    let problems = check_sheet(&logistics, &sheet);
    assert!(problems.is_empty(), "{problems:#?}");
    // A team removed: the sheet still names it, as removed.
    d.app
        .send(
            "PUT",
            &path,
            Some(&d.sec),
            Some(&json!({"interpreter_teams": [{"id": es, "name": "Francophone", "languages": ["es"]}]})),
            &[],
        )
        .await
        .expect(200);
    let sheet = sheet_of(&d, version).await;
    let row = sheet["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["session_id"] == sid)
        .unwrap();
    assert!(
        row["interpreter_teams"][0]
            .as_str()
            .unwrap()
            .contains("since removed"),
        "{row}"
    );
    assert!(
        sheet["broken"]
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b.as_str().unwrap().contains("French")),
        "{}",
        sheet["broken"]
    );
}
