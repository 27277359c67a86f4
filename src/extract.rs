//! Request-body and query extractors whose failures are problem+json errors naming the
//! field: a syntax error is a 400, a well-formed body of the wrong shape a 422 with the
//! path of the offending field, a body over the limit a 413, another media type a 415.

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header, web};
use futures_util::StreamExt;
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, FieldError};
use crate::state::AppState;
use crate::text::{control_character, control_error};

/// A JSON body deserialised into `T`.
#[derive(Debug)]
pub struct Json<T>(pub T);

fn is_json(req: &HttpRequest) -> bool {
    let Some(ct) = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// serde's message with Rust's type names put in JSON's words ("expected struct
/// RoomInput" becomes "expected an object"), and without its position.
fn plain(msg: &str) -> String {
    let mut out = msg.split(" at line ").next().unwrap_or(msg).to_string();
    for (rust, json) in [
        ("expected struct ", "expected an object"),
        ("expected enum ", "expected one of the allowed values"),
        ("expected tuple struct ", "expected an array"),
    ] {
        while let Some(at) = out.find(rust) {
            let rest = &out[at + rust.len()..];
            let name_len = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            out = format!("{}{json}{}", &out[..at], &rest[name_len..]);
        }
    }
    let words = [
        ("invalid type: map", "invalid type: object"),
        ("invalid type: sequence", "invalid type: array"),
        ("invalid type: unit value", "invalid type: null"),
        ("expected a sequence", "expected an array"),
        ("expected a map", "expected an object"),
        ("expected a borrowed string", "expected a string"),
        ("expected unit", "expected null"),
        ("expected f32", "expected a number"),
        ("expected f64", "expected a number"),
    ];
    for (rust, json) in words {
        out = out.replace(rust, json);
    }
    for t in ["isize", "i64", "i32", "i16", "i8"] {
        out = replace_word(
            &out,
            &format!("expected {t}"),
            "expected an integer in range",
        );
    }
    for t in ["usize", "u64", "u32", "u16", "u8"] {
        out = replace_word(
            &out,
            &format!("expected {t}"),
            "expected an integer of 0 or more, in range",
        );
    }
    out
}

/// Replaces `from` where it is not followed by more of a word.
fn replace_word(text: &str, from: &str, to: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(from) {
        let after = &rest[at + from.len()..];
        out.push_str(&rest[..at]);
        if after.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
            out.push_str(from);
        } else {
            out.push_str(to);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Turns a serde error at a path into a field error; a missing field is named in full.
fn field_error(path: &str, inner: &serde_json::Error) -> FieldError {
    let msg = plain(&inner.to_string());
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or("");
        let field = if path == "." || path.is_empty() {
            name.to_string()
        } else {
            format!("{path}.{name}")
        };
        return FieldError::new(field, "required", format!("{name} is required"));
    }
    if msg.starts_with("unknown field `") {
        // The path already ends with the unknown field's name.
        return FieldError::new(path, "unknown_field", msg);
    }
    let field = if path == "." {
        String::new()
    } else {
        path.to_string()
    };
    FieldError::new(field, "type", msg)
}

/// Takes the member a path ends at out of its object, so that the document can be read
/// again for the next broken field; false where it cannot (an array element, the root).
fn take_out(value: &mut serde_json::Value, path: &serde_path_to_error::Path) -> bool {
    use serde_path_to_error::Segment;
    let segments: Vec<&Segment> = path.iter().collect();
    let Some((last, parents)) = segments.split_last() else {
        return false;
    };
    let mut at = value;
    for s in parents {
        let next = match s {
            Segment::Map { key } => at.get_mut(key.as_str()),
            Segment::Seq { index } => at.get_mut(*index),
            _ => None,
        };
        match next {
            Some(v) => at = v,
            None => return false,
        }
    }
    match (last, at) {
        (Segment::Map { key }, serde_json::Value::Object(map)) => map.remove(key).is_some(),
        _ => false,
    }
}

use crate::error::MAX_LISTED;

/// One walk over a document before it is read: every string holding a control
/// character is listed by its path (the first [`MAX_LISTED`]; the rest are counted in
/// `omitted`), and every number without a fraction (`112.0`) is written as the
/// integer it is (JSON Schema, and so the spec, counts it an integer, and a client
/// that sends it means one).
fn inspect(
    value: &mut serde_json::Value,
    path: &str,
    out: &mut Vec<FieldError>,
    omitted: &mut usize,
) {
    match value {
        serde_json::Value::String(s) => {
            if let Some(c) = control_character(s) {
                if out.len() < MAX_LISTED {
                    out.push(control_error(path.to_string(), c));
                } else {
                    *omitted += 1;
                }
            }
        }
        serde_json::Value::Number(n) => {
            if let Some(f) = n.as_f64()
                && n.is_f64()
                && f.fract() == 0.0
                && f.abs() < 9_007_199_254_740_992.0
            {
                *n = serde_json::Number::from(f as i64);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter_mut().enumerate() {
                inspect(v, &format!("{path}[{i}]"), out, omitted);
            }
        }
        serde_json::Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                inspect(v, &p, out, omitted);
            }
        }
        _ => {}
    }
}

/// Parses a JSON document into `T`, classifying errors as 400 or 422; a 422 lists every
/// broken field it can reach, not only the first.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // A syntax error anywhere, trailing content included, is a 400.
    let mut value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| ApiError::MalformedBody(e.to_string()))?;
    // Every body of this API is an object: an array would be read into its fields by
    // position, which no client means.
    if !value.is_object() {
        return Err(ApiError::validation(vec![FieldError::new(
            "",
            "type",
            "the body must be a JSON object",
        )]));
    }
    let mut errors: Vec<FieldError> = Vec::new();
    let mut omitted = 0;
    inspect(&mut value, "", &mut errors, &mut omitted);
    loop {
        match serde_path_to_error::deserialize::<_, T>(&value) {
            Ok(v) if errors.is_empty() => return Ok(v),
            Ok(_) => break,
            Err(e) => {
                let fe = field_error(&e.path().to_string(), e.inner());
                // A field taken out for its wrong type comes back as missing: said once.
                if errors.iter().any(|x| x.field == fe.field) {
                    break;
                }
                let more = fe.rule != "required" && take_out(&mut value, e.path());
                errors.push(fe);
                if !more || errors.len() >= MAX_LISTED {
                    break;
                }
            }
        }
    }
    Err(ApiError::validation_of(errors, omitted))
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req
            .app_data::<web::Data<AppState>>()
            .map(|s| s.settings.body_limit_bytes)
            .unwrap_or(1 << 20);
        let json = is_json(req);
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            if let Some(n) = declared
                && n > limit
            {
                return Err(ApiError::PayloadTooLarge { limit });
            }
            let mut body = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|e| {
                    ApiError::MalformedBody(format!("the body could not be read: {e}"))
                })?;
                if body.len() + chunk.len() > limit {
                    return Err(ApiError::PayloadTooLarge { limit });
                }
                body.extend_from_slice(&chunk);
            }
            if body.is_empty() {
                // Where every field is optional, no body means none of them.
                return match parse::<T>(b"{}") {
                    Ok(v) => Ok(Json(v)),
                    Err(_) if !json => Err(ApiError::UnsupportedMediaType),
                    Err(_) => Err(ApiError::MalformedBody(
                        "the body is empty; send a JSON object".into(),
                    )),
                };
            }
            if !json {
                return Err(ApiError::UnsupportedMediaType);
            }
            parse(&body).map(Json)
        })
    }
}

/// Query parameters deserialised into `T`; bad values are a 422 naming the parameter.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Query<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let r = parse_query(req.query_string());
        std::future::ready(r.map(Query))
    }
}

/// A query string deserialised into `T`, as [`Query`] reads it; bad values are a 422
/// naming the parameter.
pub fn parse_query<T: DeserializeOwned>(qs: &str) -> Result<T, ApiError> {
    let bad: Vec<FieldError> = form_urlencoded::parse(qs.as_bytes())
        .filter_map(|(k, v)| control_character(&v).map(|c| control_error(k.into_owned(), c)))
        .collect();
    if !bad.is_empty() {
        return Err(ApiError::validation(bad));
    }
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(qs.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let msg = e.inner().to_string();
        // The parameter is the path serde reached; an unknown parameter has none, and
        // the message quotes its name.
        let path = e.path().to_string();
        let quoted = msg.split('`').nth(1).map(str::to_string);
        let (field, rule) = if msg.contains("unknown field") {
            (quoted.unwrap_or_default(), "unknown_parameter")
        } else if msg.contains("unknown variant") {
            (path, "enum")
        } else if msg.starts_with("missing field") {
            (quoted.unwrap_or_default(), "required")
        } else {
            (path, "type")
        };
        ApiError::validation(vec![FieldError::new(
            field,
            rule,
            format!("bad query parameter: {msg}"),
        )])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        zone: String,
    }
    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        title: String,
        people: Vec<Inner>,
    }

    fn errors(e: ApiError) -> Vec<FieldError> {
        match e {
            ApiError::Validation { errors, .. } => errors,
            other => panic!("expected 422, got {other:?}"),
        }
    }

    #[test]
    fn syntax_errors_are_400() {
        assert!(matches!(
            parse::<Outer>(b"{\"title\": "),
            Err(ApiError::MalformedBody(_))
        ));
    }

    #[test]
    fn a_wrong_type_names_the_nested_field() {
        let e = errors(
            parse::<Outer>(br#"{"title":"x","people":[{"zone":"a"},{"zone":5}]}"#).unwrap_err(),
        );
        assert_eq!(e[0].field, "people[1].zone");
        assert_eq!(e[0].rule, "type");
    }

    #[test]
    fn a_missing_field_is_named_in_full() {
        let e = errors(parse::<Outer>(br#"{"title":"x","people":[{}]}"#).unwrap_err());
        assert_eq!(e[0].field, "people[0].zone");
        assert_eq!(e[0].rule, "required");
    }

    #[test]
    fn every_broken_field_is_listed_in_words_a_client_knows() {
        let e = errors(
            parse::<Outer>(br#"{"title":7,"people":[{"zone":"a","x":1}],"tittle":"y"}"#)
                .unwrap_err(),
        );
        let mut fields: Vec<&str> = e.iter().map(|f| f.field.as_str()).collect();
        fields.sort_unstable();
        assert_eq!(fields, ["people[0].x", "title", "tittle"], "{e:?}");
        let title = e.iter().find(|f| f.field == "title").unwrap();
        assert_eq!(
            title.message,
            "invalid type: integer `7`, expected a string"
        );
        let e = errors(parse::<Outer>(br#"{"title":"x","people":{"zone":"a"}}"#).unwrap_err());
        assert_eq!(e[0].message, "invalid type: object, expected an array");
        let e = errors(parse::<Outer>(br#"{"title":"x","people":[7]}"#).unwrap_err());
        assert_eq!(
            e[0].message,
            "invalid type: integer `7`, expected an object"
        );
        for bad in ["[]", "3", r#"["x", []]"#] {
            let e = errors(parse::<Outer>(bad.as_bytes()).unwrap_err());
            assert_eq!(e[0].message, "the body must be a JSON object", "{bad}");
        }
    }

    #[test]
    fn control_characters_are_refused_wherever_they_are() {
        let e = errors(
            parse::<Outer>(b"{\"title\":\"Drinks\\u0007\",\"people\":[{\"zone\":\"a\\u0000\"}]}")
                .unwrap_err(),
        );
        let mut got: Vec<(&str, &str)> = e
            .iter()
            .map(|f| (f.field.as_str(), f.rule.as_str()))
            .collect();
        got.sort_unstable();
        assert_eq!(
            got,
            [
                ("people[0].zone", "control_characters"),
                ("title", "control_characters")
            ]
        );
        assert!(e.iter().any(|f| f.message.contains("U+0007")), "{e:?}");
        assert!(parse::<Outer>(b"{\"title\":\"a\\tb\\nc\\r\",\"people\":[]}").is_ok());
        let (field, rule) = {
            let e = errors(parse_query::<ListQuery>("status=active&page=%1B").unwrap_err());
            (e[0].field.clone(), e[0].rule.clone())
        };
        assert_eq!(
            (field.as_str(), rule.as_str()),
            ("page", "control_characters")
        );
    }

    #[test]
    fn integer_types_are_said_in_words() {
        assert_eq!(
            plain("invalid value: integer `-1`, expected u32"),
            "invalid value: integer `-1`, expected an integer of 0 or more, in range"
        );
        assert_eq!(
            plain("invalid type: string \"a\", expected i64 at line 1 column 9"),
            "invalid type: string \"a\", expected an integer in range"
        );
        assert_eq!(plain("expected i64s"), "expected i64s");
    }

    #[test]
    fn unknown_fields_are_refused_by_name() {
        let e = errors(parse::<Outer>(br#"{"title":"x","people":[],"tittle":"y"}"#).unwrap_err());
        assert_eq!(e[0].field, "tittle");
        assert_eq!(e[0].rule, "unknown_field");
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct ListQuery {
        status: Option<crate::sessions::types::SessionStatus>,
        page: Option<i64>,
    }

    fn query_error(qs: &str) -> (String, String) {
        let e = errors(parse_query::<ListQuery>(qs).unwrap_err());
        (e[0].field.clone(), e[0].rule.clone())
    }

    #[test]
    fn query_errors_name_the_parameter_not_its_value() {
        assert_eq!(
            query_error("status=finished"),
            ("status".into(), "enum".into())
        );
        assert_eq!(
            query_error("page=two&status=active"),
            ("page".into(), "type".into())
        );
        assert_eq!(
            query_error("sort=title"),
            ("sort".into(), "unknown_parameter".into())
        );
        assert!(parse_query::<ListQuery>("status=cancelled&page=2").is_ok());
    }
}

/// Whether the client asked, with `Prefer: respond-async` (RFC 7240), for a long action
/// to be queued as a job and answered at once with it.
#[derive(Debug, Clone, Copy)]
pub struct Prefer {
    /// `respond-async` was among the preferences.
    pub respond_async: bool,
}

impl FromRequest for Prefer {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let respond_async = req
            .headers()
            .get_all("prefer")
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|p| p.split(';').next().unwrap_or("").trim())
            .any(|token| token.eq_ignore_ascii_case("respond-async"));
        std::future::ready(Ok(Prefer { respond_async }))
    }
}
