//! The OpenAPI document and the application must agree: every route is documented,
//! every documented operation is served, and the running app answers each documented
//! operation from a real route (not the router's 404 or 405).

use std::collections::BTreeSet;

use serde_json::Value;

use crate::helpers::TestApp;

const METHODS: &[&str] = &["get", "put", "post", "delete", "patch", "head", "options"];

fn spec() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/api-spec/openapi.yaml");
    let text = std::fs::read_to_string(path).expect("api-spec/openapi.yaml");
    serde_yaml_ng::from_str(&text).expect("the spec is valid YAML")
}

fn spec_operations(spec: &Value) -> BTreeSet<(String, String)> {
    let mut ops = BTreeSet::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (k, _) in item.as_object().expect("path item") {
            if METHODS.contains(&k.as_str()) {
                ops.insert((k.to_uppercase(), path.clone()));
            }
        }
    }
    ops
}

#[test]
fn every_route_is_in_the_spec_and_every_spec_operation_is_a_route() {
    let spec = spec();
    assert_eq!(
        spec["openapi"].as_str().map(|v| v.starts_with("3.1")),
        Some(true)
    );
    let in_spec = spec_operations(&spec);
    let in_app: BTreeSet<(String, String)> = igf_scheduler::routes::ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    let missing: Vec<_> = in_app.difference(&in_spec).collect();
    let extra: Vec<_> = in_spec.difference(&in_app).collect();
    assert!(
        missing.is_empty(),
        "routes missing from api-spec/openapi.yaml: {missing:?}"
    );
    assert!(
        extra.is_empty(),
        "operations in the spec that the app does not serve: {extra:?}"
    );
}

#[test]
fn every_operation_documents_its_responses_and_errors_use_problem_json() {
    let spec = spec();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let responses = op["responses"]
                .as_object()
                .unwrap_or_else(|| panic!("{method} {path} has no responses"));
            assert!(
                op["operationId"].is_string(),
                "{method} {path} has no operationId"
            );
            assert!(
                responses.keys().any(|k| k.starts_with('2')),
                "{method} {path} documents no success"
            );
            for (code, r) in responses {
                if code.starts_with('4') || code.starts_with('5') {
                    let r = match r.get("$ref").and_then(Value::as_str) {
                        Some(rf) => {
                            spec["components"]["responses"][rf.rsplit('/').next().unwrap()].clone()
                        }
                        None => r.clone(),
                    };
                    assert!(
                        r["content"].get("application/problem+json").is_some(),
                        "{method} {path} {code} is not application/problem+json"
                    );
                }
            }
        }
    }
}

#[actix_web::test]
async fn the_running_app_serves_every_documented_operation() {
    let app = TestApp::spawn().await;
    for (method, path) in spec_operations(&spec()) {
        let concrete = path
            .replace("{meeting_id}", "999999")
            .replace("{proposal_id}", "999999")
            .replace("{user_id}", "999999")
            .replace("{run_id}", "999999")
            .replace("{session_id}", "999999")
            .replace("{job_id}", "999999")
            .replace("{version_id}", "999999")
            .replace("{unavailability_id}", "999999")
            .replace("{hub_id}", "999999")
            .replace("{token}", &"0".repeat(64));
        let body = serde_json::json!({});
        let r = app
            .send(
                &method,
                &concrete,
                None,
                if method == "GET" { None } else { Some(&body) },
                &[],
            )
            .await;
        assert_ne!(
            r.body["code"], "route_not_found",
            "{method} {path} is not routed"
        );
        assert_ne!(
            r.status.as_u16(),
            405,
            "{method} {path} is not routed for this method"
        );
        assert!(r.status.as_u16() < 500, "{method} {path} gave {}", r.status);
    }
}

/// The names a value list serialises to.
fn names<T: serde::Serialize>(all: &[T]) -> BTreeSet<String> {
    all.iter()
        .map(|v| match serde_json::to_value(v) {
            Ok(Value::String(s)) => s,
            other => panic!("not a string enum: {other:?}"),
        })
        .collect()
}

/// The `enum` at a JSON pointer of the spec.
fn spec_enum(spec: &Value, pointer: &str) -> BTreeSet<String> {
    spec.pointer(pointer)
        .and_then(|v| v["enum"].as_array())
        .unwrap_or_else(|| panic!("no enum at {pointer}"))
        .iter()
        .map(|v| v.as_str().expect("string enum value").to_string())
        .collect()
}

#[test]
fn every_error_code_is_in_the_spec_and_every_spec_code_is_used() {
    let spec = spec();
    let in_spec = spec_enum(&spec, "/components/schemas/Problem/properties/code");
    let in_code: BTreeSet<String> = igf_scheduler::error::Code::ALL
        .iter()
        .map(|c| c.as_str().to_string())
        .collect();
    assert_eq!(
        in_code.difference(&in_spec).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "codes the spec does not list"
    );
    assert_eq!(
        in_spec.difference(&in_code).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "codes in the spec that the service never sends"
    );
    // Every code is constructed somewhere in the source, so none is listed for nothing.
    let src = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
    let mut text = String::new();
    let mut stack = vec![std::path::PathBuf::from(src)];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") && !p.ends_with("error.rs") {
                text.push_str(&std::fs::read_to_string(&p).unwrap());
            }
        }
    }
    // In error.rs, only what follows the declaration of the codes counts.
    let error_rs = std::fs::read_to_string(format!("{src}/error.rs")).unwrap();
    let after = error_rs.split("impl std::fmt::Display for Code").nth(1);
    text.push_str(after.expect("error.rs declares the codes, then Display"));
    let unused: Vec<_> = igf_scheduler::error::Code::ALL
        .iter()
        .filter(|c| !text.contains(&format!("Code::{c:?}")))
        .collect();
    assert!(unused.is_empty(), "codes no code path sends: {unused:?}");
}

#[test]
fn every_enum_in_the_spec_matches_the_code() {
    use igf_scheduler::proposals::types as p;
    let spec = spec();
    let s = "/components/schemas";
    let cases: Vec<(String, BTreeSet<String>)> = vec![
        (format!("{s}/Role"), names(igf_scheduler::auth::Role::ALL)),
        (format!("{s}/Layout"), names(p::Layout::ALL)),
        (format!("{s}/ProposalStatus"), names(p::ProposalStatus::ALL)),
        (
            format!("{s}/ParticipantRole"),
            names(p::ParticipantRole::ALL),
        ),
        (
            format!("{s}/StakeholderGroup"),
            names(p::StakeholderGroup::ALL),
        ),
        (format!("{s}/RegionalGroup"), names(p::RegionalGroup::ALL)),
        (format!("{s}/Gender"), names(p::Gender::ALL)),
        (format!("{s}/Participation"), names(p::Participation::ALL)),
        (format!("{s}/Format"), names(p::Format::ALL)),
        (
            format!("{s}/EvaluationPhase"),
            names(igf_scheduler::evaluation::phase::Phase::ALL),
        ),
        (
            format!("{s}/Outcome"),
            names(igf_scheduler::selection::types::Outcome::ALL),
        ),
        (
            format!("{s}/SelectionRequest/properties/score"),
            names(igf_scheduler::evaluation::scores::ScoreMethod::ALL),
        ),
        (
            format!("{s}/Session/properties/status"),
            names(igf_scheduler::sessions::types::SessionStatus::ALL),
        ),
        (
            format!("{s}/Programme/properties/sessions/items/properties/status"),
            names(igf_scheduler::sessions::types::SessionStatus::ALL),
        ),
        (
            format!("{s}/ScheduleJob/properties/kind"),
            names(igf_scheduler::scheduling::jobs::Kind::ALL),
        ),
        (
            format!("{s}/ScheduleJob/properties/status"),
            names(igf_scheduler::scheduling::jobs::JobStatus::ALL),
        ),
        (
            format!("{s}/ScheduleVersion/properties/source"),
            names(igf_scheduler::scheduling::versions::Source::ALL),
        ),
    ];
    let mut wrong = vec![];
    for (pointer, in_code) in &cases {
        let in_spec = spec_enum(&spec, pointer);
        if &in_spec != in_code {
            wrong.push(format!("{pointer}: spec {in_spec:?}, code {in_code:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
