//! The OpenAPI document and the application must agree: every route is documented,
//! every documented operation is served, and the running app answers each documented
//! operation from a real route (not the router's 404 or 405).

use std::collections::BTreeSet;

use serde_json::Value;

use crate::helpers::TestApp;

const METHODS: &[&str] = &["get", "put", "post", "delete", "patch", "head", "options"];

/// The OpenAPI document as JSON.
pub fn spec() -> Value {
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
        (
            format!("{s}/PlacementDays"),
            names(igf_scheduler::meetings::models::Days::ALL),
        ),
        (
            format!("{s}/CeremonyPosition"),
            names(igf_scheduler::meetings::models::Position::ALL),
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

/// Where a body breaks the schema the spec documents for its operation and status:
/// a field the spec does not list (where the schema lists its fields), a required
/// field missing, a wrong JSON type or a value outside an enum. Empty when it conforms,
/// or when the spec documents no JSON body for that answer.
pub fn nonconformities(
    spec: &Value,
    method: &str,
    template: &str,
    status: u16,
    body: &Value,
) -> Vec<String> {
    let op = &spec["paths"][template][method.to_lowercase()];
    let mut resp = &op["responses"][status.to_string()];
    if resp.is_null() {
        resp = &op["responses"]["default"];
    }
    if let Some(r) = resp["$ref"].as_str() {
        resp = resolve(spec, r);
    }
    let content = &resp["content"];
    let schema = ["application/json", "application/problem+json"]
        .iter()
        .find_map(|ct| content[*ct]["schema"].as_object());
    let mut out = vec![];
    if let Some(schema) = schema {
        check(
            spec,
            &Value::Object(schema.clone()),
            body,
            "$",
            false,
            &mut out,
        );
    }
    out
}

fn resolve<'a>(spec: &'a Value, r: &str) -> &'a Value {
    spec.pointer(r.trim_start_matches('#'))
        .unwrap_or_else(|| panic!("dangling $ref {r}"))
}

fn type_ok(ty: &str, v: &Value) -> bool {
    match ty {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "string" => v.is_string(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        _ => true,
    }
}

/// Checks `v` against `schema`; `open` leaves fields the schema does not list alone,
/// for one branch of an `allOf` (the composed schema judges them).
fn check(spec: &Value, schema: &Value, v: &Value, at: &str, open: bool, out: &mut Vec<String>) {
    if let Some(r) = schema["$ref"].as_str() {
        return check(spec, resolve(spec, r), v, at, open, out);
    }
    if let Some(all) = schema["allOf"].as_array() {
        for s in all {
            check(spec, s, v, at, true, out);
        }
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(branches) = schema[key].as_array() {
            let fits = branches.iter().any(|s| {
                let mut e = vec![];
                check(spec, s, v, at, open, &mut e);
                e.is_empty()
            });
            if !fits {
                out.push(format!("{at}: fits no branch of {key}: {v}"));
            }
        }
    }
    match &schema["type"] {
        Value::String(ty) if !type_ok(ty, v) => {
            return out.push(format!("{at}: expected {ty}, got {v}"));
        }
        Value::Array(types) if !types.iter().any(|t| type_ok(t.as_str().unwrap_or(""), v)) => {
            return out.push(format!("{at}: expected one of {types:?}, got {v}"));
        }
        _ => {}
    }
    if let Some(list) = schema["enum"].as_array()
        && !list.contains(v)
    {
        out.push(format!("{at}: {v} is not one of {list:?}"));
    }
    if let Some(c) = schema.get("const")
        && c != v
    {
        out.push(format!("{at}: {v} is not {c}"));
    }
    match v {
        Value::Object(o) => {
            let mut listed = BTreeSet::new();
            let described = listed_fields(spec, schema, &mut listed);
            for req in schema["required"].as_array().into_iter().flatten() {
                let k = req.as_str().unwrap_or_default();
                if !o.contains_key(k) {
                    out.push(format!("{at}: the spec requires {k:?}, the body has none"));
                }
            }
            for (k, x) in o {
                let here = format!("{at}.{k}");
                match schema["properties"].get(k) {
                    Some(s) => check(spec, s, x, &here, false, out),
                    None => match &schema["additionalProperties"] {
                        s @ Value::Object(_) => check(spec, s, x, &here, false, out),
                        Value::Bool(false) if !open && !listed.contains(k) => {
                            out.push(format!("{here}: a field the spec does not allow"))
                        }
                        // Fields listed and nothing said of others: the spec describes
                        // this object, so a field it does not list is drift.
                        Value::Null if !open && described && !listed.contains(k) => {
                            out.push(format!("{here}: a field the spec does not list"))
                        }
                        _ => {}
                    },
                }
            }
        }
        Value::Array(items) if schema["items"].is_object() => {
            for (i, x) in items.iter().enumerate() {
                check(spec, &schema["items"], x, &format!("{at}[{i}]"), false, out);
            }
        }
        _ => {}
    }
}

/// Gathers the fields a schema lists, through `$ref` and `allOf`; answers whether it
/// lists any (a schema that lists none describes a free-form object).
fn listed_fields(spec: &Value, schema: &Value, into: &mut BTreeSet<String>) -> bool {
    if let Some(r) = schema["$ref"].as_str() {
        return listed_fields(spec, resolve(spec, r), into);
    }
    let mut any = false;
    if let Some(p) = schema["properties"].as_object() {
        into.extend(p.keys().cloned());
        any = true;
    }
    for s in schema["allOf"].as_array().into_iter().flatten() {
        any |= listed_fields(spec, s, into);
    }
    any
}

#[test]
fn the_conformance_check_finds_drift() {
    let spec = spec();
    let ok = serde_json::json!({"status": "ok", "database": "ok", "backend": "sqlite"});
    assert_eq!(
        nonconformities(&spec, "GET", "/health", 200, &ok),
        Vec::<String>::new()
    );
    let extra = serde_json::json!({"status": "ok", "database": "ok", "backend": "sqlite", "x": 1});
    let missing = serde_json::json!({"status": "ok", "backend": "oracle"});
    assert!(!nonconformities(&spec, "GET", "/health", 200, &extra).is_empty());
    let found = nonconformities(&spec, "GET", "/health", 200, &missing);
    assert_eq!(found.len(), 2, "{found:?}");
}

/// The patterns the spec names once under `x-patterns`, compiled.
fn pattern(spec: &Value, name: &str) -> regex::Regex {
    let p = spec["x-patterns"][name]
        .as_str()
        .unwrap_or_else(|| panic!("x-patterns.{name}"));
    regex::Regex::new(p).unwrap_or_else(|e| panic!("x-patterns.{name}: {e}"))
}

/// Texts that sit on the edges of the rules: controls allowed and not, white space of
/// every kind, emails and links just inside and just outside their shapes.
fn edge_texts() -> Vec<String> {
    let mut v: Vec<String> = [
        "",
        " ",
        "a",
        " a ",
        "\t\n\r",
        "a\tb",
        "a\u{b}b",
        "\u{c}",
        "\u{0}",
        "\u{1f}",
        "\u{7f}",
        "\u{85}",
        "\u{9f}",
        "\u{a0}",
        "\u{a1}",
        "\u{3000}",
        "\u{2028}",
        "\u{feff}",
        "\u{200b}",
        "name@example.org",
        " name@example.org\n",
        "a@b.c",
        "a@b",
        "@b.c",
        "a@.b",
        "a@b.",
        "a@@b.c",
        "a b@c.d",
        "a@b.c@d",
        "a\u{a0}@b.c",
        "é@ü.de",
        "https://a.b",
        "https://ab",
        "http://a.bc",
        "http://a.b",
        "https://a b.c",
        "ftp://a.b.c.d",
        "https://a.b/{session_id}",
        "09:00",
        "23:59",
        "24:00",
        "9:00",
        "+1:00",
        "12:60",
        "00:00",
        "0a:00",
        "12:5",
        "١٢:٣٠",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.push(format!("{}@example.org", "a".repeat(242)));
    v.push(format!("{}@example.org", "a".repeat(243)));
    v.push(format!("https://{}", "a".repeat(1992)));
    v.push(format!("https://{}", "a".repeat(1993)));
    v.push(format!("http://{}", "é".repeat(1993)));
    for c in (0u32..0x3100).chain([0x1_f600, 0x10_fffd]) {
        if let Some(c) = char::from_u32(c) {
            v.push(format!("x{c}y"));
            v.push(c.to_string());
        }
    }
    v
}

#[test]
fn the_spec_patterns_accept_exactly_what_the_service_accepts() {
    use igf_scheduler::{meetings::types::parse_hhmm, text::control_character, validate};
    let spec = spec();
    let (text, name, email, url, clock) = (
        pattern(&spec, "text"),
        pattern(&spec, "name"),
        pattern(&spec, "email"),
        pattern(&spec, "url"),
        pattern(&spec, "clock"),
    );
    for s in edge_texts() {
        let clean = control_character(&s).is_none();
        assert_eq!(text.is_match(&s), clean, "text {s:?}");
        assert_eq!(
            name.is_match(&s),
            clean && !s.trim().is_empty(),
            "name {s:?}"
        );
        // Every email field also has maxLength 254.
        assert_eq!(
            email.is_match(&s) && s.chars().count() <= 254,
            clean && validate::looks_like_email(&s),
            "email {s:?}"
        );
        let mut c = validate::Checker::new();
        c.url("u", &s);
        assert_eq!(url.is_match(&s), clean && c.is_ok(), "url {s:?}");
        assert_eq!(clock.is_match(&s), parse_hhmm(&s).is_some(), "clock {s:?}");
    }
}

#[test]
fn the_spec_lists_every_zone_and_audit_entity_the_service_knows() {
    let spec = spec();
    let names = |schema: &str| -> BTreeSet<String> {
        spec["components"]["schemas"][schema]["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{schema} has an enum"))
            .iter()
            .map(|v| v.as_str().expect("a name").to_string())
            .collect()
    };
    let zones: BTreeSet<String> = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|z| z.name().to_string())
        .collect();
    assert_eq!(names("TimeZone"), zones);
    let entities: BTreeSet<String> = igf_scheduler::audit::ENTITY_TYPES
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(names("EntityType"), entities);
}
