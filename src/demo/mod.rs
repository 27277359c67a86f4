//! The demo: a realistic, deterministic IGF-like meeting carried through its call for
//! proposals, the MAG's evaluation (assignment, scores), the selection and the
//! published results, so a new user sees the whole flow at once; and a second meeting
//! whose call is open today, to draft and submit in. Everything is generated from a
//! fixed seed and goes through the same query functions (and screening) as the API.
//! Seeding twice changes nothing.
//!
//! All demo accounts share the password [`DEMO_PASSWORD`]; the secretariat signs in as
//! [`SECRETARIAT_EMAIL`].

use chrono::{DateTime, NaiveDate};
use diesel::prelude::*;

use crate::auth::Role;
use crate::db::DbConn;
use crate::db::schema::{meetings, users};
use crate::error::ApiError;
use crate::meetings::queries as meeting_queries;
use crate::meetings::types::*;
use crate::proposals::queries as proposal_queries;
use crate::proposals::types::*;

mod evaluation;
mod reports;
mod schedule;
mod words;

pub use evaluation::selection_request;
use words::*;

/// Name of the demo meeting (also how a second seeding recognises it).
pub const MEETING_NAME: &str = "IGF 2027 (demo)";
/// Name of the demo meeting whose call for proposals is open.
pub const OPEN_MEETING_NAME: &str = "IGF 2028 (demo, call open)";
/// Password of every demo account.
pub const DEMO_PASSWORD: &str = "igf-demo-password";
/// The demo secretariat account.
pub const SECRETARIAT_EMAIL: &str = "secretariat@demo.igf.test";
/// Number of MAG evaluators.
pub const EVALUATORS: usize = 55;
/// Number of proposals generated.
pub const PROPOSALS: usize = 400;

/// What seeding did.
#[derive(Debug, Clone)]
pub struct Summary {
    /// The demo meeting.
    pub meeting_id: i64,
    /// Whether it was created now (false: it existed).
    pub created: bool,
    /// Proposals in the meeting.
    pub proposals: i64,
    /// Evaluator assignments made now (0 when the meeting existed).
    pub assignments: usize,
    /// Scores recorded now.
    pub scores: usize,
    /// Proposals in the published programme (approved or converted to lightning talks).
    pub selected: usize,
    /// The meeting whose call is open.
    pub open_meeting_id: i64,
    /// The published schedule version made now.
    pub schedule_version: Option<i64>,
    /// Session reports filed now (as if the meeting had been held).
    pub reports: usize,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "demo meeting {} ({}): {} proposals, {} evaluator assignments and {} scores made now, {} proposals selected and published{}; meeting {} has an open call; sign in as {} with password {:?}",
            self.meeting_id,
            if self.created {
                "created"
            } else {
                "already present"
            },
            self.proposals,
            self.assignments,
            self.scores,
            self.selected,
            match self.schedule_version {
                Some(v) => format!(
                    ", schedule version {v} published, {} session reports filed as if held",
                    self.reports
                ),
                None => String::new(),
            },
            self.open_meeting_id,
            SECRETARIAT_EMAIL,
            DEMO_PASSWORD
        )
    }
}

fn date(y: i32, m: u32, d: u32) -> anyhow::Result<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| anyhow::anyhow!("bad date"))
}

fn instant(s: &str) -> anyhow::Result<DateTime<chrono::FixedOffset>> {
    Ok(DateTime::parse_from_rfc3339(s)?)
}

/// The demo meeting's set-up request.
pub fn meeting_request() -> anyhow::Result<CreateMeetingRequest> {
    const UN_BOOTHS: [&str; 5] = ["ar", "es", "fr", "ru", "zh"];
    let rooms = [
        ("Plenary Hall", 1200, true, Layout::Theater),
        ("Main Hall B", 600, true, Layout::Theater),
        ("Workshop Room 1", 300, true, Layout::Classroom),
        ("Workshop Room 2", 300, true, Layout::Classroom),
        ("Workshop Room 3", 250, true, Layout::Classroom),
        ("Workshop Room 4", 200, true, Layout::UShape),
        ("Workshop Room 5", 200, true, Layout::UShape),
        ("Workshop Room 6", 150, true, Layout::RoundTable),
        ("Workshop Room 7", 150, true, Layout::RoundTable),
        ("Workshop Room 8", 120, true, Layout::Boardroom),
        ("Workshop Room 9", 120, true, Layout::Boardroom),
        ("Workshop Room 10", 100, true, Layout::Classroom),
        ("Open Forum A", 120, true, Layout::Theater),
        ("Open Forum B", 100, true, Layout::Theater),
        ("Open Forum C", 100, false, Layout::Theater),
        ("Lightning Talk Area", 80, true, Layout::Auditorium),
        ("Village Stage", 80, false, Layout::Auditorium),
        ("Meeting Room 1", 60, false, Layout::Boardroom),
        ("Meeting Room 2", 60, false, Layout::Boardroom),
        ("Bilateral Room", 40, false, Layout::Boardroom),
    ];
    let slot = |start: &str, d: i32| SlotTemplate {
        start: start.into(),
        duration_min: d,
    };
    Ok(CreateMeetingRequest {
        name: MEETING_NAME.into(),
        year: 2027,
        venue: "Lillestrøm, Nova Spektrum (demo)".into(),
        timezone: "Europe/Oslo".into(),
        day_zero: Some(date(2027, 6, 21)?),
        first_day: date(2027, 6, 22)?,
        last_day: date(2027, 6, 25)?,
        cfp_opens_at: instant("2026-05-01T00:00:00Z")?,
        // Open while the demo proposals are submitted; closed right after (see seed_in).
        cfp_closes_at: (chrono::Utc::now() + chrono::Duration::hours(1)).fixed_offset(),
        themes: THEMES
            .iter()
            .map(|(n, s)| ThemeInput {
                name: (*n).into(),
                description: String::new(),
                target_share: Some(*s),
            })
            .collect(),
        // The defaults, with the main sessions and the ceremonies in the plenary.
        session_types: Some(
            crate::meetings::types::default_session_types()
                .into_iter()
                .map(|mut t| {
                    if ["main_session", "opening_ceremony", "closing_ceremony"]
                        .contains(&t.code.as_str())
                    {
                        t.placement.rooms = vec![rooms[0].0.into()];
                    }
                    t
                })
                .collect(),
        ),
        rooms: rooms
            .iter()
            .enumerate()
            .map(|(i, (n, c, h, l))| RoomInput {
                name: (*n).into(),
                capacity: *c,
                hybrid: *h,
                layout: *l,
                // The two halls have booths for the UN languages besides the floor's
                // English; the halls and the two largest workshop rooms show captions.
                booths: if i < 2 {
                    UN_BOOTHS.iter().map(|l| (*l).to_string()).collect()
                } else {
                    vec![]
                },
                caption_display: i < 4,
            })
            .collect(),
        slot_template: vec![
            slot("09:00", 60),
            slot("10:15", 90),
            slot("12:00", 60),
            slot("13:15", 60),
            slot("14:30", 90),
            slot("16:15", 60),
            slot("17:30", 60),
            slot("18:45", 60),
        ],
        day_zero_slot_template: Some(vec![
            slot("09:30", 60),
            slot("11:00", 90),
            slot("14:00", 60),
            slot("15:30", 120),
        ]),
        screening: None,
        developing_countries: DEVELOPING.iter().map(|s| (*s).to_string()).collect(),
        published: true,
    })
}

struct PersonSpec {
    name: String,
    email: String,
    organisation: String,
    country: String,
    zone: String,
    stakeholder: StakeholderGroup,
    region: RegionalGroup,
    gender: Gender,
}

fn person(rng: &mut fastrand::Rng, i: usize, organisation: String) -> PersonSpec {
    let (region, zones) = pick(rng, ZONES);
    let (zone, country) = pick(rng, zones);
    let first = pick(rng, FIRST);
    let last = pick(rng, LAST);
    let gender = match rng.u32(..100) {
        0..=47 => Gender::Female,
        48..=94 => Gender::Male,
        95..=97 => Gender::NonBinary,
        _ => Gender::Undisclosed,
    };
    PersonSpec {
        name: format!("{first} {last}"),
        email: format!("person{i:04}@demo.igf.test"),
        organisation,
        country: (*country).into(),
        zone: (*zone).into(),
        stakeholder: *pick(rng, StakeholderGroup::ALL),
        region: *region,
        gender,
    }
}

fn participant(
    p: &PersonSpec,
    role: ParticipantRole,
    participation: Participation,
) -> ParticipantInput {
    ParticipantInput {
        role,
        name: p.name.clone(),
        email: Some(p.email.clone()),
        organisation: Some(p.organisation.clone()),
        country: Some(p.country.clone()),
        stakeholder_group: Some(p.stakeholder),
        regional_group: Some(p.region),
        gender: Some(p.gender),
        timezone: Some(p.zone.clone()),
        participation: Some(participation),
    }
}

/// How far seeding carries the demo meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The call has closed and evaluators are assigned; nothing is scored yet.
    Assigned,
    /// Scored, selected, decided and published.
    Published,
    /// Also turned into sessions (with ceremonies and main sessions), scheduled by the
    /// solver and the schedule published; then most sessions' reports filed and
    /// reviewed as if the meeting had been held.
    Scheduled,
}

/// Refuses to load the demo into a database that holds data of its own: the demo's
/// accounts have a published password, so they never join real accounts. A database
/// that holds the demo already is fine (seeding is then a no-op).
pub fn check_loadable(conn: &mut DbConn) -> anyhow::Result<()> {
    let existing: Option<i64> = meetings::table
        .filter(meetings::name.eq(MEETING_NAME))
        .select(meetings::id)
        .first(conn)
        .optional()?;
    if existing.is_some() {
        return Ok(());
    }
    ensure_empty(conn)
}

fn ensure_empty(conn: &mut DbConn) -> anyhow::Result<()> {
    let accounts: i64 = crate::db::schema::users::table.count().get_result(conn)?;
    let meetings: i64 = meetings::table.count().get_result(conn)?;
    if accounts > 0 || meetings > 0 {
        anyhow::bail!(
            "this database holds {accounts} account(s) and {meetings} meeting(s) of its own; \
             the demo adds accounts whose password is public, so it loads only into an \
             empty database: give another --database-url"
        );
    }
    Ok(())
}

/// Seeds the demo meeting, its accounts and proposals unless it exists already, and
/// carries it through to a published schedule.
pub fn seed(conn: &mut DbConn) -> anyhow::Result<Summary> {
    seed_to(conn, Stage::Scheduled)
}

/// Seeds the demo as [`seed`] does, but stops at `stage`. Instances starting with
/// `--demo` together take turns (an advisory lock on PostgreSQL, the write lock on
/// SQLite): the first seeds, the others find it there.
pub fn seed_to(conn: &mut DbConn, stage: Stage) -> anyhow::Result<Summary> {
    if let Some(s) = existing(conn)? {
        return Ok(s);
    }
    let hash = crate::auth::password::hash(DEMO_PASSWORD)?;
    let out = crate::db::write_tx(conn, |c| {
        crate::db::exclusive_for_transaction(c, crate::db::Exclusive::Demo)?;
        if let Some(s) = existing(c).map_err(ApiError::Internal)? {
            return Ok(s);
        }
        ensure_empty(c).map_err(ApiError::Internal)?;
        let s = seed_in(c, &hash, stage).map_err(ApiError::Internal)?;
        diesel::update(crate::db::schema::installation::table)
            .set(crate::db::schema::installation::demo_seeded.eq(true))
            .execute(c)?;
        Ok(s)
    });
    out.map_err(|e| anyhow::anyhow!("seeding the demo failed: {e:?}"))
}

/// Whether this database was ever seeded with the demo, whose accounts share a
/// published password.
pub fn was_seeded(conn: &mut DbConn) -> anyhow::Result<bool> {
    Ok(crate::db::schema::installation::table
        .select(crate::db::schema::installation::demo_seeded)
        .first::<bool>(conn)
        .optional()?
        .unwrap_or(false))
}

/// The demo's summary when it is loaded already.
fn existing(conn: &mut DbConn) -> anyhow::Result<Option<Summary>> {
    let existing: Option<i64> = meetings::table
        .filter(meetings::name.eq(MEETING_NAME))
        .select(meetings::id)
        .first(conn)
        .optional()?;
    let Some(id) = existing else {
        return Ok(None);
    };
    let proposals = crate::db::schema::proposals::table
        .filter(crate::db::schema::proposals::meeting_id.eq(id))
        .count()
        .get_result(conn)?;
    let open_meeting_id = meetings::table
        .filter(meetings::name.eq(OPEN_MEETING_NAME))
        .select(meetings::id)
        .first(conn)
        .optional()?
        .unwrap_or(0);
    Ok(Some(Summary {
        meeting_id: id,
        created: false,
        proposals,
        assignments: 0,
        scores: 0,
        selected: 0,
        open_meeting_id,
        schedule_version: None,
        reports: 0,
    }))
}

fn account(
    conn: &mut DbConn,
    email: &str,
    name: &str,
    hash: &str,
    role: Role,
) -> anyhow::Result<i64> {
    let found: Option<i64> = users::table
        .filter(users::email.eq(email))
        .select(users::id)
        .first(conn)
        .optional()?;
    match found {
        Some(id) => Ok(id),
        None => crate::auth::service::create_account(conn, None, email, name, hash, role)
            .map_err(|e| anyhow::anyhow!("{e:?}")),
    }
}

fn seed_in(conn: &mut DbConn, hash: &str, stage: Stage) -> anyhow::Result<Summary> {
    let mut rng = fastrand::Rng::with_seed(SEED);
    let secretariat = account(
        conn,
        SECRETARIAT_EMAIL,
        "IGF Secretariat (demo)",
        hash,
        Role::Secretariat,
    )?;
    let mut mag = vec![];
    for i in 1..=EVALUATORS {
        let email = format!("mag{i:02}@demo.igf.test");
        mag.push(account(
            conn,
            &email,
            &format!("MAG member {i:02}"),
            hash,
            Role::Evaluator,
        )?);
    }
    let meeting_id = create_meeting(conn, secretariat, &meeting_request()?)?;
    let meeting = meeting_queries::find(conn, meeting_id)
        .map_err(|e| anyhow::anyhow!("{e:?}"))?
        .ok_or_else(|| anyhow::anyhow!("meeting vanished"))?;
    let view = meeting_queries::view(conn, &meeting).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let theme_ids: Vec<i64> = view.themes.iter().map(|t| t.id).collect();
    let call_types: Vec<(String, Vec<i32>)> = view
        .session_types
        .iter()
        .filter(|t| t.from_call && t.code != "day_zero")
        .map(|t| (t.code.clone(), t.durations.clone()))
        .collect();

    // 140 organisations: organiser organisations cycle so none organises more than 3.
    let orgs: Vec<String> = (0..140)
        .map(|i| format!("Demo Organisation {:03}", i + 1))
        .collect();
    let proposers: Vec<i64> = (0..PROPOSALS.div_ceil(3))
        .map(|i| {
            account(
                conn,
                &format!("proposer{:03}@demo.igf.test", i + 1),
                &format!("Proposer {:03}", i + 1),
                hash,
                Role::Proposer,
            )
        })
        .collect::<anyhow::Result<_>>()?;
    let mut person_no = 0usize;
    let mut next_person = |rng: &mut fastrand::Rng, org: Option<&str>| {
        person_no += 1;
        let org = org
            .map(str::to_string)
            .unwrap_or_else(|| pick(rng, &orgs).clone());
        person(rng, person_no, org)
    };
    for i in 0..PROPOSALS {
        let topic = pick(&mut rng, TOPICS);
        let angle = pick(&mut rng, ANGLES);
        let (code, durations) = pick(&mut rng, &call_types).clone();
        let organiser = next_person(&mut rng, Some(&orgs[i % orgs.len()]));
        let mut people = vec![participant(
            &organiser,
            ParticipantRole::Organiser,
            Participation::Onsite,
        )];
        let speakers = 3 + rng.usize(..3);
        let mut any_online = false;
        for s in 0..speakers {
            let p = next_person(&mut rng, None);
            let online = s >= 2 && rng.u32(..100) < 35;
            any_online |= online;
            people.push(participant(
                &p,
                ParticipantRole::Speaker,
                if online {
                    Participation::Online
                } else {
                    Participation::Onsite
                },
            ));
        }
        // Guarantee the gender mix the screening rules ask for.
        let disclosed: std::collections::HashSet<_> = people[1..]
            .iter()
            .filter_map(|p| p.gender)
            .filter(|g| *g != Gender::Undisclosed)
            .collect();
        if disclosed.len() < 2 {
            people[1].gender = Some(Gender::Female);
            people[2].gender = Some(Gender::Male);
        }
        let moderator = next_person(&mut rng, None);
        people.push(participant(
            &moderator,
            ParticipantRole::OnsiteModerator,
            Participation::Onsite,
        ));
        if any_online || rng.bool() {
            let om = next_person(&mut rng, None);
            people.push(participant(
                &om,
                ParticipantRole::OnlineModerator,
                Participation::Online,
            ));
        }
        let rapporteur = next_person(&mut rng, None);
        people.push(participant(
            &rapporteur,
            ParticipantRole::Rapporteur,
            Participation::Onsite,
        ));
        let past = rng.u32(..100) < 30;
        let data = ProposalData {
            title: format!("{} {}", capitalise(topic), angle),
            description: format!(
                "What should the rules for {topic} be {angle}? This session brings the stakeholder groups together to compare practice and draft shared principles."
            ),
            policy_questions: vec![
                format!("What rules for {topic} work {angle}?"),
                format!("Who should be accountable for {topic}, and to whom?"),
            ],
            theme_id: Some(*pick(&mut rng, &theme_ids)),
            session_type: Some(code),
            duration_min: Some(*pick(&mut rng, &durations)),
            format: Some(*pick(&mut rng, Format::ALL)),
            layout: Some(*pick(&mut rng, Layout::ALL)),
            sdgs: vec![9, 16, 17].into_iter().filter(|_| rng.bool()).collect(),
            expected_outcomes: "A session report with recommendations for the IGF messages.".into(),
            hybrid_plan: "One speaking queue for the room and Zoom; the online moderator relays questions every 15 minutes.".into(),
            first_time: rng.u32(..100) < 35,
            developing_country: DEVELOPING.contains(&organiser.country.as_str()),
            past_organiser: past,
            previous_report_url: past.then(|| format!("https://demo.igf.test/reports/{}", 1000 + i)),
            // Some ask for real-time captioning and a few for sign language;
            // interpretation is the main sessions' (set on them by the secretariat).
            interpretation: vec![],
            captioning: i % 7 == 0,
            sign_language: i % 13 == 5,
            participants: people,
        };
        let proposer = proposers[i / 3];
        let id = proposal_queries::insert(conn, proposer, &meeting, &data)
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        // Most proposals are submitted (through screening); some stay drafts or are withdrawn.
        match i % 20 {
            0 => {}
            1 => {
                proposal_queries::withdraw(conn, proposer, &meeting, id)
                    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
            }
            _ => {
                proposal_queries::submit(conn, proposer, &meeting, id)
                    .map_err(|e| anyhow::anyhow!("demo proposal {i} failed screening: {e:?}"))?;
            }
        }
    }
    let secretariat_user = crate::auth::AuthUser {
        id: secretariat,
        role: Role::Secretariat,
    };
    // The demo secretariat lets the outer band of online hours be soft: two sessions
    // with speakers online from Mexico City fit only at 06:30 their time, and the
    // explanation counts that cost instead of leaving them out.
    let soft = crate::scheduling::rules::RuleSettings {
        outer_hours_hard: Some(false),
        ..Default::default()
    };
    crate::scheduling::rules::update(conn, &secretariat_user, meeting_id, &soft)
        .map_err(|e| anyhow::anyhow!("demo scheduling rules failed: {e:?}"))?;
    // The call closes once the demo proposals are in, so the evaluation can start.
    diesel::update(meetings::table.find(meeting_id))
        .set(meetings::cfp_closes_at.eq(crate::time::to_db(crate::time::now())))
        .execute(conn)?;
    let meeting = meeting_queries::find(conn, meeting_id)
        .map_err(|e| anyhow::anyhow!("{e:?}"))?
        .ok_or_else(|| anyhow::anyhow!("meeting vanished"))?;
    // The MAG: spread over stakeholder groups and regions; every fifth member works for
    // an organisation that also proposes, so the assignment has conflicts to avoid.
    let regions = [
        RegionalGroup::African,
        RegionalGroup::AsiaPacific,
        RegionalGroup::EasternEuropean,
        RegionalGroup::Grulac,
        RegionalGroup::Weog,
    ];
    for (i, &user) in mag.iter().enumerate() {
        let organisation = if i % 5 == 0 {
            orgs[i].clone()
        } else {
            format!("MAG home organisation {:02}", i + 1)
        };
        let expertise = vec![view.themes[i % view.themes.len()].name.clone()];
        crate::evaluation::queries::upsert_profile(
            conn,
            secretariat,
            user,
            Some(StakeholderGroup::ALL[i % StakeholderGroup::ALL.len()].as_str()),
            Some(regions[(i / 5 + i) % regions.len()].as_str()),
            Some(&organisation),
            &expertise,
        )
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    }
    let committee = crate::evaluation::committee::AddMembers {
        user_ids: mag.clone(),
    };
    let actor = crate::auth::AuthUser {
        id: secretariat,
        role: Role::Secretariat,
    };
    crate::evaluation::committee::add(conn, &actor, meeting_id, &committee)
        .map_err(|e| anyhow::anyhow!("demo committee failed: {e:?}"))?;
    let rules = crate::selection::assignment::Rules::default();
    let run = crate::evaluation::queries::run_assignment(
        conn,
        secretariat,
        meeting_id,
        &rules,
        &mut crate::watched::AtOnce,
    )
    .map_err(|e| anyhow::anyhow!("demo assignment failed: {e:?}"))?;
    let (scores, selected) = match stage {
        Stage::Assigned => (0, 0),
        Stage::Published | Stage::Scheduled => {
            evaluation::evaluate(conn, secretariat, &meeting, &mut rng)
                .map_err(|e| anyhow::anyhow!("demo evaluation failed: {e:?}"))?
        }
    };
    let (schedule, reports) = if stage == Stage::Scheduled {
        let v = schedule::schedule(conn, secretariat, &meeting)
            .map_err(|e| anyhow::anyhow!("demo scheduling failed: {e:?}"))?;
        let n = reports::file(conn, secretariat, &meeting)
            .map_err(|e| anyhow::anyhow!("demo reports failed: {e:?}"))?;
        (Some(v), n)
    } else {
        (None, 0)
    };
    let open_meeting_id = open_meeting(conn, secretariat)?;
    crate::evaluation::committee::add(conn, &actor, open_meeting_id, &committee)
        .map_err(|e| anyhow::anyhow!("demo committee failed: {e:?}"))?;
    Ok(Summary {
        meeting_id,
        created: true,
        proposals: PROPOSALS as i64,
        assignments: run.assignments,
        scores,
        selected,
        open_meeting_id,
        schedule_version: schedule,
        reports,
    })
}

/// The second demo meeting, whose call is open from 30 days ago to 180 days ahead.
fn open_meeting(conn: &mut DbConn, secretariat: i64) -> anyhow::Result<i64> {
    let mut req = meeting_request()?;
    let now = chrono::Utc::now();
    req.name = OPEN_MEETING_NAME.into();
    req.year = 2028;
    req.day_zero = Some(date(2028, 6, 19)?);
    req.first_day = date(2028, 6, 20)?;
    req.last_day = date(2028, 6, 23)?;
    req.cfp_opens_at = (now - chrono::Duration::days(30)).fixed_offset();
    req.cfp_closes_at = (now + chrono::Duration::days(180)).fixed_offset();
    create_meeting(conn, secretariat, &req)
}

/// Creates a meeting with its days and generated slots.
fn create_meeting(
    conn: &mut DbConn,
    secretariat: i64,
    req: &CreateMeetingRequest,
) -> anyhow::Result<i64> {
    let zone = crate::time::parse_zone(&req.timezone)?;
    let days = meeting_days(req.day_zero, req.first_day, req.last_day);
    let slots = generate_slots(
        zone,
        &days,
        &req.slot_template,
        req.day_zero_slot_template.as_deref(),
    )
    .map_err(|_| anyhow::anyhow!("demo slot template does not fit the zone"))?;
    meeting_queries::insert(conn, secretariat, req, &days, &slots)
        .map_err(|e| anyhow::anyhow!("{e:?}"))
}
