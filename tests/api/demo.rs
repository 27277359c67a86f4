use crate::helpers::TestApp;

/// The demo goes through the same query functions and screening as the API; seeding a
/// fresh database gives the documented meeting, and seeding again changes nothing.
#[actix_web::test]
async fn the_demo_meeting_seeds_once_and_is_usable_over_the_api() {
    let app = TestApp::spawn().await;
    let pool = app.pool.clone();
    let (first, second) = actix_web::rt::task::spawn_blocking(move || {
        let mut c = pool.get().unwrap();
        let a = igf_scheduler::demo::seed(&mut c).unwrap();
        let b = igf_scheduler::demo::seed(&mut c).unwrap();
        (a, b)
    })
    .await
    .unwrap();
    assert!(first.created && !second.created);
    assert_eq!(
        (first.meeting_id, first.proposals),
        (second.meeting_id, 400)
    );

    let sec = app
        .post(
            "/api/v1/auth/login",
            None,
            &serde_json::json!({"email": igf_scheduler::demo::SECRETARIAT_EMAIL, "password": igf_scheduler::demo::DEMO_PASSWORD}),
        )
        .await
        .expect(200)
        .body["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let m = app
        .get(&format!("/api/v1/meetings/{}", first.meeting_id), None)
        .await
        .expect(200)
        .body;
    assert_eq!(
        (
            m["rooms"].as_array().unwrap().len(),
            m["slot_count"].as_i64(),
            m["days"].as_array().unwrap().len()
        ),
        (20, Some(36), 5)
    );
    let path = format!("/api/v1/meetings/{}/proposals", first.meeting_id);
    assert_eq!(app.total(&path, Some(&sec)).await, 400);
    assert_eq!(
        app.total(&format!("{path}?status=submitted"), Some(&sec))
            .await,
        360
    );
    assert_eq!(
        app.total(&format!("{path}?status=draft"), Some(&sec)).await,
        20
    );
    assert_eq!(
        app.total(&format!("{path}?status=withdrawn"), Some(&sec))
            .await,
        20
    );
    assert_eq!(
        app.total("/api/v1/users?role=evaluator", Some(&sec)).await,
        igf_scheduler::demo::EVALUATORS as i64
    );
    // Every submitted proposal has five evaluators, none of them conflicted.
    assert_eq!(first.assignments, 360 * 5);
    let assignments = format!(
        "/api/v1/meetings/{}/evaluation/assignments",
        first.meeting_id
    );
    assert_eq!(app.total(&assignments, Some(&sec)).await, 1800);
}
