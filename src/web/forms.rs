//! What every form of the pages shares: reading an urlencoded body, telling a form
//! posted by another site's page from one of ours, and a refused input's messages kept
//! by the API's own field paths (`participants[2].timezone`), so that each is shown
//! beside its field.

use std::collections::BTreeMap;

use actix_web::{HttpRequest, ResponseError};

use crate::error::{ApiError, FieldError};

/// An urlencoded form as it came: every name with every value, in order.
#[derive(Debug, Clone, Default)]
pub struct Form {
    pairs: Vec<(String, String)>,
}

impl Form {
    /// Reads a body; what does not decode is read leniently, as browsers send it.
    pub fn parse(body: &[u8]) -> Form {
        Form {
            pairs: form_urlencoded::parse(body).into_owned().collect(),
        }
    }

    /// The first value of a field, as typed.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of a field, trimmed, or `None` when empty or absent.
    pub fn filled(&self, name: &str) -> Option<&str> {
        self.get(name).map(str::trim).filter(|v| !v.is_empty())
    }

    /// Every value of a field (checkboxes), in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The fields whose names start with `prefix`, by the rest of their names (first
    /// value of each).
    pub fn pairs_with_prefix(&self, prefix: &str) -> Vec<(&str, &str)> {
        let mut out: Vec<(&str, &str)> = vec![];
        for (k, v) in &self.pairs {
            if let Some(rest) = k.strip_prefix(prefix)
                && !out.iter().any(|(seen, _)| *seen == rest)
            {
                out.push((rest, v));
            }
        }
        out
    }

    /// Whether the field was sent at all (a checked checkbox, a pressed button).
    pub fn has(&self, name: &str) -> bool {
        self.pairs.iter().any(|(k, _)| k == name)
    }

    /// Adds a field, as if it had been sent last.
    pub fn push(&mut self, name: &str, value: &str) {
        self.pairs.push((name.to_string(), value.to_string()));
    }

    /// A whole number typed in field `name`: `None` when it is left empty, or when it
    /// does not read as one, which adds "must be a whole number" under `name` to `bad`.
    pub fn whole<T: std::str::FromStr>(&self, name: &str, bad: &mut Vec<FieldError>) -> Option<T> {
        self.whole_as(name, name, "must be a whole number", bad)
    }

    /// [`Form::whole`], with the refusal's `message` under the API's field `path`.
    pub fn whole_as<T: std::str::FromStr>(
        &self,
        name: &str,
        path: &str,
        message: &str,
        bad: &mut Vec<FieldError>,
    ) -> Option<T> {
        let v = self.filled(name)?;
        let got = v.parse().ok();
        if got.is_none() {
            bad.push(FieldError::new(path, "integer", message));
        }
        got
    }

    /// Every name with its value, in the order sent.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// What a refused form may carry through the browser to be sent again, urlencoded:
    /// every field but its form token and any password, which are typed again.
    pub fn carried(&self) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.pairs {
            if k != "csrf" && !k.contains("password") {
                out.append_pair(k, v);
            }
        }
        out.finish()
    }
}

/// Where a request says it was sent from, as browsers tell it.
#[derive(Debug, Clone, Default)]
pub struct Sender {
    /// `Sec-Fetch-Site`.
    pub fetch_site: Option<String>,
    /// `Origin`.
    pub origin: Option<String>,
    /// The `scheme://host` the request was sent to, as the client named it.
    pub addressed: String,
}

impl Sender {
    /// The request's own word on where it came from.
    pub fn of(req: &HttpRequest) -> Sender {
        let header = |name: &str| {
            req.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let info = req.connection_info();
        Sender {
            fetch_site: header("sec-fetch-site"),
            origin: header("origin"),
            addressed: format!("{}://{}", info.scheme(), info.host()),
        }
    }

    /// Whether a page of another site sent it: the browser says so
    /// (`Sec-Fetch-Site: cross-site` or `same-site`, a sibling host), or its `Origin`
    /// is neither the service's public origin nor the address the request was sent to
    /// (`null` included).
    pub fn from_elsewhere(&self, public_url: &str) -> bool {
        if matches!(self.fetch_site.as_deref(), Some("cross-site" | "same-site")) {
            return true;
        }
        let Some(sent_from) = self.origin.as_deref() else {
            return false;
        };
        let sent_from = origin_of(sent_from);
        sent_from != origin_of(public_url) && sent_from != origin_of(&self.addressed)
    }
}

/// `scheme://host[:port]` of a URL, lower-case.
fn origin_of(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", ""));
    let host = rest.split('/').next().unwrap_or("");
    format!(
        "{}://{}",
        scheme.to_ascii_lowercase(),
        host.to_ascii_lowercase()
    )
}

/// What a refused input got wrong: each message under the field path the API names,
/// and what belongs to no field.
#[derive(Debug, Clone, Default)]
pub struct Problems {
    by_field: BTreeMap<String, Vec<String>>,
    /// Messages for the whole form.
    pub general: Vec<String>,
    /// The name of the form on a page of several whose controls' ids it prefixes
    /// (`room-new-capacity`); empty when the page has one.
    scope: String,
}

impl Problems {
    /// The messages of an error: a 422's by field, anything else for the whole form.
    pub fn from_error(e: &ApiError) -> Problems {
        let mut p = Problems::default();
        match e {
            ApiError::Validation {
                errors, omitted, ..
            } => {
                for f in errors {
                    p.add(&f.field, &f.message);
                }
                if *omitted > 0 {
                    p.general
                        .push(format!("{omitted} more problems are not listed"));
                }
            }
            // The page the form came from showed what has changed since.
            ApiError::PreconditionFailed => p
                .general
                .push(crate::web::words::DESK.changed_elsewhere.to_string()),
            ApiError::TooManyRequests { retry_after } => {
                let minutes = retry_after.div_ceil(60).max(1);
                p.general.push(format!(
                    "Too many attempts: try again in {minutes} minute{}.",
                    if minutes == 1 { "" } else { "s" }
                ))
            }
            other if other.status_code().is_server_error() => p.general.push(
                "Something went wrong on our side; it has been logged. Try again shortly.".into(),
            ),
            other => p.general.push(sentence(&other.to_string())),
        }
        p
    }

    /// Adds a message for a field (an empty path is the whole form). A message that
    /// opens with the field's path, as the API's do, names the field in words instead.
    pub fn add(&mut self, field: &str, message: &str) {
        if field.is_empty() {
            self.general.push(sentence(message));
        } else {
            let message = match message.strip_prefix(field) {
                Some(rest) => format!("{}{rest}", in_words(field)),
                None => message.to_string(),
            };
            self.by_field
                .entry(field.to_string())
                .or_default()
                .push(sentence(&message));
        }
    }

    /// The messages of one field, joined, if it has any.
    pub fn of(&self, field: &str) -> Option<String> {
        self.by_field.get(field).map(|m| m.join(" "))
    }

    /// The messages of fields whose path starts with `prefix` and that no other place
    /// on the page shows (`shown` lists those).
    pub fn under(&self, prefix: &str, shown: &[String]) -> Vec<String> {
        self.by_field
            .iter()
            .filter(|(k, _)| k.starts_with(prefix) && !shown.contains(k))
            .flat_map(|(_, v)| v.iter().cloned())
            .collect()
    }

    /// Every message with the id of the control it belongs to (empty for the whole
    /// form), for the summary at the top of a refused form: a message whose field has
    /// no control on the page is said there all the same.
    pub fn summary(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self
            .general
            .iter()
            .map(|m| (String::new(), m.clone()))
            .collect();
        for (field, messages) in &self.by_field {
            let id = match self.scope.as_str() {
                "" => control_of(field),
                scope => format!("{scope}-{}", control_of(field)),
            };
            for m in messages {
                out.push((id.clone(), m.clone()));
            }
        }
        out
    }

    /// The same messages for a form whose controls' ids start with `scope` and a dash.
    pub fn scoped(mut self, scope: &str) -> Problems {
        self.scope = scope.to_string();
        self
    }

    /// Every field path with a message.
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.by_field.keys().map(String::as_str)
    }

    /// Whether nothing is wrong.
    pub fn is_empty(&self) -> bool {
        self.by_field.is_empty() && self.general.is_empty()
    }
}

/// The id of the form control that shows a field path's messages
/// (`participants[2].timezone` is `p2_timezone`; `sdgs[3]` is `sdgs`).
pub fn control_of(field: &str) -> String {
    if let Some(rest) = field.strip_prefix("participants[")
        && let Some((i, k)) = rest.split_once("].")
    {
        return format!("p{i}_{k}");
    }
    match field.split_once('[') {
        Some((head, _)) => head.to_string(),
        None => field.to_string(),
    }
}

/// A field's path as a person reads it: `participants[2].timezone` is "person 3's
/// timezone", `per_proposal` is "per proposal".
pub fn in_words(field: &str) -> String {
    if let Some(rest) = field.strip_prefix("participants[")
        && let Some((i, k)) = rest.split_once("].")
        && let Ok(n) = i.parse::<usize>()
    {
        return format!("person {}'s {}", n + 1, k.replace('_', " "));
    }
    field
        .replace(['_', '.'], " ")
        .replace('[', " ")
        .replace(']', "")
}

/// A message as a sentence: a capital first letter and a full stop.
pub fn sentence(s: &str) -> String {
    let s = s.trim();
    let mut out: String = s
        .chars()
        .take(1)
        .flat_map(char::to_uppercase)
        .chain(s.chars().skip(1))
        .collect();
    if !out.ends_with(['.', '?', '!']) {
        out.push('.');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_keeps_every_value_in_order() {
        let f = Form::parse(b"a=1&b=+x+&a=2&c=&d");
        assert_eq!(f.get("a"), Some("1"));
        assert_eq!(f.all("a"), ["1", "2"]);
        assert_eq!(f.filled("b"), Some("x"));
        assert_eq!(f.filled("c"), None);
        assert!(f.has("d") && !f.has("e"));
    }

    #[test]
    fn a_form_from_another_site_is_told_apart() {
        let public = "https://igf.example.org/prefix";
        for (site, origin, elsewhere) in [
            (None, None, false),
            (Some("same-origin"), Some("https://igf.example.org"), false),
            (None, Some("HTTPS://IGF.example.org"), false),
            (None, Some("http://localhost:8080"), false),
            (Some("cross-site"), Some("https://igf.example.org"), true),
            (Some("same-site"), None, true),
            (None, Some("https://evil.example"), true),
            (None, Some("http://igf.example.org"), true),
            (None, Some("null"), true),
        ] {
            let s = Sender {
                fetch_site: site.map(str::to_string),
                origin: origin.map(str::to_string),
                addressed: "http://localhost:8080".to_string(),
            };
            assert_eq!(s.from_elsewhere(public), elsewhere, "{site:?} {origin:?}");
        }
    }

    #[test]
    fn a_field_path_is_shown_at_its_control() {
        assert_eq!(control_of("participants[2].timezone"), "p2_timezone");
        assert_eq!(control_of("title"), "title");
        assert_eq!(control_of("sdgs[3]"), "sdgs");
        assert_eq!(control_of("policy_questions[0]"), "policy_questions");
        assert_eq!(
            control_of("slots_per_type.workshop"),
            "slots_per_type.workshop"
        );
    }

    #[test]
    fn a_message_names_its_field_in_words() {
        let mut p = Problems::default();
        p.add(
            "participants[0].country",
            "participants[0].country must be two letters",
        );
        p.add("per_proposal", "per_proposal must be from 1 to 20");
        assert_eq!(
            p.of("participants[0].country").unwrap(),
            "Person 1's country must be two letters."
        );
        assert_eq!(
            p.of("per_proposal").unwrap(),
            "Per proposal must be from 1 to 20."
        );
    }

    #[test]
    fn problems_are_kept_by_field_and_said_as_sentences() {
        let e = ApiError::validation(vec![
            crate::error::FieldError::new("participants[1].timezone", "timezone", "not a zone"),
            crate::error::FieldError::new("title", "required", "title is required"),
            crate::error::FieldError::new("title", "max_length", "too long."),
        ]);
        let p = Problems::from_error(&e);
        assert_eq!(p.of("title").unwrap(), "Title is required. Too long.");
        assert_eq!(p.of("participants[1].timezone").unwrap(), "Not a zone.");
        assert_eq!(p.under("participants", &[]), ["Not a zone."]);
        assert!(p.general.is_empty() && p.of("description").is_none());
        let q = Problems::from_error(&ApiError::Forbidden("only the proposer".into()));
        assert_eq!(q.general, ["Only the proposer."]);
    }
}
