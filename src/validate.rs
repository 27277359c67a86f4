//! Collects every broken input rule of a request, so a client fixes them all at once.

use crate::error::{ApiError, FieldError};

/// Gathers field errors; `finish` turns them into one 422.
#[derive(Debug, Default)]
pub struct Checker {
    errors: Vec<FieldError>,
    omitted: usize,
}

impl Checker {
    /// An empty checker.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a broken rule (past [`crate::error::MAX_LISTED`], only counts it).
    pub fn add(&mut self, field: impl Into<String>, rule: &str, message: impl Into<String>) {
        if self.errors.len() < crate::error::MAX_LISTED {
            self.errors.push(FieldError::new(field, rule, message));
        } else {
            self.omitted += 1;
        }
    }

    /// Requires a non-blank text of at most `max` characters.
    pub fn text(&mut self, field: &str, value: &str, max: usize) {
        if value.trim().is_empty() {
            self.add(field, "required", format!("{field} must not be empty"));
        }
        self.max_len(field, value, max);
    }

    /// Caps the length of a text in characters, and refuses control characters other
    /// than tab and line breaks (what comes over HTTP is refused before; this holds
    /// for every other way in, the command line among them).
    pub fn max_len(&mut self, field: &str, value: &str, max: usize) {
        if let Some(c) = crate::text::control_character(value) {
            let e = crate::text::control_error(field.to_string(), c);
            self.add(field, &e.rule, e.message);
        }
        let n = value.chars().count();
        if n > max {
            self.add(
                field,
                "max_length",
                format!("{field} has {n} characters; at most {max} are allowed"),
            );
        }
    }

    /// Requires each of a list of languages to be an ISO 639 code (two or three lower
    /// case letters), named once, twenty at most.
    pub fn languages(&mut self, field: &str, codes: &[String]) {
        let mut seen = std::collections::BTreeSet::new();
        for (i, code) in codes.iter().enumerate() {
            let at = format!("{field}[{i}]");
            if !code.bytes().all(|b| b.is_ascii_lowercase())
                || crate::scheduling::solver::problem::language(code).is_none()
            {
                self.add(
                    &at,
                    "language",
                    format!("{at} must be a language's ISO 639-1 or 639-3 code in lower case, such as fr or ase; got {code:?}"),
                );
            } else if !seen.insert(code.as_str()) {
                self.add(&at, "unique", format!("{at} names {code} twice"));
            }
        }
        if codes.len() > 20 {
            self.add(
                field,
                "max_items",
                format!("{field} names at most 20 languages"),
            );
        }
    }

    /// Requires `lo <= value <= hi`.
    pub fn range<T: PartialOrd + std::fmt::Display>(
        &mut self,
        field: &str,
        value: T,
        lo: T,
        hi: T,
    ) {
        if value < lo || value > hi {
            self.add(
                field,
                "range",
                format!("{field} must be between {lo} and {hi}; got {value}"),
            );
        }
    }

    /// Caps the number of items in a list; whether it is within the cap (check its
    /// items only then: a list over the cap is refused whole).
    pub fn max_items(&mut self, field: &str, n: usize, max: usize) -> bool {
        if n > max {
            self.add(
                field,
                "max_items",
                format!("{field} has {n} items; at most {max} are allowed"),
            );
            return false;
        }
        true
    }

    /// Requires a valid IANA time-zone name.
    pub fn zone(&mut self, field: &str, value: &str) {
        if let Err(e) = crate::time::parse_zone(value) {
            self.add(field, "timezone", e.to_string());
        }
    }

    /// Requires an ISO 3166-1 alpha-2 code shape (two upper-case letters).
    pub fn country(&mut self, field: &str, value: &str) {
        if value.len() != 2 || !value.chars().all(|c| c.is_ascii_uppercase()) {
            self.add(
                field,
                "country_code",
                format!("{field} must be an ISO 3166-1 alpha-2 code such as NO or KE"),
            );
        }
    }

    /// Requires a plausible email address.
    pub fn email(&mut self, field: &str, value: &str) {
        if !looks_like_email(value) {
            self.add(
                field,
                "email",
                format!("{field} must be an email address such as name@example.org"),
            );
        }
    }

    /// Requires an absolute http(s) URL.
    pub fn url(&mut self, field: &str, value: &str) {
        let n = value.chars().count();
        let ok = (value.starts_with("https://") || value.starts_with("http://"))
            && n > 10
            && n <= 2000
            && !value.chars().any(char::is_whitespace);
        if !ok {
            self.add(field, "url", format!("{field} must be an http(s) URL"));
        }
    }

    /// Whether nothing has failed so far.
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    /// `Ok` when no rule failed, else one 422 listing all failures.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::validation_of(self.errors, self.omitted))
        }
    }
}

/// A light shape check: one `@`, a non-empty local part, a dotted domain, no spaces
/// but around it, at most 254 characters.
pub fn looks_like_email(raw: &str) -> bool {
    let s = raw.trim();
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && raw.chars().count() <= 254
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Normalises an email for comparison and storage.
pub fn normalise_email(s: &str) -> String {
    s.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_shapes() {
        assert!(looks_like_email("a.b@example.org"));
        assert!(!looks_like_email("a b@example.org"));
        assert!(!looks_like_email("ab@example"));
        assert!(!looks_like_email("@example.org"));
        assert!(!looks_like_email("a@b@example.org"));
    }

    #[test]
    fn all_failures_are_kept() {
        let mut c = Checker::new();
        c.text("title", " ", 10);
        c.zone("tz", "Nowhere/City");
        c.range("year", 1900, 2000, 2100);
        match c.finish() {
            Err(ApiError::Validation { errors, .. }) => assert_eq!(errors.len(), 3),
            other => panic!("{other:?}"),
        }
    }
}
