use igf_scheduler::auth::Role;
use serde_json::json;

use crate::helpers::TestApp;

#[actix_web::test]
async fn unknown_routes_are_problem_404s() {
    let app = TestApp::spawn().await;
    let r = app.get("/api/v1/nothing-here", None).await.expect(404);
    assert_eq!(r.code(), "route_not_found");
}

#[actix_web::test]
async fn a_known_path_with_another_method_is_405_with_allow() {
    let app = TestApp::spawn().await;
    let r = app
        .send("DELETE", "/api/v1/meetings", None, None, &[])
        .await
        .expect(405);
    assert_eq!(r.header("allow").as_deref(), Some("GET, POST"));
}

#[actix_web::test]
async fn malformed_json_is_400_and_the_wrong_media_type_415() {
    let app = TestApp::spawn().await;
    let r = app
        .send_raw(
            "POST",
            "/api/v1/auth/login",
            None,
            "application/json",
            b"{\"email\": ".to_vec(),
        )
        .await
        .expect(400);
    assert_eq!(r.code(), "malformed_json");
    let r = app
        .send_raw(
            "POST",
            "/api/v1/auth/login",
            None,
            "text/plain",
            b"{}".to_vec(),
        )
        .await
        .expect(415);
    assert_eq!(r.code(), "unsupported_media_type");
    app.send_raw(
        "POST",
        "/api/v1/auth/login",
        None,
        "application/json",
        b"{} trailing".to_vec(),
    )
    .await
    .expect(400);
}

#[actix_web::test]
async fn an_oversized_body_is_413() {
    let app = TestApp::spawn().await;
    let big = format!(
        "{{\"email\":\"{}\",\"password\":\"x\"}}",
        "a".repeat(300 * 1024)
    );
    let r = app
        .send_raw(
            "POST",
            "/api/v1/auth/login",
            None,
            "application/json",
            big.into_bytes(),
        )
        .await
        .expect(413);
    assert_eq!(r.code(), "payload_too_large");
}

#[actix_web::test]
async fn deep_nesting_long_strings_long_lists_and_huge_queries_are_refused() {
    let app = TestApp::spawn().await;
    let sec = app.user("sec@example.org", Role::Secretariat).await;
    // JSON nested far deeper than any request needs: a 400 problem, not a crash.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    for path in ["/api/v1/auth/login", "/api/v1/meetings"] {
        let r = app
            .send_raw(
                "POST",
                path,
                Some(&sec),
                "application/json",
                deep.clone().into_bytes(),
            )
            .await;
        assert!(
            [400, 422].contains(&r.status.as_u16()),
            "{path}: {}",
            r.status
        );
        assert!(r.body["code"].is_string(), "{}", r.body);
    }
    // A string over its limit names the field and the rule.
    let mut meeting = crate::helpers::open_meeting();
    meeting["name"] = json!("n".repeat(10_000));
    app.post("/api/v1/meetings", Some(&sec), &meeting)
        .await
        .expect(422)
        .only_rule("name", "max_length");
    // So does a list over its limit.
    let mut meeting = crate::helpers::open_meeting();
    meeting["themes"] = json!(
        (0..1000)
            .map(|i| json!({"name": format!("Theme {i}")}))
            .collect::<Vec<_>>()
    );
    let r = app
        .post("/api/v1/meetings", Some(&sec), &meeting)
        .await
        .expect(422);
    assert!(
        r.field_rules()
            .iter()
            .any(|(f, rule)| f == "themes" && rule == "max_items"),
        "{:?}",
        r.field_rules()
    );
    // A filter longer than any name is refused with the field named.
    let r = app
        .get(
            &format!(
                "/api/v1/meetings/1/programme.ics?person={}",
                "a".repeat(201)
            ),
            None,
        )
        .await;
    r.expect(422).only_rule("person", "max_length");
    // A query string far over any real filter is refused before any work.
    let long = "a".repeat(40 * 1024);
    let r = app
        .get(&format!("/api/v1/meetings/1/programme?person={long}"), None)
        .await;
    assert!(r.status.is_client_error(), "{}", r.status);
}

#[actix_web::test]
async fn a_non_numeric_id_is_404_not_500() {
    let app = TestApp::spawn().await;
    let tok = app.user("sec@example.org", Role::Secretariat).await;
    app.get("/api/v1/proposals/abc", Some(&tok))
        .await
        .expect(404);
    app.get("/api/v1/meetings/99999999999999999999", None)
        .await
        .expect(404);
}

#[actix_web::test]
async fn wrong_types_and_unknown_fields_name_the_field() {
    let app = TestApp::spawn().await;
    let tok = app.user("sec@example.org", Role::Secretariat).await;
    let mut m = crate::helpers::open_meeting();
    m["rooms"][1]["capacity"] = json!("eighty");
    let r = app
        .post("/api/v1/meetings", Some(&tok), &m)
        .await
        .expect(422);
    r.only_rule("rooms[1].capacity", "type");
    let mut m = crate::helpers::open_meeting();
    m["timezon"] = json!("Europe/Oslo");
    let r = app
        .post("/api/v1/meetings", Some(&tok), &m)
        .await
        .expect(422);
    r.only_rule("timezon", "unknown_field");
}

#[actix_web::test]
async fn null_for_a_field_that_may_only_be_left_out_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let tok = app.user("sec@example.org", Role::Secretariat).await;
    let m = app.meeting(&tok, &crate::helpers::open_meeting()).await;
    let theme = &m["themes"][0];
    let path = format!("/api/v1/themes/{}", theme["id"]);
    let r = app
        .patch(
            &path,
            Some(&tok),
            &json!({"name": "Renamed", "description": null}),
        )
        .await
        .expect(422);
    r.only_rule("description", "type");
    let themes = app
        .get(&format!("/api/v1/meetings/{}/themes", m["id"]), Some(&tok))
        .await
        .expect(200);
    assert_eq!(
        themes.body["items"][0]["name"], theme["name"],
        "{:?}",
        themes.body
    );
    // Left out, it is left alone.
    app.patch(&path, Some(&tok), &json!({"name": "Renamed"}))
        .await
        .expect(200);
    let r = app
        .patch(
            &format!("/api/v1/meetings/{}/scheduling-rules", m["id"]),
            Some(&tok),
            &json!({"outer_hours_hard": null}),
        )
        .await
        .expect(422);
    r.only_rule("outer_hours_hard", "type");
}

#[actix_web::test]
async fn health_reports_the_database() {
    let app = TestApp::spawn().await;
    let r = app.get("/health", None).await.expect(200);
    assert_eq!(r.body["status"], "ok");
    let expected = if app.database_url.starts_with("postgres") {
        "postgres"
    } else {
        "sqlite"
    };
    assert_eq!(r.body["backend"], expected);
}
