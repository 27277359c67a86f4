//! RFC 5545 text from the `ical` crate's component types. The crate's own emitter is
//! not used (it folds by characters, does not escape TEXT and panics on non-ASCII
//! parameters); this one writes CRLF lines, escapes TEXT values, quotes parameter
//! values, and folds at 75 octets without splitting a UTF-8 character.

use ical::parser::ical::component::{
    IcalCalendar, IcalEvent, IcalTimeZone, IcalTimeZoneTransitionType,
};
use ical::property::Property;

/// Escapes a TEXT value: backslash, semicolon, comma and newline; drops other control
/// characters than tab.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            // Input refuses them; older rows may hold them. RFC 5545 TEXT has no place
            // for a control character, and readers reject the whole calendar for one.
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A parameter value: quoted when it holds `:`, `;` or `,`; double quotes, which
/// RFC 5545 cannot carry inside a parameter, are dropped, and control characters too.
fn param_value(v: &str) -> String {
    let clean: String = v.chars().filter(|c| *c != '"' && !c.is_control()).collect();
    if clean.contains([':', ';', ',']) || !clean.is_ascii() {
        format!("\"{clean}\"")
    } else {
        clean
    }
}

/// Appends one content line, folded so that no physical line exceeds 75 octets and no
/// UTF-8 character is split. A fold is placed away from spaces where it can be (within
/// the last 16 characters), since some readers trim each physical line.
pub fn push_line(out: &mut String, line: &str) {
    let chars: Vec<char> = line.chars().collect();
    let mut start = 0;
    let mut first = true;
    while start < chars.len() {
        let budget = if first { 75 } else { 74 };
        let mut end = start;
        let mut width = 0;
        while end < chars.len() && width + chars[end].len_utf8() <= budget {
            width += chars[end].len_utf8();
            end += 1;
        }
        if end < chars.len() {
            let safe = |i: usize| chars[i - 1] != ' ' && chars[i] != ' ';
            if let Some(b) = (end.saturating_sub(16).max(start + 1)..=end)
                .rev()
                .find(|&i| safe(i))
            {
                end = b;
            }
        }
        if !first {
            out.push(' ');
        }
        out.extend(&chars[start..end]);
        out.push_str("\r\n");
        start = end;
        first = false;
    }
    if chars.is_empty() {
        out.push_str("\r\n");
    }
}

fn push_property(out: &mut String, p: &Property) {
    let mut line = p.name.clone();
    for (name, values) in p.params.iter().flatten() {
        line.push(';');
        line.push_str(name);
        line.push('=');
        let vs: Vec<String> = values.iter().map(|v| param_value(v)).collect();
        line.push_str(&vs.join(","));
    }
    line.push(':');
    line.push_str(p.value.as_deref().unwrap_or(""));
    push_line(out, &line);
}

fn push_block(out: &mut String, name: &str, props: &[Property], inner: impl FnOnce(&mut String)) {
    push_line(out, &format!("BEGIN:{name}"));
    for p in props {
        push_property(out, p);
    }
    inner(out);
    push_line(out, &format!("END:{name}"));
}

fn push_timezone(out: &mut String, tz: &IcalTimeZone) {
    push_block(out, "VTIMEZONE", &tz.properties, |out| {
        for t in &tz.transitions {
            let name = match t.transition {
                IcalTimeZoneTransitionType::STANDARD => "STANDARD",
                IcalTimeZoneTransitionType::DAYLIGHT => "DAYLIGHT",
            };
            push_block(out, name, &t.properties, |_| {});
        }
    });
}

fn push_event(out: &mut String, e: &IcalEvent) {
    push_block(out, "VEVENT", &e.properties, |_| {});
}

/// Writes a calendar: its properties, time zones, then events.
pub fn write(cal: &IcalCalendar) -> String {
    let mut out = String::new();
    push_block(&mut out, "VCALENDAR", &cal.properties, |out| {
        for tz in &cal.timezones {
            push_timezone(out, tz);
        }
        for e in &cal.events {
            push_event(out, e);
        }
    });
    out
}

/// A property without parameters.
pub fn prop(name: &str, value: impl Into<String>) -> Property {
    Property {
        name: name.into(),
        params: None,
        value: Some(value.into()),
    }
}

/// A property with parameters.
pub fn prop_with(name: &str, params: &[(&str, &str)], value: impl Into<String>) -> Property {
    Property {
        name: name.into(),
        params: Some(
            params
                .iter()
                .map(|(k, v)| ((*k).to_string(), vec![(*v).to_string()]))
                .collect(),
        ),
        value: Some(value.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<&str> {
        s.split("\r\n").filter(|l| !l.is_empty()).collect()
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape_text("a,b;c\\d\nline"), "a\\,b\\;c\\\\d\\nline");
    }

    #[test]
    fn folding_keeps_lines_within_75_octets_and_characters_whole() {
        let text = "Ørland æøå ".repeat(30) + &"x".repeat(200);
        let mut out = String::new();
        push_line(&mut out, &format!("DESCRIPTION:{text}"));
        for l in lines(&out) {
            assert!(l.len() <= 75, "{} octets: {l:?}", l.len());
        }
        // Unfolding gives the line back exactly.
        let unfolded = out.replace("\r\n ", "").replace("\r\n", "");
        assert_eq!(unfolded, format!("DESCRIPTION:{text}"));
        // No physical line starts or ends next to a space (some readers trim them).
        for l in lines(&out).iter().skip(1) {
            assert!(!l[1..].starts_with(' '), "{l:?}");
        }
    }

    #[test]
    fn parameters_with_separators_or_non_ascii_are_quoted() {
        let mut out = String::new();
        push_property(
            &mut out,
            &prop_with("ATTENDEE", &[("CN", "Ås, Jørgen")], "mailto:x@example.org"),
        );
        assert_eq!(out, "ATTENDEE;CN=\"Ås, Jørgen\":mailto:x@example.org\r\n");
    }
}
