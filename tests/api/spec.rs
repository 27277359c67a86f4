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
    let in_app: BTreeSet<(String, String)> = igf_scheduler::app::ROUTES
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
