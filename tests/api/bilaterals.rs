//! Bilateral rooms over HTTP: the secretariat's rooms and their rules; free times as
//! each caller may see them; booking with every refusal (taken, off the grid, past
//! closing, off the meeting's days, another's block, the daily limits of a delegation
//! and of an account); cancelling; the calendar file, read back by the `ical` parser;
//! a hundred accounts on two instances racing for one time (exactly one wins); and
//! the database itself refusing an overlap written past the use case.

use futures_util::future::join_all;
use igf_scheduler::auth::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, open_meeting};

struct World {
    app: TestApp,
    sec: String,
    meeting: i64,
    room: i64,
}

/// A meeting of June 2027 in Oslo (+02:00) with one bilateral room, 09:00-12:00 in
/// half hours.
async fn world() -> World {
    let app = TestApp::spawn().await;
    let sec = app.user("sec@example.org", Role::Secretariat).await;
    let meeting = app.meeting(&sec, &open_meeting()).await["id"]
        .as_i64()
        .unwrap();
    let room = app
        .post(
            &format!("/api/v1/meetings/{meeting}/bilateral-rooms"),
            Some(&sec),
            &json!({"name": "Fjord", "capacity": 8, "opens": "09:00", "closes": "12:00"}),
        )
        .await
        .expect(201)
        .body;
    assert_eq!(room["slot_minutes"], 30, "{room}");
    World {
        app,
        sec,
        meeting,
        room: room["id"].as_i64().unwrap(),
    }
}

impl World {
    async fn book(&self, token: &str, body: Value) -> crate::helpers::Resp {
        let mut body = body;
        if body.get("room_id").is_none() {
            body["room_id"] = json!(self.room);
        }
        self.app
            .post(
                &format!("/api/v1/meetings/{}/bilateral-bookings", self.meeting),
                Some(token),
                &body,
            )
            .await
    }

    async fn times(&self, token: &str, day: &str) -> Value {
        self.app
            .get(
                &format!(
                    "/api/v1/meetings/{}/bilateral-times?day={day}",
                    self.meeting
                ),
                Some(token),
            )
            .await
            .expect(200)
            .body
    }
}

/// The state of each of the room's times, in order.
fn states(day: &Value) -> Vec<String> {
    day["rooms"][0]["times"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["state"].as_str().unwrap().to_string())
        .collect()
}

#[actix_web::test]
async fn the_secretariat_keeps_bilateral_rooms_with_clear_refusals() {
    let w = world().await;
    let rooms = format!("/api/v1/meetings/{}/bilateral-rooms", w.meeting);
    let r = w
        .app
        .post(
            &rooms,
            Some(&w.sec),
            &json!({"name": "", "capacity": 0, "opens": "9am", "closes": "08:00",
                    "slot_minutes": 3}),
        )
        .await
        .expect(422);
    r.has_rules(&[
        ("name", "required"),
        ("capacity", "range"),
        ("opens", "time"),
        ("slot_minutes", "range"),
    ]);
    w.app
        .post(
            &rooms,
            Some(&w.sec),
            &json!({"name": "Hall", "capacity": 8, "opens": "12:00", "closes": "12:15"}),
        )
        .await
        .expect(422)
        .only_rule("closes", "order");
    let r = w
        .app
        .post(
            &rooms,
            Some(&w.sec),
            &json!({"name": "fjord", "capacity": 8, "opens": "09:00", "closes": "12:00"}),
        )
        .await
        .expect(409);
    assert_eq!(r.code(), "duplicate_name");
    let proposer = w.app.proposer("p@example.org").await;
    w.app
        .post(
            &rooms,
            Some(&proposer),
            &json!({"name": "Mine", "capacity": 8, "opens": "09:00", "closes": "12:00"}),
        )
        .await
        .expect(403);
    // Anyone signed in sees the rooms; nobody else.
    let list = w.app.get(&rooms, Some(&proposer)).await.expect(200).body;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    w.app.get(&rooms, None).await.expect(401);
    // A change keeps what is not sent.
    let changed = w
        .app
        .patch(
            &format!("/api/v1/bilateral-rooms/{}", w.room),
            Some(&w.sec),
            &json!({"capacity": 10}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(
        (changed["capacity"].clone(), changed["opens"].clone()),
        (json!(10), json!("09:00"))
    );
    w.app
        .patch(
            &format!("/api/v1/bilateral-rooms/{}", w.room),
            Some(&w.sec),
            &json!({"closes": "09:10"}),
        )
        .await
        .expect(422)
        .only_rule("closes", "order");
}

#[actix_web::test]
async fn delegations_book_free_times_within_their_limits_and_the_secretariat_sees_all() {
    let w = world().await;
    let (a, b) = (
        w.app.proposer("a@example.org").await,
        w.app.proposer("b@example.org").await,
    );
    let day = w.times(&a, "2027-06-22").await;
    assert_eq!(day["timezone"], "Europe/Oslo");
    assert_eq!(day["daily_limit"], 2);
    assert_eq!(states(&day), vec!["free"; 6]);
    assert_eq!(
        day["rooms"][0]["times"][2]["starts_at"],
        "2027-06-22T10:00:00+02:00"
    );

    // A books 10:00 for Norway.
    let r = w
        .book(
            &a,
            json!({"starts_at": "2027-06-22T10:00:00+02:00", "delegation": "Norway",
                   "note": "with the ITU"}),
        )
        .await
        .expect(201);
    let first = r.body.clone();
    assert_eq!(first["starts_at_utc"], "2027-06-22T08:00:00Z");
    assert_eq!(first["ends_at"], "2027-06-22T10:30:00+02:00");
    assert_eq!(
        r.header("location").unwrap(),
        format!("/api/v1/bilateral-bookings/{}", first["id"])
    );

    // The same instant, however written, and any overlap are taken.
    for (start, minutes) in [
        ("2027-06-22T10:00:00+02:00", 30),
        ("2027-06-22T08:00:00Z", 30),
        ("2027-06-22T09:30:00+02:00", 60),
    ] {
        let r = w
            .book(
                &b,
                json!({"starts_at": start, "minutes": minutes, "delegation": "Kenya"}),
            )
            .await
            .expect(409);
        assert_eq!(r.code(), "booked", "{}", r.body);
        assert!(r.body["detail"].as_str().unwrap().contains("Fjord"));
    }
    // Off the grid, past closing, off the meeting's days, not a time, not a room.
    w.book(
        &b,
        json!({"starts_at": "2027-06-22T10:15:00+02:00", "delegation": "Kenya"}),
    )
    .await
    .expect(422)
    .only_rule("starts_at", "slot");
    w.book(
        &b,
        json!({"starts_at": "2027-06-22T11:30:00+02:00", "minutes": 60, "delegation": "Kenya"}),
    )
    .await
    .expect(422)
    .only_rule("minutes", "closes");
    w.book(
        &b,
        json!({"starts_at": "2027-06-22T11:30:00+02:00", "minutes": 45, "delegation": "Kenya"}),
    )
    .await
    .expect(422)
    .only_rule("minutes", "slots");
    w.book(
        &b,
        json!({"starts_at": "2027-07-01T10:00:00+02:00", "delegation": "Kenya"}),
    )
    .await
    .expect(422)
    .only_rule("starts_at", "meeting_day");
    w.book(&b, json!({"starts_at": "tomorrow", "delegation": ""}))
        .await
        .expect(422)
        .has_rules(&[("starts_at", "date_time"), ("delegation", "required")]);
    w.book(
        &b,
        json!({"room_id": 999_999, "starts_at": "2027-06-22T10:00:00+02:00", "delegation": "Kenya"}),
    )
    .await
    .expect(422)
    .only_rule("room_id", "exists");
    w.book(
        &b,
        json!({"starts_at": "2027-06-22T11:00:00+02:00", "delegation": "Kenya", "kind": "block"}),
    )
    .await
    .expect(403);

    // Each sees what is theirs to see.
    let seen_by_b = w.times(&b, "2027-06-22").await;
    assert_eq!(
        states(&seen_by_b),
        ["free", "free", "taken", "free", "free", "free"]
    );
    assert!(
        seen_by_b["rooms"][0]["times"][2]
            .get("delegation")
            .is_none()
    );
    let seen_by_a = w.times(&a, "2027-06-22").await;
    assert_eq!(seen_by_a["rooms"][0]["times"][2]["state"], "mine");
    assert_eq!(seen_by_a["rooms"][0]["times"][2]["delegation"], "Norway");
    assert_eq!(seen_by_a["mine"], 1);
    let seen_by_sec = w.times(&w.sec, "2027-06-22").await;
    assert_eq!(seen_by_sec["rooms"][0]["times"][2]["delegation"], "Norway");

    // The daily limit (two): per delegation, whoever books, and per account.
    w.book(
        &a,
        json!({"starts_at": "2027-06-22T09:00:00+02:00", "delegation": " NORWAY "}),
    )
    .await
    .expect(201);
    let r = w
        .book(
            &b,
            json!({"starts_at": "2027-06-22T11:00:00+02:00", "delegation": "norway"}),
        )
        .await
        .expect(409);
    assert_eq!(r.code(), "daily_limit");
    let r = w
        .book(
            &a,
            json!({"starts_at": "2027-06-22T11:00:00+02:00", "delegation": "Sweden"}),
        )
        .await
        .expect(409);
    assert_eq!(r.code(), "daily_limit");
    // Another day is another day.
    w.book(
        &a,
        json!({"starts_at": "2027-06-23T11:00:00+02:00", "delegation": "Norway"}),
    )
    .await
    .expect(201);

    // The secretariat blocks the last hour; it shows as blocked, and holds.
    let block = w
        .book(
            &w.sec,
            json!({"starts_at": "2027-06-22T11:00:00+02:00", "minutes": 60,
                   "delegation": "Cleaning", "kind": "block"}),
        )
        .await
        .expect(201)
        .body;
    assert_eq!(block["kind"], "block");
    assert_eq!(
        states(&w.times(&b, "2027-06-22").await),
        ["taken", "free", "taken", "free", "blocked", "blocked"]
    );

    // Lists: one's own; the secretariat's, everything, by day.
    let mine = format!("/api/v1/meetings/{}/bilateral-bookings", w.meeting);
    let of_a = w.app.get(&mine, Some(&a)).await.expect(200).body;
    assert_eq!(of_a["items"].as_array().unwrap().len(), 3);
    let of_b = w.app.get(&mine, Some(&b)).await.expect(200).body;
    assert_eq!(of_b["items"], json!([]));
    let all = w
        .app
        .get(&format!("{mine}?day=2027-06-22"), Some(&w.sec))
        .await
        .expect(200)
        .body;
    let delegations: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["delegation"].as_str().unwrap())
        .collect();
    assert_eq!(delegations, ["NORWAY", "Norway", "Cleaning"]);
    w.app
        .get(&format!("{mine}?day=someday"), Some(&w.sec))
        .await
        .expect(422)
        .only_rule("day", "date");

    // One booking: its owner and the secretariat see it; another gets 404.
    let one = format!("/api/v1/bilateral-bookings/{}", first["id"]);
    w.app.get(&one, Some(&a)).await.expect(200);
    w.app.get(&one, Some(&w.sec)).await.expect(200);
    w.app.get(&one, Some(&b)).await.expect(404);
    w.app
        .send("DELETE", &one, Some(&b), None, &[])
        .await
        .expect(404);

    // Its calendar file, read back: one event at the venue's 10:00 in its zone.
    let ics = w
        .app
        .get(&format!("{one}/calendar.ics"), Some(&a))
        .await
        .expect(200);
    assert!(
        ics.header("content-type")
            .unwrap()
            .starts_with("text/calendar")
    );
    let text = String::from_utf8(ics.raw.to_vec()).unwrap();
    let cals: Vec<_> = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()))
        .collect::<Result<Vec<_>, _>>()
        .expect("the calendar parses");
    assert_eq!(cals.len(), 1);
    assert_eq!(cals[0].events.len(), 1);
    let prop = |name: &str| {
        cals[0].events[0]
            .properties
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("{name} in {text}"))
            .clone()
    };
    assert_eq!(prop("DTSTART").value.unwrap(), "20270622T100000");
    assert_eq!(
        prop("DTSTART").params.unwrap(),
        vec![("TZID".to_string(), vec!["Europe/Oslo".to_string()])]
    );
    assert_eq!(prop("DTEND").value.unwrap(), "20270622T103000");
    assert!(prop("SUMMARY").value.unwrap().contains("Norway"));
    assert!(prop("LOCATION").value.unwrap().starts_with("Fjord"));
    assert!(cals[0].timezones.iter().any(|z| {
        z.properties
            .iter()
            .any(|p| p.value.as_deref() == Some("Europe/Oslo"))
    }));
    w.app
        .get(&format!("{one}/calendar.ics"), Some(&b))
        .await
        .expect(404);

    // The owner cancels; the time is free again, and another books it.
    w.app
        .send("DELETE", &one, Some(&a), None, &[])
        .await
        .expect(204);
    w.app.get(&one, Some(&a)).await.expect(404);
    w.book(
        &b,
        json!({"starts_at": "2027-06-22T10:00:00+02:00", "delegation": "Kenya"}),
    )
    .await
    .expect(201);

    // A room that holds bookings stays; the secretariat's limit change counts at once.
    let r = w
        .app
        .send(
            "DELETE",
            &format!("/api/v1/bilateral-rooms/{}", w.room),
            Some(&w.sec),
            None,
            &[],
        )
        .await
        .expect(409);
    assert_eq!(r.code(), "in_use");
    w.app
        .send(
            "PUT",
            &format!("/api/v1/meetings/{}/logistics", w.meeting),
            Some(&w.sec),
            Some(&json!({"bilateral_daily_limit": 3})),
            &[],
        )
        .await
        .expect(200);
    w.book(
        &a,
        json!({"starts_at": "2027-06-22T09:30:00+02:00", "delegation": "Norway"}),
    )
    .await
    .expect(201);
}

#[actix_web::test]
async fn a_hundred_accounts_on_two_instances_race_for_one_time_and_exactly_one_wins() {
    let w = world().await;
    let other = w.app.another().await;
    let pool = w.app.pool.clone();
    let ids: Vec<i64> = actix_web::rt::task::spawn_blocking(move || {
        let hash = igf_scheduler::auth::password::hash("race test password").unwrap();
        let mut c = pool.get().unwrap();
        (0..100)
            .map(|i| {
                igf_scheduler::auth::service::create_account(
                    &mut c,
                    None,
                    &format!("race{i:03}@example.org"),
                    &format!("Racer {i}"),
                    &hash,
                    Role::Proposer,
                )
                .unwrap()
            })
            .collect()
    })
    .await
    .unwrap();
    let keys =
        igf_scheduler::auth::jwt::JwtKeys::new(b"test-secret-test-secret-test-secret!", 3600);
    let path = format!("/api/v1/meetings/{}/bilateral-bookings", w.meeting);
    let runs = ids.iter().enumerate().map(|(i, id)| {
        let token = keys.issue(*id, Role::Proposer, 0).unwrap().token;
        let app = if i % 2 == 0 { &w.app } else { &other };
        let path = &path;
        let room = w.room;
        async move {
            app.post(
                path,
                Some(&token),
                &json!({"room_id": room, "starts_at": "2027-06-22T10:00:00+02:00",
                        "delegation": format!("Delegation {i}")}),
            )
            .await
        }
    });
    let answers = join_all(runs).await;
    let mut won = 0;
    for r in &answers {
        match r.status.as_u16() {
            201 => won += 1,
            409 => assert_eq!(r.code(), "booked", "{}", r.body),
            s => panic!("{s}: {}", r.body),
        }
    }
    assert_eq!(won, 1, "exactly one booking wins");
    let all = w.app.get(&path, Some(&w.sec)).await.expect(200).body;
    assert_eq!(all["items"].as_array().unwrap().len(), 1, "{all}");

    // The database itself refuses an overlap written past the use case: the same
    // room, a quarter of an hour later.
    let pool = w.app.pool.clone();
    let refused = actix_web::rt::task::spawn_blocking(move || {
        use diesel::prelude::*;
        use igf_scheduler::db::schema::bilateral_bookings as bb;
        let mut c = pool.get().unwrap();
        let (m, room, user, day, s, e, at): (
            i64,
            i64,
            i64,
            chrono::NaiveDate,
            chrono::NaiveDateTime,
            chrono::NaiveDateTime,
            chrono::NaiveDateTime,
        ) = bb::table
            .select((
                bb::meeting_id,
                bb::room_id,
                bb::user_id,
                bb::day,
                bb::starts_at,
                bb::ends_at,
                bb::created_at,
            ))
            .first(&mut *c)
            .unwrap();
        let quarter = chrono::Duration::minutes(15);
        diesel::insert_into(bb::table)
            .values((
                bb::meeting_id.eq(m),
                bb::room_id.eq(room),
                bb::kind.eq("booking"),
                bb::user_id.eq(user),
                bb::delegation.eq("Sneaky"),
                bb::delegation_key.eq("sneaky"),
                bb::note.eq(""),
                bb::day.eq(day),
                bb::starts_at.eq(s + quarter),
                bb::ends_at.eq(e + quarter),
                bb::created_at.eq(at),
            ))
            .execute(&mut *c)
            .map_err(|e| e.to_string())
    })
    .await
    .unwrap();
    let err = refused.expect_err("the database refuses the overlap");
    assert!(err.contains("bilateral_bookings_no_overlap"), "{err}");
    let all = w.app.get(&path, Some(&w.sec)).await.expect(200).body;
    assert_eq!(all["items"].as_array().unwrap().len(), 1, "{all}");
}
