//! What text the service accepts, wherever it comes in: HTTP bodies and queries
//! ([`crate::extract`]) and every other way ([`crate::validate`]).

use crate::error::FieldError;

/// The first control character in `text` other than tab and line breaks: such
/// characters are never data, and calendar readers choke on them (and PostgreSQL
/// refuses NUL).
pub fn control_character(text: &str) -> Option<char> {
    text.chars()
        .find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// The field error for a control character, named by its code point.
pub fn control_error(field: String, c: char) -> FieldError {
    FieldError::new(
        field,
        "control_characters",
        format!(
            "contains the control character U+{:04X}; only tab and line breaks are allowed",
            u32::from(c)
        ),
    )
}
