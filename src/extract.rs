//! Request-body and query extractors whose failures are problem+json errors naming the
//! field: a syntax error is a 400, a well-formed body of the wrong shape a 422 with the
//! path of the offending field, a body over the limit a 413, another media type a 415.

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header, web};
use futures_util::StreamExt;
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, FieldError};
use crate::state::AppState;

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

/// Turns a serde error at a path into a field error; a missing field is named in full.
fn field_error(path: &str, inner: &serde_json::Error) -> FieldError {
    let msg = inner.to_string();
    let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
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

/// Parses a JSON document into `T`, classifying errors as 400 or 422.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // A syntax error anywhere is a 400, even after a part that fails the shape.
    serde_json::from_slice::<serde::de::IgnoredAny>(bytes)
        .map_err(|e| ApiError::MalformedBody(e.to_string()))?;
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => {
                ApiError::validation(vec![field_error(&path, &inner)])
            }
            _ => ApiError::MalformedBody(inner.to_string()),
        }
    })?;
    // Trailing content after the document is a syntax error too.
    de.end()
        .map_err(|e| ApiError::MalformedBody(e.to_string()))?;
    Ok(value)
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
            if !json {
                return Err(ApiError::UnsupportedMediaType);
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
                return Err(ApiError::MalformedBody(
                    "the body is empty; send a JSON object".into(),
                ));
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
        let r = serde_urlencoded_path(req.query_string());
        std::future::ready(r.map(Query))
    }
}

fn serde_urlencoded_path<T: DeserializeOwned>(qs: &str) -> Result<T, ApiError> {
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
        let e = errors(serde_urlencoded_path::<ListQuery>(qs).unwrap_err());
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
        assert!(serde_urlencoded_path::<ListQuery>("status=cancelled&page=2").is_ok());
    }
}
