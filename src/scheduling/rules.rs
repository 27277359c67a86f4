//! The scheduling rules' weights and hard/soft switches as settings of a meeting: the
//! secretariat reads and changes them, a solve request may override them for one job,
//! and the job records what it used. A meeting stores only what differs from the
//! product's defaults.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::solver::{Hours, Weights};
use crate::audit;
use crate::auth::{AuthUser, Role};
use crate::db::DbConn;
use crate::db::schema::meetings;
use crate::error::ApiError;
use crate::meetings::models::Meeting;
use crate::meetings::service::load_visible;
use crate::validate::Checker;

/// A band of local hours, `HH:MM` to `HH:MM`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// From, local time.
    pub from: String,
    /// To, local time (24:00 is the end of the day).
    pub to: String,
}

/// The rules' settings; in a change or an override, only the fields given change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSettings {
    /// Per pair of same-theme sessions in overlapping slots.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub theme_clash: Option<i64>,
    /// Per pair of same-theme sessions on the same day.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub theme_same_day: Option<i64>,
    /// Per online person and started hour outside the comfortable band.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub online_discomfort: Option<i64>,
    /// Per group absent from a busy slot.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub slot_diversity: Option<i64>,
    /// Per 10 % of a room's seats left empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub room_fit: Option<i64>,
    /// Per change of room within a theme's day.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub track_room_change: Option<i64>,
    /// Per session a repair moves away from the published schedule.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub moved_session: Option<i64>,
    /// The comfortable band of an online person's own day.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub comfortable_hours: Option<Band>,
    /// The outer band of an online person's own day.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub outer_hours: Option<Band>,
    /// Whether the outer band is a hard rule; soft, each hour outside it costs four
    /// times the online discomfort.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub outer_hours_hard: Option<bool>,
}

fn hhmm(m: u32) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

fn minutes(s: &str) -> Option<u32> {
    let (h, m) = s.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(h * 60 + m)
}

fn band(h: Hours) -> Band {
    Band {
        from: hhmm(h.from_min),
        to: hhmm(h.to_min),
    }
}

impl RuleSettings {
    /// Every setting, as the weights say.
    pub fn of(w: &Weights) -> Self {
        RuleSettings {
            theme_clash: Some(w.theme_clash),
            theme_same_day: Some(w.theme_same_day),
            online_discomfort: Some(w.online_discomfort),
            slot_diversity: Some(w.slot_diversity),
            room_fit: Some(w.room_fit),
            track_room_change: Some(w.track_room_change),
            moved_session: Some(w.moved_session),
            comfortable_hours: Some(band(w.comfortable_hours)),
            outer_hours: Some(band(w.outer_hours)),
            outer_hours_hard: Some(w.outer_hours_hard),
        }
    }

    /// These settings over `base`: what is given here wins.
    pub fn on_top_of(&self, base: &RuleSettings) -> RuleSettings {
        macro_rules! pick {
            ($($f:ident),+) => { RuleSettings { $($f: self.$f.clone().or_else(|| base.$f.clone())),+ } };
        }
        pick!(
            theme_clash,
            theme_same_day,
            online_discomfort,
            slot_diversity,
            room_fit,
            track_room_change,
            moved_session,
            comfortable_hours,
            outer_hours,
            outer_hours_hard
        )
    }

    /// Names every broken setting under `prefix` (`""` or `"rules."`).
    pub fn check(&self, c: &mut Checker, prefix: &str) {
        for (name, v) in [
            ("theme_clash", self.theme_clash),
            ("theme_same_day", self.theme_same_day),
            ("online_discomfort", self.online_discomfort),
            ("slot_diversity", self.slot_diversity),
            ("room_fit", self.room_fit),
            ("track_room_change", self.track_room_change),
            ("moved_session", self.moved_session),
        ] {
            if let Some(v) = v {
                c.range(&format!("{prefix}{name}"), v, 0, 100_000);
            }
        }
        for (name, b) in [
            ("comfortable_hours", &self.comfortable_hours),
            ("outer_hours", &self.outer_hours),
        ] {
            let Some(b) = b else { continue };
            let (from, to) = (minutes(&b.from), minutes(&b.to));
            for (part, v, text) in [("from", from, &b.from), ("to", to, &b.to)] {
                if v.is_none() {
                    c.add(
                        format!("{prefix}{name}.{part}"),
                        "time",
                        format!("{text:?} is not a local time HH:MM from 00:00 to 24:00"),
                    );
                }
            }
            if let (Some(f), Some(t)) = (from, to)
                && f >= t
            {
                c.add(
                    format!("{prefix}{name}"),
                    "order",
                    format!("{name} must end after it starts"),
                );
            }
        }
    }

    /// The weights these settings make, over the defaults.
    pub fn weights(&self) -> Weights {
        let d = Weights::default();
        let hours = |b: &Option<Band>, dflt: Hours| match b {
            Some(b) => match (minutes(&b.from), minutes(&b.to)) {
                (Some(from_min), Some(to_min)) => Hours { from_min, to_min },
                _ => dflt,
            },
            None => dflt,
        };
        Weights {
            theme_clash: self.theme_clash.unwrap_or(d.theme_clash),
            theme_same_day: self.theme_same_day.unwrap_or(d.theme_same_day),
            online_discomfort: self.online_discomfort.unwrap_or(d.online_discomfort),
            slot_diversity: self.slot_diversity.unwrap_or(d.slot_diversity),
            room_fit: self.room_fit.unwrap_or(d.room_fit),
            track_room_change: self.track_room_change.unwrap_or(d.track_room_change),
            moved_session: self.moved_session.unwrap_or(d.moved_session),
            comfortable_hours: hours(&self.comfortable_hours, d.comfortable_hours),
            outer_hours: hours(&self.outer_hours, d.outer_hours),
            outer_hours_hard: self.outer_hours_hard.unwrap_or(d.outer_hours_hard),
        }
    }
}

/// What a meeting sets apart from the defaults, as stored.
pub fn stored(m: &Meeting) -> Result<RuleSettings, ApiError> {
    crate::db::json_column(&m.scheduling_rules, "meetings.scheduling_rules", m.id)
}

/// The rules in force for a meeting: the defaults under what it sets.
pub fn effective(m: &Meeting) -> Result<RuleSettings, ApiError> {
    Ok(stored(m)?.on_top_of(&RuleSettings::of(&Weights::default())))
}

/// The secretariat reads the rules in force for a meeting.
pub fn get(conn: &mut DbConn, actor: &AuthUser, meeting_id: i64) -> Result<RuleSettings, ApiError> {
    actor.require(Role::Secretariat)?;
    let m = load_visible(conn, meeting_id, &Some(actor.clone()))?;
    effective(&m)
}

/// The secretariat changes some of a meeting's rules; the answer is every rule in
/// force. Jobs already queued keep what they recorded.
pub fn update(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    change: &RuleSettings,
) -> Result<RuleSettings, ApiError> {
    actor.require(Role::Secretariat)?;
    let mut c = Checker::new();
    change.check(&mut c, "");
    c.finish()?;
    load_visible(conn, meeting_id, &Some(actor.clone()))?;
    crate::db::write_tx(conn, |c| {
        let m =
            crate::meetings::queries::find(c, meeting_id)?.ok_or(ApiError::NotFound("meeting"))?;
        let before = stored(&m)?;
        let after = change.on_top_of(&before);
        let text = serde_json::to_string(&after).map_err(|e| ApiError::Internal(e.into()))?;
        diesel::update(meetings::table.find(meeting_id))
            .set(meetings::scheduling_rules.eq(&text))
            .execute(c)?;
        audit::record(
            c,
            Some(actor.id),
            "meeting.scheduling_rules",
            "meeting",
            meeting_id,
            Some(meeting_id),
            json!({"before": before, "after": after}),
        )?;
        Ok(after.on_top_of(&RuleSettings::of(&Weights::default())))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_through_weights_and_layer_over_each_other() {
        let all = RuleSettings::of(&Weights::default());
        assert_eq!(all.weights(), Weights::default());
        let meeting = RuleSettings {
            outer_hours_hard: Some(false),
            theme_clash: Some(7),
            ..Default::default()
        };
        let job = RuleSettings {
            theme_clash: Some(3),
            outer_hours: Some(Band {
                from: "06:30".into(),
                to: "24:00".into(),
            }),
            ..Default::default()
        };
        let w = job.on_top_of(&meeting).on_top_of(&all).weights();
        assert_eq!(w.theme_clash, 3);
        assert!(!w.outer_hours_hard);
        assert_eq!((w.outer_hours.from_min, w.outer_hours.to_min), (390, 1440));
        assert_eq!(w.online_discomfort, Weights::default().online_discomfort);
    }

    #[test]
    fn every_broken_setting_is_named() {
        let bad = RuleSettings {
            theme_clash: Some(-1),
            comfortable_hours: Some(Band {
                from: "9:00".into(),
                to: "25:00".into(),
            }),
            outer_hours: Some(Band {
                from: "22:00".into(),
                to: "07:00".into(),
            }),
            ..Default::default()
        };
        let mut c = Checker::new();
        bad.check(&mut c, "rules.");
        let Err(ApiError::Validation { errors, .. }) = c.finish() else {
            panic!("accepted")
        };
        let got: Vec<(String, String)> = errors.into_iter().map(|e| (e.field, e.rule)).collect();
        assert_eq!(
            got,
            [
                ("rules.theme_clash".to_string(), "range".to_string()),
                ("rules.comfortable_hours.from".into(), "time".into()),
                ("rules.comfortable_hours.to".into(), "time".into()),
                ("rules.outer_hours".into(), "order".into()),
            ]
        );
    }
}
