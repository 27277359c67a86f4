//! Every text a visitor reads on the pages, in one place, so that other languages can
//! follow: the templates take a [`Words`] and print its fields, never their own
//! sentences.

use serde::Serialize;

/// The visitor-facing texts of the public pages (English).
#[derive(Debug, Clone, Serialize)]
pub struct Words {
    /// The site's name in the header.
    pub site: &'static str,
    /// Link to skip to the content.
    pub skip: &'static str,
    /// The header's link to the working pages.
    pub sign_in_link: &'static str,
    /// Heading of the list of meetings.
    pub meetings: &'static str,
    /// When no meeting has a published programme.
    pub no_meetings: &'static str,
    /// Link from a meeting to its programme.
    pub programme: &'static str,
    /// Heading of the filters.
    pub filters: &'static str,
    /// Filter labels.
    pub day: &'static str,
    /// Theme.
    pub theme: &'static str,
    /// Session type.
    pub session_type: &'static str,
    /// Room.
    pub room: &'static str,
    /// Person search.
    pub person: &'static str,
    /// "All" in a filter.
    pub all: &'static str,
    /// The filter button.
    pub apply: &'static str,
    /// Link that drops every filter.
    pub clear: &'static str,
    /// Label of the zone switcher.
    pub zone: &'static str,
    /// Button of the zone switcher.
    pub show_in_zone: &'static str,
    /// Before the zone the times are in.
    pub times_in: &'static str,
    /// Before the venue's own time beside a time.
    pub venue_time: &'static str,
    /// A zone name the tz database does not know.
    pub unknown_zone: &'static str,
    /// Name of the links between the list and the grid.
    pub views: &'static str,
    /// The programme as a list.
    pub as_list: &'static str,
    /// The programme as a grid of rooms and times.
    pub as_grid: &'static str,
    /// Heading of the grid's time column.
    pub time: &'static str,
    /// Link to the venue's own time.
    pub show_venue_time: &'static str,
    /// A day filter that is not a date.
    pub not_a_date: &'static str,
    /// A filter value that is not a choice.
    pub not_a_choice: &'static str,
    /// A person search too long or with control characters.
    pub person_too_long: &'static str,
    /// When the filters leave nothing.
    pub nothing_matches: &'static str,
    /// Status of a cancelled session.
    pub cancelled: &'static str,
    /// Heading of the subscription box.
    pub subscribe: &'static str,
    /// What the webcal link is for.
    pub subscribe_webcal: &'static str,
    /// What the https link is for.
    pub subscribe_https: &'static str,
    /// A short how-to for the common calendar clients.
    pub subscribe_howto: &'static str,
    /// Heading of a session's people.
    pub people: &'static str,
    /// Taking part on site.
    pub onsite: &'static str,
    /// Taking part online.
    pub online: &'static str,
    /// A room that takes online participants.
    pub hybrid_room: &'static str,
    /// The online join link.
    pub join_online: &'static str,
    /// Heading of the calendar links of a session.
    pub add_to_calendar: &'static str,
    /// The session's own calendar file.
    pub calendar_file: &'static str,
    /// Back to the programme.
    pub back: &'static str,
    /// Heading of a page that does not exist.
    pub not_found: &'static str,
    /// Text of a page that does not exist.
    pub not_found_text: &'static str,
    /// The API, in the footer.
    pub api: &'static str,
    /// Link to, and heading of, the visitor's own agenda.
    pub my_agenda: &'static str,
    /// A star button.
    pub add_to_agenda: &'static str,
    /// A star button once the session is in the agenda (set by the script).
    pub in_agenda: &'static str,
    /// Button that takes a session out of the agenda.
    pub remove_from_agenda: &'static str,
    /// An agenda with nothing starred yet.
    pub agenda_empty: &'static str,
    /// Where the agenda lives.
    pub agenda_kept: &'static str,
    /// Heading of the clash warnings.
    pub clashes_heading: &'static str,
    /// Between two clashing titles and the minutes they share.
    pub overlap_by: &'static str,
    /// After a number of minutes.
    pub minutes: &'static str,
    /// Before the sessions a session clashes with.
    pub clashes_with: &'static str,
    /// Heading of the agenda's calendar links.
    pub agenda_calendar: &'static str,
    /// A copy button.
    pub copy: &'static str,
    /// What a copy button says once it has copied.
    pub copied: &'static str,
    /// A star for a session the programme does not have.
    pub no_such_session: &'static str,
    /// Removing from an agenda this browser does not hold.
    pub no_agenda_yet: &'static str,
    /// A star posted from another site.
    pub star_elsewhere: &'static str,
    /// The limit on new agendas from one address.
    pub too_many_agendas: &'static str,
    /// A star form without a session.
    pub not_a_session: &'static str,
    /// What the star's status says once the session is in (the script).
    pub star_added: &'static str,
    /// …and when it clashes ({n} is the number of sessions).
    pub star_clashes: &'static str,
    /// Before a room's number of seats.
    pub capacity: &'static str,
    /// Heading of the sessions on a room, theme or person page.
    pub sessions_of: &'static str,
    /// Link to, and heading of, the transparency report.
    pub report: &'static str,
    /// What the report is.
    pub report_intro: &'static str,
    /// A preview before results are published.
    pub report_preview: &'static str,
    /// Before the time results were published.
    pub published_on: &'static str,
    /// Heading of the outcomes.
    pub outcomes: &'static str,
    /// Column of a proposal's outcome.
    pub outcome: &'static str,
    /// Column of a number of proposals.
    pub proposals_count: &'static str,
    /// Heading of the programme's diversity.
    pub diversity: &'static str,
    /// After the number of proposals the shares are of.
    pub proposals_in_programme: &'static str,
    /// After the number of people the shares are of.
    pub people_in_programme: &'static str,
    /// Before what a chart's shares are of.
    pub shares_of: &'static str,
    /// When every target is met.
    pub all_targets_met: &'static str,
    /// When some target is not met.
    pub some_targets_missed: &'static str,
    /// Chart: stakeholder groups.
    pub by_stakeholder: &'static str,
    /// Chart: regional groups.
    pub by_region: &'static str,
    /// Chart: genders.
    pub by_gender: &'static str,
    /// Chart: themes.
    pub by_theme: &'static str,
    /// Chart: first-time and developing-country organisers.
    pub by_organiser: &'static str,
    /// First-time proposals.
    pub first_time: &'static str,
    /// Developing-country proposals.
    pub developing_country: &'static str,
    /// Column of a group.
    pub group: &'static str,
    /// Column of a share.
    pub share: &'static str,
    /// Column of a target.
    pub target: &'static str,
    /// Column of whether a target is met.
    pub met: &'static str,
    /// Before a minimum share.
    pub at_least: &'static str,
    /// Before a maximum share.
    pub at_most: &'static str,
    /// A target met.
    pub target_met: &'static str,
    /// A target not met.
    pub target_missed: &'static str,
    /// No target.
    pub no_target: &'static str,
    /// What a chart's dashed lines are.
    pub chart_note: &'static str,
    /// Heading of every proposal's line.
    pub every_proposal: &'static str,
    /// Column of a decision's reason.
    pub reason: &'static str,
    /// Column of the number of scores.
    pub scores: &'static str,
    /// Column of the mean score.
    pub mean: &'static str,
    /// Column of the normalised score.
    pub normalised: &'static str,
    /// A proposal withdrawn after its decision.
    pub withdrawn: &'static str,
    /// A proposal without a decision.
    pub undecided: &'static str,
    /// Heading of the normalisation note.
    pub how_normalised: &'static str,
    /// Column of a number of people.
    pub people_count: &'static str,
    /// Column of a proposal's title.
    pub proposal: &'static str,
    /// Link to, and heading of, what runs now and next.
    pub now_and_next: &'static str,
    /// Heading of the sessions running.
    pub on_now: &'static str,
    /// Heading of the sessions starting next.
    pub up_next: &'static str,
    /// Before the moment the page is about.
    pub at_moment: &'static str,
    /// Before the first session.
    pub not_started: &'static str,
    /// After the last session.
    pub has_ended: &'static str,
    /// Nothing runs at the moment.
    pub between_sessions: &'static str,
    /// A moment asked for that is not one.
    pub not_an_instant: &'static str,
    /// Heading of a session's policy questions.
    pub policy_questions: &'static str,
    /// A day filter outside the meeting.
    pub not_a_day_of_meeting: &'static str,
    /// What a hub's page is about.
    pub hub: &'static str,
    /// Before the hub's own zone.
    pub hub_time: &'static str,
    /// Heading of a hub's subscription box.
    pub subscribe_hub: &'static str,
    /// A hub that follows no session.
    pub hub_follows_nothing: &'static str,
    /// Heading of the meeting's remote hubs.
    pub hubs: &'static str,
    /// A room, theme or person page with no session.
    pub nothing_here: &'static str,
    /// How each role on a session is named.
    pub roles: [(&'static str, &'static str); 5],
    /// How the stakeholder groups, regional groups, genders and outcomes are named.
    pub groups: [(&'static str, &'static str); 19],
}

/// The name a table gives a code, or the code itself if it has none.
fn named<'a>(table: &[(&'static str, &'static str)], code: &'a str) -> &'a str {
    table
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(code, |(_, w)| w)
}

impl Words {
    /// The name of a group or outcome (the code itself if it has none).
    pub fn group<'a>(&self, code: &'a str) -> &'a str {
        named(&self.groups, code)
    }

    /// The name of a role on a session (the code itself if it has none).
    pub fn role<'a>(&self, code: &'a str) -> &'a str {
        named(&self.roles, code)
    }
}

/// The texts in English.
pub const EN: Words = Words {
    site: "IGF programme",
    skip: "Skip to the programme",
    sign_in_link: "Sign in",
    meetings: "Meetings",
    no_meetings: "No meeting has published its programme yet.",
    programme: "Programme",
    filters: "Filter the programme",
    day: "Day",
    theme: "Theme",
    session_type: "Session type",
    room: "Room",
    person: "Speaker or moderator",
    all: "All",
    apply: "Show",
    clear: "Show everything",
    zone: "Time zone",
    show_in_zone: "Show times in this zone",
    times_in: "Times are shown in",
    venue_time: "venue time",
    unknown_zone: "is not a time zone we know; times are shown in venue time. Use a name such as Africa/Nairobi.",
    views: "Show the programme as",
    as_list: "List",
    as_grid: "Grid by room",
    time: "Time",
    show_venue_time: "Show venue time",
    not_a_date: "is not a date such as 2026-06-23.",
    not_a_choice: "is not one of the choices.",
    person_too_long: "Type at most 200 letters, without control characters.",
    nothing_matches: "No session matches these filters.",
    cancelled: "Cancelled",
    subscribe: "Subscribe to this programme in your calendar",
    subscribe_webcal: "Subscribe in your calendar app",
    subscribe_https: "Calendar link (https)",
    subscribe_howto: "On a phone or in Apple Calendar or Outlook, open the subscribe link. In Google Calendar, choose Other calendars, From URL, and paste the https link. Your calendar shows each session at the right time wherever you are, and follows changes to the programme.",
    people: "People",
    onsite: "on site",
    online: "online",
    hybrid_room: "can be followed online",
    join_online: "Join online",
    add_to_calendar: "Add to your calendar",
    calendar_file: "Calendar file (.ics)",
    back: "Back to the programme",
    not_found: "Page not found",
    not_found_text: "There is no such page, or what it would show is not published yet.",
    api: "API",
    my_agenda: "My agenda",
    add_to_agenda: "Add to my agenda",
    in_agenda: "In my agenda ✓",
    remove_from_agenda: "Remove",
    agenda_empty: "Nothing is in your agenda yet. Choose “Add to my agenda” beside any session of the programme; no account is needed.",
    agenda_kept: "Your agenda is kept in this browser. Its calendar link below is its key: anyone with the link can read it, so share it only with your own devices.",
    clashes_heading: "These sessions overlap",
    overlap_by: "overlap by",
    minutes: "minutes",
    clashes_with: "Clashes with",
    agenda_calendar: "Your agenda in your calendar",
    copy: "Copy",
    copied: "Copied",
    no_such_session: "That session is not in this meeting's published programme.",
    no_agenda_yet: "This browser holds no agenda for this meeting yet.",
    star_elsewhere: "Sessions can be added only from this site's own pages.",
    too_many_agendas: "Too many agendas were made from your network in the last hour; try again later.",
    not_a_session: "The form did not name a session.",
    star_added: "Added to your agenda.",
    star_clashes: "It overlaps {n} other session(s) in your agenda: see My agenda.",
    capacity: "Seats:",
    sessions_of: "Sessions",
    report: "Transparency report",
    report_intro: "How the programme was chosen: every submitted proposal's outcome with its anonymous scores, and how diverse the chosen programme is against the targets the committee set. No evaluator, email or person's gender is shown; gender is counted only in aggregate.",
    report_preview: "Preview: results are not published yet; only the secretariat sees this.",
    published_on: "Results published",
    outcomes: "Outcomes",
    outcome: "Outcome",
    proposals_count: "Proposals",
    diversity: "The programme's diversity",
    proposals_in_programme: "proposals in the programme",
    people_in_programme: "people in the programme's line-ups (a person in two sessions counts twice)",
    shares_of: "Shares of",
    all_targets_met: "Every target is met.",
    some_targets_missed: "Some targets are not met; the tables say which.",
    by_stakeholder: "Proposals with an organiser from each stakeholder group",
    by_region: "Proposals with an organiser from each UN regional group",
    by_gender: "People by gender",
    by_theme: "Proposals by theme",
    by_organiser: "Organisers",
    first_time: "First-time organisers",
    developing_country: "From developing countries",
    group: "Group",
    share: "Share",
    target: "Target",
    met: "Met",
    at_least: "at least",
    at_most: "at most",
    target_met: "yes",
    target_missed: "no: below target",
    no_target: "no target",
    chart_note: "Dashed lines mark the target range.",
    every_proposal: "Every proposal",
    reason: "Reason",
    scores: "Scores",
    mean: "Mean",
    normalised: "Normalised",
    withdrawn: "withdrawn after the decision",
    undecided: "no decision",
    how_normalised: "How scores are normalised",
    people_count: "People",
    proposal: "Proposal",
    now_and_next: "Now and next",
    on_now: "On now",
    up_next: "Up next",
    at_moment: "At",
    not_started: "The meeting has not started yet; its first sessions are below.",
    has_ended: "The meeting has ended. Thank you for taking part.",
    between_sessions: "No session is running at this moment.",
    not_an_instant: "is not a moment such as 2027-06-23T09:30:00Z; this is the present.",
    policy_questions: "Policy questions",
    not_a_day_of_meeting: "is not a day of this meeting.",
    hub: "Remote hub",
    hub_time: "hub time",
    subscribe_hub: "Subscribe to this hub's sessions in your calendar",
    hub_follows_nothing: "This hub follows no session of the published programme yet.",
    hubs: "Remote hubs",
    nothing_here: "No session of the published programme is here.",
    roles: [
        ("organiser", "Organiser"),
        ("speaker", "Speaker"),
        ("onsite_moderator", "Moderator"),
        ("online_moderator", "Online moderator"),
        ("rapporteur", "Rapporteur"),
    ],
    groups: [
        ("government", "Government"),
        ("private_sector", "Private sector"),
        ("civil_society", "Civil society"),
        ("technical_community", "Technical community"),
        (
            "intergovernmental_organization",
            "Intergovernmental organisation",
        ),
        ("african", "African"),
        ("asia_pacific", "Asia-Pacific"),
        ("eastern_european", "Eastern European"),
        ("grulac", "Latin America and Caribbean"),
        ("weog", "Western European and Others"),
        ("female", "Women"),
        ("male", "Men"),
        ("non_binary", "Non-binary"),
        ("undisclosed", "Not disclosed"),
        ("approved", "Approved"),
        ("approved_if_merged", "Approved if merged"),
        ("lightning", "Lightning talk"),
        ("waitlisted", "Waitlisted"),
        ("declined", "Declined"),
    ],
};

/// The texts of the working pages (English).
#[derive(Debug, Clone, Serialize)]
pub struct DeskWords {
    /// Heading of the proposer's own facts.
    pub about_you: &'static str,
    /// Link and heading of the account page.
    pub account: &'static str,
    /// Button that adds a row of people.
    pub add_person: &'static str,
    /// Said on a proposal under blind review.
    pub blind: &'static str,
    /// Heading when the call is not open.
    pub call_closed: &'static str,
    /// When the call is not open.
    pub call_closed_text: &'static str,
    /// When the call opens.
    pub call_opens: &'static str,
    /// Heading and button of the password form.
    pub change_password: &'static str,
    /// When another save came first.
    pub changed_elsewhere: &'static str,
    /// The empty option of a select.
    pub choose: &'static str,
    /// Label of the evaluator's comment.
    pub comment: &'static str,
    /// Heading of the conflict form.
    pub conflict: &'static str,
    /// What declaring a conflict does.
    pub conflict_about: &'static str,
    /// After a conflict is declared.
    pub conflict_recorded: &'static str,
    /// Label of the merge suggestion.
    pub could_merge_with: &'static str,
    /// Label of a person's country.
    pub country: &'static str,
    /// Hint for the country.
    pub country_hint: &'static str,
    /// Label.
    pub current_password: &'static str,
    /// The call's deadline.
    pub deadline: &'static str,
    /// Button.
    pub declare_conflict: &'static str,
    /// Label of a proposal's description.
    pub description_label: &'static str,
    /// What the working pages are for.
    pub desk_about: &'static str,
    /// Checkbox.
    pub developing_country: &'static str,
    /// Label.
    pub duration: &'static str,
    /// Label.
    pub email: &'static str,
    /// Heading and button.
    pub everywhere: &'static str,
    /// What it does.
    pub everywhere_about: &'static str,
    /// Label.
    pub expected_outcomes: &'static str,
    /// Heading of a server failure.
    pub failed: &'static str,
    /// Text of a server failure.
    pub failed_text: &'static str,
    /// Checkbox.
    pub first_time: &'static str,
    /// Label.
    pub format: &'static str,
    /// Label.
    pub full_name: &'static str,
    /// Label.
    pub gender: &'static str,
    /// Before the sign-in link.
    pub have_account: &'static str,
    /// Label.
    pub home_zone: &'static str,
    /// Label.
    pub hybrid_plan: &'static str,
    /// Legend of what a proposal asks of the venue's services.
    pub needs: &'static str,
    /// Label of the interpretation languages asked for.
    pub interpretation: &'static str,
    /// Hint under it.
    pub interpretation_hint: &'static str,
    /// Check box of real-time captioning.
    pub captioning: &'static str,
    /// Check box of sign language.
    pub sign_language: &'static str,
    /// Label.
    pub layout: &'static str,
    /// Hint.
    pub merge_hint: &'static str,
    /// Hint below the rows.
    pub more_people: &'static str,
    /// Link and heading.
    pub my_assignments: &'static str,
    /// Link and heading of the home page.
    pub my_desk: &'static str,
    /// Link and heading.
    pub my_proposals: &'static str,
    /// Heading of the messages page
    pub messages: &'static str,
    /// Heading of the accounts' messages page
    pub account_messages: &'static str,
    /// The filter that shows every message
    pub all_messages: &'static str,
    /// After a count of messages
    pub messages_word: &'static str,
    /// What the messages page shows
    pub messages_about: &'static str,
    /// What the accounts' messages page shows
    pub account_messages_about: &'static str,
    /// Column: when a message was written
    pub written: &'static str,
    /// Column: what a message tells
    pub message_kind: &'static str,
    /// Column: to whom
    pub recipient: &'static str,
    /// Column: subject line
    pub subject: &'static str,
    /// Column: a message's state
    pub state_word: &'static str,
    /// Column: attempts made
    pub attempts: &'static str,
    /// Column: why the last attempt failed
    pub last_error: &'static str,
    /// Before when a message is tried next
    pub next_attempt: &'static str,
    /// Label.
    pub new_password: &'static str,
    /// Title of the page that confirms an address
    pub confirm_title: &'static str,
    /// What confirming an address does
    pub confirm_about: &'static str,
    /// The button that confirms an address
    pub confirm_button: &'static str,
    /// Title of the page that asks for a reset link
    pub forgot_title: &'static str,
    /// What asking for a reset link does
    pub forgot_about: &'static str,
    /// The button that asks for a reset link
    pub forgot_button: &'static str,
    /// The link to the page that asks for a reset link
    pub forgot_link: &'static str,
    /// Title of the page that sets a new password through its link
    pub reset_title: &'static str,
    /// What setting a new password through its link does
    pub reset_about: &'static str,
    /// The button that sets a new password
    pub reset_button: &'static str,
    /// Said after a reset link was asked for, whether or not one was sent
    pub reset_sent: &'static str,
    /// Said after a reset link was asked for where no email is sent
    pub reset_no_email: &'static str,
    /// Said after registering where the address must be confirmed first
    pub register_sent: &'static str,
    /// Title of the page said after registering
    pub register_sent_title: &'static str,
    /// Said after registering where this browser could not be signed in
    pub register_not_signed_in: &'static str,
    /// A link that has expired or has been used
    pub link_dead: &'static str,
    /// Link and heading.
    pub new_proposal: &'static str,
    /// Before the registration link.
    pub no_account: &'static str,
    /// Empty list.
    pub no_proposals: &'static str,
    /// Why the form is read-only.
    pub not_editable: &'static str,
    /// Empty list.
    pub nothing_assigned: &'static str,
    /// Empty home.
    pub nothing_yet: &'static str,
    /// Hint.
    pub one_per_line: &'static str,
    /// Label.
    pub organisation: &'static str,
    /// Label.
    pub outcome: &'static str,
    /// Label.
    pub participation: &'static str,
    /// Label.
    pub password: &'static str,
    /// Label.
    pub password_again: &'static str,
    /// After the change.
    pub password_changed: &'static str,
    /// Hint.
    pub password_ends_others: &'static str,
    /// Hint.
    pub password_rule: &'static str,
    /// Error.
    pub passwords_differ: &'static str,
    /// Checkbox.
    pub past_organiser: &'static str,
    /// Heading.
    pub people: &'static str,
    /// Hint.
    pub people_hint: &'static str,
    /// Legend of a row.
    pub person: &'static str,
    /// Label.
    pub phase: &'static str,
    /// Label.
    pub policy_questions_label: &'static str,
    /// Label.
    pub previous_report: &'static str,
    /// Label.
    pub progress: &'static str,
    /// Heading.
    pub proposal: &'static str,
    /// Label.
    pub reason: &'static str,
    /// Heading.
    pub refused: &'static str,
    /// Label.
    pub region: &'static str,
    /// Link, heading and button.
    pub register: &'static str,
    /// What registering gives.
    pub register_about: &'static str,
    /// Link.
    pub report: &'static str,
    /// Label.
    pub role: &'static str,
    /// Rule.
    pub rule_duration: &'static str,
    /// Rule.
    pub rule_gender: &'static str,
    /// Rule.
    pub rule_no_mag: &'static str,
    /// Rule.
    pub rule_online_moderator: &'static str,
    /// Rule.
    pub rule_onsite_moderator: &'static str,
    /// Rule.
    pub rule_onsite_speakers: &'static str,
    /// Rule.
    pub rule_per_organisation: &'static str,
    /// Rule.
    pub rule_per_organiser: &'static str,
    /// Rule.
    pub rule_report: &'static str,
    /// Rule.
    pub rule_required: &'static str,
    /// Rule.
    pub rule_speakers: &'static str,
    /// Rule.
    pub rule_window: &'static str,
    /// Heading.
    pub rules: &'static str,
    /// Button.
    pub save: &'static str,
    /// Button.
    pub save_and_submit: &'static str,
    /// Button.
    pub save_draft: &'static str,
    /// Button.
    pub save_score: &'static str,
    /// After a save.
    pub saved: &'static str,
    /// Heading.
    pub score: &'static str,
    /// After a save.
    pub score_saved: &'static str,
    /// After a count.
    pub scored: &'static str,
    /// Mark.
    pub scored_one: &'static str,
    /// When scoring is not open.
    pub scoring_not_open: &'static str,
    /// Heading.
    pub screening: &'static str,
    /// When nothing is wrong.
    pub screening_clear: &'static str,
    /// Before the first save.
    pub screening_first: &'static str,
    /// After a count.
    pub screening_some: &'static str,
    /// Legend.
    pub sdgs: &'static str,
    /// Heading.
    pub session_types: &'static str,
    /// Link, heading and button.
    pub sign_in: &'static str,
    /// Hint.
    pub sign_in_first: &'static str,
    /// Button.
    pub sign_out: &'static str,
    /// Label.
    pub stakeholder_group: &'static str,
    /// Heading.
    pub stale_form: &'static str,
    /// Text.
    pub stale_form_text: &'static str,
    /// Label.
    pub state: &'static str,
    /// Link and heading.
    pub the_call: &'static str,
    /// Heading.
    pub the_proposal: &'static str,
    /// Heading.
    pub themes: &'static str,
    /// Label.
    pub title: &'static str,
    /// Mark.
    pub to_score: &'static str,
    /// Link.
    pub try_again: &'static str,
    /// Button.
    pub withdraw: &'static str,
    /// A sign-in refused where addresses must be confirmed first
    pub wrong_or_unconfirmed: &'static str,
    /// Error.
    pub wrong_password: &'static str,
    /// Label.
    pub your_name: &'static str,
    /// Add evaluators to the committee
    pub add_members: &'static str,
    /// Add a room
    pub add_room: &'static str,
    /// Add a theme
    pub add_theme: &'static str,
    /// added
    pub added: &'static str,
    /// Assign evaluators
    pub assign: &'static str,
    /// Every submitted proposal gets evaluators from the committee with no conflict of interest, spread over stakeholder groups and regions; a second run keeps what it can.
    pub assign_about: &'static str,
    /// The assignment has run.
    pub assigned_now: &'static str,
    /// What the assignment did
    pub assignment_run: &'static str,
    /// Assignments
    pub assignments: &'static str,
    /// assignments of
    pub assignments_of: &'static str,
    /// at least (%)
    pub at_least: &'static str,
    /// at most (%)
    pub at_most: &'static str,
    /// Capacity
    pub capacity: &'static str,
    /// chosen of
    pub chosen_of: &'static str,
    /// Close scoring
    pub close_scoring: &'static str,
    /// Committee
    pub committee: &'static str,
    /// The committee is changed.
    pub committee_changed: &'static str,
    /// Where things stand
    pub counts: &'static str,
    /// Dashboard
    pub dashboard: &'static str,
    /// Proposals decided
    pub decided: &'static str,
    /// The run's decisions are recorded.
    pub decisions_recorded: &'static str,
    /// Organisers from developing countries, at least (%)
    pub developing_share: &'static str,
    /// Diversity bonus
    pub diversity_bonus: &'static str,
    /// Weight of a line-up's diversity against its score; 0 for none.
    pub diversity_bonus_hint: &'static str,
    /// Evaluation
    pub evaluation: &'static str,
    /// evaluators
    pub evaluators_word: &'static str,
    /// Filter the proposals
    pub filter_proposals: &'static str,
    /// First-time organisers, at least (%)
    pub first_time_share: &'static str,
    /// found
    pub found: &'static str,
    /// proposed through the call
    pub from_call: &'static str,
    /// gap to the bound
    pub gap: &'static str,
    /// Hybrid
    pub hybrid: &'static str,
    /// inactive
    pub inactive: &'static str,
    /// The meeting's pages
    pub manage_nav: &'static str,
    /// Leave empty for no limit.
    pub max_hint: &'static str,
    /// Most sessions per organisation
    pub max_per_organisation: &'static str,
    /// Most sessions per speaker
    pub max_per_speaker: &'static str,
    /// Mean
    pub mean: &'static str,
    /// Member
    pub member: &'static str,
    /// Stakeholder groups among a proposal's evaluators, at least
    pub min_groups: &'static str,
    /// Regions among a proposal's evaluators, at least
    pub min_regions: &'static str,
    /// Scores a proposal needs
    pub min_scores: &'static str,
    /// Proposals with fewer scores are left out.
    pub min_scores_hint: &'static str,
    /// Name
    pub name: &'static str,
    /// Next
    pub next: &'static str,
    /// The link to download the proposals shown
    pub download_proposals: &'static str,
    /// The link to download the results
    pub download_results: &'static str,
    /// The link to download every score
    pub download_scores: &'static str,
    /// The link to download an evaluator's assignments
    pub download_assignments: &'static str,
    /// What needs doing
    pub next_steps: &'static str,
    /// No one is on the committee yet.
    pub no_members: &'static str,
    /// Nothing found.
    pub none_found: &'static str,
    /// Normalised
    pub normalised: &'static str,
    /// Nothing needs doing now.
    pub nothing_to_do: &'static str,
    /// Objective
    pub objective: &'static str,
    /// Open scoring
    pub open_scoring: &'static str,
    /// Page
    pub page: &'static str,
    /// Evaluators per proposal
    pub per_proposal: &'static str,
    /// A percentage, e.g. 25.
    pub percent_hint: &'static str,
    /// The evaluation has moved on.
    pub phase_moved: &'static str,
    /// polarising
    pub polarising: &'static str,
    /// Previous
    pub previous: &'static str,
    /// Proposals
    pub proposals: &'static str,
    /// proposals to
    pub proposals_to: &'static str,
    /// proposals
    pub proposals_word: &'static str,
    /// Proposed outcomes
    pub proposed_outcomes: &'static str,
    /// Publish the results
    pub publish_results: &'static str,
    /// Quotas and targets
    pub quotas: &'static str,
    /// The optimiser chooses the programme with the best scores that meets every quota and target, and says why each proposal is in or out.
    pub quotas_about: &'static str,
    /// Rank
    pub rank: &'static str,
    /// Record these decisions
    pub record_decisions: &'static str,
    /// Regions, each at least (%)
    pub region_shares: &'static str,
    /// Remove
    pub remove: &'static str,
    /// removed
    pub removed: &'static str,
    /// Open scoring again
    pub reopen_scoring: &'static str,
    /// Results
    pub results: &'static str,
    /// Each proposal's scores: the mean, their spread (standard deviation), and the score normalised for each evaluator's habits; polarising proposals split their evaluators.
    pub results_about: &'static str,
    /// Rooms
    pub rooms: &'static str,
    /// Run
    pub run: &'static str,
    /// Run again with other quotas
    pub run_again: &'static str,
    /// Run the selection
    pub run_selection: &'static str,
    /// Scores in
    pub scores_in: &'static str,
    /// Scores
    pub scores_word: &'static str,
    /// Scoring
    pub scoring_progress: &'static str,
    /// SD
    pub sd: &'static str,
    /// Title or text
    pub search: &'static str,
    /// Selection
    pub selection: &'static str,
    /// Set-up
    pub setup: &'static str,
    /// The set-up is changed.
    pub setup_changed: &'static str,
    /// Session types, days and slots are changed through the API for now.
    pub shape_in_api: &'static str,
    /// Shortfalls
    pub shortfalls: &'static str,
    /// Time slots
    pub slots: &'static str,
    /// Sessions per type
    pub slots_per_type: &'static str,
    /// Stakeholder groups, each at least (%)
    pub stakeholder_shares: &'static str,
    /// Assign evaluators to the submitted proposals.
    pub step_assign: &'static str,
    /// The call is open: proposals are coming in.
    pub step_call_open: &'static str,
    /// Every assignment is scored: close scoring.
    pub step_close_scoring: &'static str,
    /// Name the evaluators of the committee.
    pub step_committee: &'static str,
    /// The call has closed and evaluators are assigned: open scoring.
    pub step_open_scoring: &'static str,
    /// Decisions are recorded: publish the results when they are final.
    pub step_publish: &'static str,
    /// The results are published; the transparency report is public.
    pub step_published: &'static str,
    /// Scoring is open; scores in:
    pub step_scoring: &'static str,
    /// Run the selection and record its decisions.
    pub step_select: &'static str,
    /// Target share (%)
    pub target_share: &'static str,
    /// Themes
    pub theme_shares: &'static str,
    /// Left empty, each theme's target share applies, less 5 points.
    pub theme_shares_hint: &'static str,
    /// Time limit (seconds)
    pub time_limit: &'static str,
    /// 30 when empty; past it the best programme found is kept.
    pub time_limit_hint: &'static str,
    /// Programme size
    pub total: &'static str,
    /// Empty: the sum of the sessions per type.
    pub total_hint: &'static str,
    /// Waitlist
    pub waitlist: &'static str,
    /// How many proposals wait for a place.
    pub waitlist_hint: &'static str,
    /// Working… this may take up to the time limit.
    pub working: &'static str,
    /// Schedule board
    pub board: &'static str,
    /// times in venue time
    pub times_venue: &'static str,
    /// A solve or repair is running: watch it.
    pub job_running: &'static str,
    /// Moved.
    pub move_made: &'static str,
    /// The moved session pays no soft cost where it is now.
    pub no_cost_here: &'static str,
    /// There is no schedule yet: run a solve below.
    pub no_schedule: &'static str,
    /// Version
    pub version: &'static str,
    /// Show
    pub show: &'static str,
    /// hard
    pub hard_word: &'static str,
    /// soft
    pub soft_word: &'static str,
    /// published
    pub published_word: &'static str,
    /// This is not the newest version: a move from here would pass over a later change, so it is refused.
    pub not_newest: &'static str,
    /// Open the newest.
    pub open_newest: &'static str,
    /// Publish this version
    pub publish_version: &'static str,
    /// Compare with the published version
    pub compare_published: &'static str,
    /// Compare with the version it came from
    pub compare_parent: &'static str,
    /// Days
    pub days: &'static str,
    /// Moving
    pub moving: &'static str,
    /// choose a cell below and press its button.
    pub choose_cell: &'static str,
    /// Cancel
    pub cancel_move: &'static str,
    /// Time
    pub time: &'static str,
    /// pinned
    pub pinned: &'static str,
    /// Costs
    pub costs: &'static str,
    /// Move
    pub move_it: &'static str,
    /// Pin here
    pub pin: &'static str,
    /// Unpin
    pub unpin: &'static str,
    /// Move here
    pub move_here: &'static str,
    /// Not placed
    pub unplaced: &'static str,
    /// Every session is placed.
    pub all_placed: &'static str,
    /// Place
    pub place: &'static str,
    /// Solve or repair
    pub solve: &'static str,
    /// A solve places every session anew; a repair starts from the published schedule and moves as few sessions as it can. Pinned sessions stay where they are.
    pub solve_about: &'static str,
    /// Kind
    pub job_kind: &'static str,
    /// Solve
    pub kind_solve: &'static str,
    /// Repair
    pub kind_repair: &'static str,
    /// Start
    pub start_job: &'static str,
    /// Job
    pub job: &'static str,
    /// Best so far
    pub best_so_far: &'static str,
    /// While it runs, the search counts the cost of times only; the version it stores counts rooms too.
    pub best_note: &'static str,
    /// Stop and keep the best so far
    pub stop_job: &'static str,
    /// It made version
    pub made_version: &'static str,
    /// Open it on the board
    pub open_on_board: &'static str,
    /// Compare versions
    pub compare: &'static str,
    /// against
    pub against: &'static str,
    /// moved
    pub moved_word: &'static str,
    /// unchanged
    pub unchanged: &'static str,
    /// Moved
    pub moved_heading: &'static str,
    /// Was
    pub was: &'static str,
    /// Now
    pub now: &'static str,
    /// Added
    pub added_heading: &'static str,
    /// No longer placed
    pub removed_heading: &'static str,
    /// Soft cost of the schedule:
    pub moved_cost: &'static str,
    /// points
    pub soft_points: &'static str,
    /// The move is refused: it would break a hard rule. Nothing was changed.
    pub move_refused: &'static str,
    /// Heading of a form kept to be sent again.
    pub resend_title: &'static str,
    /// Why a form was kept rather than accepted.
    pub resend_stale: &'static str,
    /// What happens once signed in again.
    pub resend_signed_in: &'static str,
    /// On the sign-in page that keeps a form.
    pub resend_sign_in_first: &'static str,
    /// Button.
    pub send_again: &'static str,
    /// Summary of what a kept form holds.
    pub what_you_typed: &'static str,
    /// Summary of a row's change form.
    pub change: &'static str,
    /// Button.
    pub save_changes: &'static str,
    /// Label.
    pub code: &'static str,
    /// Hint.
    pub code_hint: &'static str,
    /// Label.
    pub durations: &'static str,
    /// Hint.
    pub durations_hint: &'static str,
    /// Label.
    pub exclusive: &'static str,
    /// Label.
    pub placement_days: &'static str,
    /// Label.
    pub position: &'static str,
    /// Choice.
    pub no_position: &'static str,
    /// Legend.
    pub type_rooms: &'static str,
    /// Hint.
    pub type_rooms_hint: &'static str,
    /// Heading and button.
    pub add_type: &'static str,
    /// Heading and button.
    pub add_day: &'static str,
    /// Hint.
    pub day_number_hint: &'static str,
    /// Label.
    pub date: &'static str,
    /// Hint.
    pub date_hint: &'static str,
    /// Label.
    pub copy_slots: &'static str,
    /// Choice.
    pub no_copy: &'static str,
    /// Column.
    pub slots_count: &'static str,
    /// Label.
    pub number: &'static str,
    /// Names of the codes the forms offer, where they differ from [`Words::group`].
    pub choices: &'static [(&'static str, &'static str)],
    /// Link that reads a running job again (without the script).
    pub refresh: &'static str,
    /// Heading of the list of what a refused form got wrong.
    pub problem_heading: &'static str,
    /// After a count of one.
    pub thing_to_fix: &'static str,
    /// Column of a proposal's score.
    pub score_col: &'static str,
    /// After a pin.
    pub pinned_now: &'static str,
    /// After an unpin.
    pub unpinned_now: &'static str,
    /// A pin from a board that is not the newest.
    pub pin_stale: &'static str,
    /// A card pinned somewhere else.
    pub pinned_elsewhere: &'static str,
    /// After submitting.
    pub submitted_now: &'static str,
    /// After a version is published.
    pub version_published: &'static str,
    /// Heading and button.
    pub add_slot: &'static str,
    /// Label.
    pub start_time: &'static str,
    /// Hint.
    pub venue_time_hint: &'static str,
    /// Column of a recorded decision.
    pub recorded: &'static str,
    /// Heading.
    pub decide_one: &'static str,
    /// Hint.
    pub decide_one_hint: &'static str,
    /// Label.
    pub merge_with: &'static str,
    /// Hint.
    pub merge_with_hint: &'static str,
    /// Button.
    pub record_one: &'static str,
    /// Before a hard rule a schedule breaks.
    pub hard_rule: &'static str,
    /// Label of what a running job is doing.
    pub doing_now: &'static str,
    /// Label and column of a room's interpretation booths.
    pub booths: &'static str,
    /// Hint under the booths field.
    pub booths_hint: &'static str,
    /// Check box of a room's caption display.
    pub caption_display: &'static str,
    /// Column of a room's caption display.
    pub captions_short: &'static str,
    /// Link from a finished assignment job.
    pub see_assignment: &'static str,
    /// Link from a finished selection job.
    pub open_programme: &'static str,
    /// Link from a job that failed for its request.
    pub change_and_rerun: &'static str,
    /// Stop button of an assignment or a selection (they keep nothing half done).
    pub stop_action: &'static str,
    /// Note under the progress of a search that cannot count its steps.
    pub uncounted_note: &'static str,
    /// Notice on a form opened again from a job that failed for its request.
    pub job_failed_for: &'static str,
}

impl DeskWords {
    /// The name of a code on a form (a role, a group, a status), the code itself if
    /// it has none.
    pub fn choice<'a>(&self, code: &'a str) -> &'a str {
        match self.choices.iter().find(|(c, _)| *c == code) {
            Some((_, w)) => w,
            None => EN.group(code),
        }
    }

    /// The name of a role of accounts.
    pub fn role_name(&self, role: crate::auth::Role) -> &'static str {
        match role {
            crate::auth::Role::Proposer => "proposer",
            crate::auth::Role::Evaluator => "evaluator",
            crate::auth::Role::Secretariat => "secretariat",
        }
    }
}

/// The working pages' texts in English.
pub const DESK: DeskWords = DeskWords {
    about_you: "About you",
    account: "Account",
    add_person: "Add a person",
    blind: "blind review: organisers are not named",
    call_closed: "The call is not open",
    call_closed_text: "No proposal can be started in this meeting now.",
    call_opens: "The call opens",
    change_password: "Change password",
    changed_elsewhere: "Someone saved this in another window or tab since you opened it. Your changes are still here: look them over and save again.",
    choose: "Choose…",
    comment: "Comment for the secretariat",
    conflict: "Conflict of interest",
    conflict_about: "If you cannot judge this proposal fairly, say why: it is taken off your list at once, and the secretariat can assign it again.",
    conflict_recorded: "Your conflict of interest is recorded; the proposal is no longer yours to score.",
    could_merge_with: "Could merge with proposal number",
    country: "Country",
    country_hint: "Two letters, e.g. KE",
    current_password: "Current password",
    deadline: "Deadline",
    declare_conflict: "Declare a conflict of interest",
    description_label: "Description of the issue",
    desk_about: "Proposers, evaluators and the secretariat sign in here.",
    developing_country: "I am from a developing country",
    duration: "Duration (minutes)",
    email: "Email",
    everywhere: "Sign out everywhere",
    everywhere_about: "Ends every sign-in of this account, in every browser and every API token, this one included.",
    expected_outcomes: "Expected outcomes",
    failed: "Something went wrong",
    failed_text: "Something went wrong on our side; it has been logged. Try again shortly.",
    first_time: "This is my first IGF proposal",
    format: "Format",
    full_name: "Full name",
    gender: "Gender (kept private)",
    have_account: "Already registered?",
    home_zone: "Home time zone",
    hybrid_plan: "How onsite and online participants will take part",
    needs: "Interpretation and accessibility",
    interpretation: "Interpretation into",
    interpretation_hint: "Languages by ISO code, separated by commas, e.g. es, fr. Empty: none. The secretariat confirms what it can provide.",
    captioning: "Real-time captioning",
    sign_language: "Sign-language interpretation",
    layout: "Room layout",
    merge_hint: "Another submitted proposal of this meeting that covers the same ground, if any.",
    more_people: "Save to get more empty rows, or use the button.",
    my_assignments: "Proposals to score",
    my_desk: "My desk",
    my_proposals: "My proposals",
    messages: "Messages",
    account_messages: "Account messages",
    all_messages: "All",
    messages_word: "messages",
    messages_about: "Every email and webhook delivery this meeting owes, newest first, with its state. A failed attempt is tried again after 30 s, doubling up to 6 hours; a message is given up after 10 attempts or when the server refuses it for good.",
    account_messages_about: "Messages to accounts themselves: links that confirm an address, word to the holder of an address someone tried to register with, and password-reset links. Their links are never shown.",
    written: "Written",
    message_kind: "Kind",
    recipient: "To",
    subject: "Subject",
    state_word: "State",
    attempts: "Attempts",
    last_error: "Last error",
    next_attempt: "next try",
    new_password: "New password",
    confirm_title: "Confirm your email address",
    confirm_about: "Type the password you registered with: this confirms that the address is yours and signs you in.",
    confirm_button: "Confirm and sign in",
    forgot_title: "Forgotten password",
    forgot_about: "Type the address you signed in with. If it has an account, we send it a link to set a new password; the link works for an hour, once.",
    forgot_button: "Send me a link",
    forgot_link: "Forgotten your password?",
    reset_title: "Set a new password",
    reset_about: "Setting a new password signs the account out everywhere else and signs you in here.",
    reset_button: "Set the password and sign in",
    reset_sent: "If the address has an account, a link to set a new password is on its way. It works for an hour, once; look in your spam folder too.",
    reset_no_email: "This installation sends no email, so no link can be sent. Ask the secretariat to set a new password for you.",
    register_sent: "If the address can take a new account, a link to confirm it is on its way: open it to confirm the address and sign in. If the address has an account already, its holder is told instead.",
    register_sent_title: "Look in your inbox",
    register_not_signed_in: "You could not be signed in with these details. If the address has an account already, sign in with its password.",
    link_dead: "This link has expired or has been used. Ask for a new one.",
    new_proposal: "Start a proposal",
    no_account: "No account yet?",
    no_proposals: "You have no proposals in this meeting yet.",
    not_editable: "This proposal can no longer be changed.",
    nothing_assigned: "Nothing is assigned to you in this meeting.",
    nothing_yet: "There is nothing for you to do in any current meeting.",
    one_per_line: "One question per line.",
    organisation: "Organisation",
    outcome: "Outcome",
    participation: "Takes part",
    password: "Password",
    password_again: "Password again",
    password_changed: "Your password is changed; every other sign-in has ended.",
    password_ends_others: "Changing it signs you out everywhere else.",
    password_rule: "At least 10 characters.",
    passwords_differ: "The two passwords differ.",
    past_organiser: "I organised an IGF session before",
    people: "People",
    people_hint: "The organisers, speakers, moderators and rapporteur. Email and gender are seen only by you and the secretariat.",
    person: "Person",
    phase: "Phase",
    policy_questions_label: "Policy questions",
    previous_report: "Link to the report of your earlier session",
    progress: "Progress",
    proposal: "Proposal",
    reason: "Reason",
    refused: "Not possible",
    region: "UN regional group",
    register: "Register",
    register_about: "Register to propose a session. Evaluator and secretariat accounts are made by the secretariat.",
    report: "Transparency report",
    role: "Role",
    rule_duration: "The duration must be one the session type allows.",
    rule_gender: "The speakers must not all be of one gender.",
    rule_no_mag: "Members of the committee (MAG) do not propose sessions.",
    rule_online_moderator: "A session with speakers online needs an online moderator.",
    rule_onsite_moderator: "Every session needs an onsite moderator.",
    rule_onsite_speakers: "Speakers who are onsite, at least:",
    rule_per_organisation: "Proposals per organisation, at most:",
    rule_per_organiser: "Proposals per organiser, at most:",
    rule_report: "Past organisers link the report of their earlier session.",
    rule_required: "Every field is filled in: title, description, policy questions, theme, type, duration, format, outcomes, hybrid plan, and for every person their organisation, country, stakeholder group, region, gender, home zone and how they take part; organisers give an email.",
    rule_speakers: "Speakers, at least:",
    rule_window: "Proposals are submitted between the opening and the deadline.",
    rules: "What screening checks",
    save: "Save",
    save_and_submit: "Save and submit",
    save_draft: "Save as draft",
    save_score: "Save my score",
    saved: "Saved.",
    score: "My score",
    score_saved: "Your score is saved.",
    scored: "scored",
    scored_one: "scored",
    scoring_not_open: "Scoring is not open now: you can read, but not score.",
    screening: "Screening",
    screening_clear: "Screening finds nothing to fix.",
    screening_first: "Screening is shown here as you fill the form in.",
    screening_some: "things to fix before submitting, shown beside their fields.",
    sdgs: "Sustainable Development Goals",
    session_types: "Session types",
    sign_in: "Sign in",
    sign_in_first: "(you sign in or register first)",
    sign_out: "Sign out",
    stakeholder_group: "Stakeholder group",
    stale_form: "This form cannot be accepted",
    stale_form_text: "It was sent from another site, or it is older than your current sign-in. Nothing was changed. Go back, reload the page and try again.",
    state: "State",
    the_call: "Call for proposals",
    the_proposal: "The proposal",
    themes: "Themes",
    title: "Title",
    to_score: "to score",
    try_again: "Try again",
    withdraw: "Withdraw this proposal",
    wrong_or_unconfirmed: "The email or password is not correct, or the address is not confirmed yet: open the link we emailed when you registered.",
    wrong_password: "The email or password is not correct.",
    your_name: "Your name",
    add_members: "Add evaluators to the committee",
    add_room: "Add a room",
    add_theme: "Add a theme",
    added: "added",
    assign: "Assign evaluators",
    assign_about: "Every submitted proposal gets evaluators from the committee with no conflict of interest, spread over stakeholder groups and regions; a second run keeps what it can.",
    assigned_now: "The assignment has run.",
    assignment_run: "What the assignment did",
    assignments: "Assignments",
    assignments_of: "assignments of",
    at_least: "at least (%)",
    at_most: "at most (%)",
    capacity: "Capacity",
    chosen_of: "chosen of",
    close_scoring: "Close scoring",
    committee: "Committee",
    committee_changed: "The committee is changed.",
    counts: "Where things stand",
    dashboard: "Dashboard",
    decided: "Proposals decided",
    decisions_recorded: "The run's decisions are recorded.",
    developing_share: "Organisers from developing countries, at least (%)",
    diversity_bonus: "Diversity bonus",
    diversity_bonus_hint: "Weight of a line-up's diversity against its score; 0 for none.",
    evaluation: "Evaluation",
    evaluators_word: "evaluators",
    filter_proposals: "Filter the proposals",
    first_time_share: "First-time organisers, at least (%)",
    found: "found",
    from_call: "proposed through the call",
    gap: "gap to the bound",
    hybrid: "Hybrid",
    inactive: "inactive",
    manage_nav: "The meeting's pages",
    max_hint: "Leave empty for no limit.",
    max_per_organisation: "Most sessions per organisation",
    max_per_speaker: "Most sessions per speaker",
    mean: "Mean",
    member: "Member",
    min_groups: "Stakeholder groups among a proposal's evaluators, at least",
    min_regions: "Regions among a proposal's evaluators, at least",
    min_scores: "Scores a proposal needs",
    min_scores_hint: "Proposals with fewer scores are left out.",
    name: "Name",
    next: "Next",
    download_proposals: "Download these proposals, every page",
    download_results: "Download the results",
    download_scores: "Download every score",
    download_assignments: "Download your assignments with the proposals",
    next_steps: "What needs doing",
    no_members: "No one is on the committee yet.",
    none_found: "Nothing found.",
    normalised: "Normalised",
    nothing_to_do: "Nothing needs doing now.",
    objective: "Objective",
    open_scoring: "Open scoring",
    page: "Page",
    per_proposal: "Evaluators per proposal",
    percent_hint: "A percentage, e.g. 25.",
    phase_moved: "The evaluation has moved on.",
    polarising: "polarising",
    previous: "Previous",
    proposals: "Proposals",
    proposals_to: "proposals to",
    proposals_word: "proposals",
    proposed_outcomes: "Proposed outcomes",
    publish_results: "Publish the results",
    quotas: "Quotas and targets",
    quotas_about: "The optimiser chooses the programme with the best scores that meets every quota and target, and says why each proposal is in or out.",
    rank: "Rank",
    record_decisions: "Record these decisions",
    region_shares: "Regions, each at least (%)",
    remove: "Remove",
    removed: "removed",
    reopen_scoring: "Open scoring again",
    results: "Results",
    results_about: "Each proposal's scores: the mean, their spread (standard deviation), and the score normalised for each evaluator's habits; polarising proposals split their evaluators.",
    rooms: "Rooms",
    run: "Run",
    run_again: "Run again with other quotas",
    run_selection: "Run the selection",
    scores_in: "Scores in",
    scores_word: "Scores",
    scoring_progress: "Scoring",
    sd: "SD",
    search: "Title or text",
    selection: "Selection",
    setup: "Set-up",
    setup_changed: "The set-up is changed.",
    shape_in_api: "A slot's times are changed through the API (PATCH /slots/{id}); here a slot is removed and added again.",
    shortfalls: "Shortfalls",
    slots: "Time slots",
    slots_per_type: "Sessions per type",
    stakeholder_shares: "Stakeholder groups, each at least (%)",
    step_assign: "Assign evaluators to the submitted proposals.",
    step_call_open: "The call is open: proposals are coming in.",
    step_close_scoring: "Every assignment is scored: close scoring.",
    step_committee: "Name the evaluators of the committee.",
    step_open_scoring: "The call has closed and evaluators are assigned: open scoring.",
    step_publish: "Decisions are recorded: publish the results when they are final.",
    step_published: "The results are published; the transparency report is public.",
    step_scoring: "Scoring is open; scores in:",
    step_select: "Run the selection and record its decisions.",
    target_share: "Target share (%)",
    theme_shares: "Themes",
    theme_shares_hint: "Left empty, each theme's target share applies, less 5 points.",
    time_limit: "Time limit (seconds)",
    time_limit_hint: "30 when empty; past it the best programme found is kept.",
    total: "Programme size",
    total_hint: "Empty: the sum of the sessions per type.",
    waitlist: "Waitlist",
    waitlist_hint: "How many proposals wait for a place.",
    working: "Working… this may take up to the time limit.",
    board: "Schedule board",
    times_venue: "times in venue time",
    job_running: "A solve or repair is running: watch it.",
    move_made: "Moved.",
    no_cost_here: "The moved session pays no soft cost where it is now.",
    no_schedule: "There is no schedule yet: run a solve below.",
    version: "Version",
    show: "Show",
    hard_word: "hard",
    soft_word: "soft",
    published_word: "published",
    not_newest: "This is not the newest version: a move from here would pass over a later change, so it is refused.",
    open_newest: "Open the newest.",
    publish_version: "Publish this version",
    compare_published: "Compare with the published version",
    compare_parent: "Compare with the version it came from",
    days: "Days",
    moving: "Moving",
    choose_cell: "choose a cell below and press its button.",
    cancel_move: "Cancel",
    time: "Time",
    pinned: "pinned",
    costs: "Costs",
    move_it: "Move",
    pin: "Pin here",
    unpin: "Unpin",
    move_here: "Move here",
    unplaced: "Not placed",
    all_placed: "Every session is placed.",
    place: "Place",
    solve: "Solve or repair",
    solve_about: "A solve places every session anew; a repair starts from the published schedule and moves as few sessions as it can. Pinned sessions stay where they are.",
    job_kind: "Kind",
    kind_solve: "Solve",
    kind_repair: "Repair",
    start_job: "Start",
    job: "Job",
    best_so_far: "Best so far",
    best_note: "While it runs, the search counts the cost of times only; the version it stores counts rooms too.",
    stop_job: "Stop and keep the best so far",
    made_version: "It made version",
    open_on_board: "Open it on the board",
    compare: "Compare versions",
    against: "against",
    moved_word: "moved",
    unchanged: "unchanged",
    moved_heading: "Moved",
    was: "Was",
    now: "Now",
    added_heading: "Added",
    removed_heading: "No longer placed",
    moved_cost: "Soft cost of the schedule:",
    soft_points: "points",
    move_refused: "The move is refused: it would break a hard rule. Nothing was changed.",
    hard_rule: "Hard rule broken:",
    doing_now: "Now",
    booths: "Interpretation booths",
    booths_hint: "Languages by ISO code, separated by commas, e.g. ar, es, fr, ru, zh. Empty: none.",
    caption_display: "Has a display for real-time captions",
    captions_short: "Captions",
    see_assignment: "See the assignment",
    open_programme: "Open the programme",
    change_and_rerun: "Change the request and run it again",
    stop_action: "Stop (nothing is stored)",
    uncounted_note: "This search cannot count its steps: the bar shows its time against its limit.",
    job_failed_for: "The run below failed for what it was asked; the problems are beside the fields.",
    record_one: "Record this decision",
    merge_with_hint: "Only when approving it if merged.",
    merge_with: "Merge with proposal number",
    decide_one_hint: "Your own decision replaces the run's for this proposal; the reason is what its proposer reads.",
    decide_one: "Decide one proposal by hand",
    recorded: "Recorded decision",
    venue_time_hint: "Venue time, HH:MM.",
    start_time: "Starts at",
    add_slot: "Add a time slot",
    version_published: "Published: the programme, its pages and feeds show this version now.",
    submitted_now: "Submitted. The secretariat will tell you the outcome.",
    pinned_elsewhere: "pinned elsewhere",
    pin_stale: "This board does not show the newest version; open the newest before pinning.",
    unpinned_now: "Unpinned.",
    pinned_now: "Pinned: every solve and repair keeps it there.",
    score_col: "Score",
    thing_to_fix: "thing to fix before submitting, shown beside its field.",
    problem_heading: "There is a problem",
    refresh: "Look again",
    resend_title: "Send this form again?",
    resend_stale: "This form was opened under an earlier sign-in, so it was not accepted and nothing was changed. What you typed is kept here: send it again if it is still what you meant. Passwords are never kept; type them again.",
    resend_signed_in: "You are signed in. What you typed before is kept here and nothing has been changed yet: send it again if it is still what you meant. Passwords are never kept; type them again.",
    resend_sign_in_first: "Your sign-in had ended, so what you sent was not saved. Sign in, and you can send it again.",
    send_again: "Send again",
    what_you_typed: "What you typed",
    change: "Change",
    save_changes: "Save changes",
    code: "Code",
    code_hint: "Lower-case letters, digits and _, e.g. open_forum; it cannot be changed later.",
    durations: "Allowed durations (minutes)",
    durations_hint: "Separate them with commas, e.g. 60, 90.",
    exclusive: "Nothing may run at the same time (ceremonies)",
    placement_days: "Days",
    position: "Fixed place",
    no_position: "None",
    type_rooms: "Rooms it may use",
    type_rooms_hint: "None ticked means any room.",
    add_type: "Add a session type",
    add_day: "Add a day",
    day_number_hint: "0 is Day 0, the day before the main days.",
    date: "Date",
    date_hint: "Venue-local, as YYYY-MM-DD.",
    copy_slots: "Give it the time slots of",
    no_copy: "No slots yet",
    slots_count: "Slots",
    number: "Number",
    choices: &[
        ("organiser", "Organiser"),
        ("speaker", "Speaker"),
        ("onsite_moderator", "Onsite moderator"),
        ("online_moderator", "Online moderator"),
        ("rapporteur", "Rapporteur"),
        ("female", "Woman"),
        ("male", "Man"),
        ("non_binary", "Non-binary"),
        ("undisclosed", "Prefer not to say"),
        ("onsite", "Onsite"),
        ("online", "Online"),
        ("break_out", "Break-out group discussion"),
        ("debate", "Debate"),
        ("roundtable", "Roundtable"),
        ("birds_of_a_feather", "Birds of a feather"),
        ("flash", "Flash session"),
        ("panel", "Panel"),
        ("other", "Other"),
        (
            "intergovernmental_organizations",
            "Intergovernmental organisations",
        ),
        ("auditorium", "Auditorium"),
        ("classroom", "Classroom"),
        ("theater", "Theatre"),
        ("u_shape", "U-shape"),
        ("round_table", "Round table"),
        ("boardroom", "Boardroom"),
        ("draft", "Draft"),
        ("submitted", "Submitted"),
        ("withdrawn", "Withdrawn"),
        ("not_started", "Not started"),
        ("scoring", "Scoring"),
        ("closed", "Scoring closed"),
        ("published", "Results published"),
        ("solve", "Solve"),
        ("repair", "Repair"),
        ("assignment", "Assignment of evaluators"),
        ("selection", "Selection of the programme"),
        ("balancing", "Balancing the evaluators' loads"),
        ("regions", "Raising each proposal's regional coverage"),
        (
            "optimising",
            "Searching for the best programme, until it is proven best or the time runs out",
        ),
        (
            "bounding",
            "Measuring how close to the best the programme is",
        ),
        ("conflicts", "Finding which quotas conflict"),
        ("explaining", "Giving each declined proposal its reason"),
        ("storing", "Storing the result"),
        ("below_coverage", "Proposals still below the regional rule"),
        ("objective", "Score of the programme"),
        ("edit", "Edited by hand"),
        ("queued", "Waiting for a worker"),
        ("running", "Running"),
        ("succeeded", "Done"),
        ("failed", "Failed"),
        ("cancelled", "Stopped"),
        ("import", "Imported"),
        ("main", "The main days"),
        ("day_zero", "Day 0 only"),
        ("any", "Day 0 and the main days"),
        ("opening", "Opening: first on the first main day"),
        ("closing", "Closing: last on the last main day"),
    ],
};

/// The texts of the bilateral rooms' page (English).
#[derive(Debug, Clone, Serialize)]
pub struct BilateralWords {
    /// Heading of the bilateral rooms' page and the desk's link to it.
    pub heading: &'static str,
    /// Before the daily limit.
    pub limit_before: &'static str,
    /// After the daily limit.
    pub limit_after: &'static str,
    /// Before how many bookings the account holds that day.
    pub you_hold: &'static str,
    /// When the meeting has no bilateral rooms.
    pub no_rooms: &'static str,
    /// Label of the delegation field.
    pub delegation: &'static str,
    /// Hint of the delegation field.
    pub delegation_hint: &'static str,
    /// Label of the note field.
    pub note: &'static str,
    /// Label of the length select.
    pub length: &'static str,
    /// After a number of slots.
    pub slots: &'static str,
    /// Label of the secretariat's booking or block choice.
    pub kind: &'static str,
    /// A delegation's booking.
    pub kind_booking: &'static str,
    /// A time held back by the secretariat.
    pub kind_block: &'static str,
    /// How to book.
    pub pick_hint: &'static str,
    /// When no time was picked.
    pub pick_a_time: &'static str,
    /// Caption of the grid, before the date.
    pub times_of: &'static str,
    /// After a room's capacity.
    pub seats: &'static str,
    /// The button of a free time.
    pub book: &'static str,
    /// A time the account holds.
    pub state_mine: &'static str,
    /// A time another holds.
    pub state_taken: &'static str,
    /// A time the secretariat holds back.
    pub state_blocked: &'static str,
    /// A time gone by.
    pub state_past: &'static str,
    /// Heading of the secretariat's list.
    pub every_booking: &'static str,
    /// Heading of one's own list.
    pub my_bookings: &'static str,
    /// When the list is empty.
    pub none_yet: &'static str,
    /// Link to a booking's calendar file.
    pub calendar: &'static str,
    /// Button that cancels a booking.
    pub cancel: &'static str,
    /// Notice after booking.
    pub booked: &'static str,
    /// Notice after cancelling.
    pub cancelled: &'static str,
}

/// The bilateral rooms' page in English.
pub const BILATERAL: BilateralWords = BilateralWords {
    heading: "Bilateral rooms",
    limit_before: "each delegation books up to",
    limit_after: "a day",
    you_hold: "you hold",
    no_rooms: "This meeting has no bilateral rooms.",
    delegation: "Delegation",
    delegation_hint: "The delegation meeting there; the limit per day counts by this name and by your account.",
    note: "Note for the secretariat (optional)",
    length: "Length",
    slots: "slot(s)",
    kind: "What",
    kind_booking: "Booking",
    kind_block: "Block",
    pick_hint: "Fill in the delegation, then pick a free time below.",
    pick_a_time: "Pick a free time in the table.",
    times_of: "Free times on",
    seats: "seats",
    book: "Book",
    state_mine: "Yours",
    state_taken: "Taken",
    state_blocked: "Held",
    state_past: "Past",
    every_booking: "Every booking",
    my_bookings: "My bookings",
    none_yet: "No bookings this day.",
    calendar: "Add to calendar (.ics)",
    cancel: "Cancel",
    booked: "Booked. It is in the list below, with its calendar file.",
    cancelled: "Cancelled; the time is free again.",
};

/// The words of the set-up page's technical services: online channels, captioners,
/// interpreter teams and bilateral rooms.
pub struct ServicesWords {
    /// Heading of the section.
    pub heading: &'static str,
    /// What the section is for.
    pub lead: &'static str,
    /// Label of the online channels at once.
    pub online_channels: &'static str,
    /// Label of the captioners at once.
    pub captioners: &'static str,
    /// Hint under a limit that may be empty.
    pub no_limit_hint: &'static str,
    /// Label of the bilateral bookings a delegation may hold a day.
    pub bilateral_daily_limit: &'static str,
    /// Hint under it.
    pub bilateral_daily_hint: &'static str,
    /// Button of the services form.
    pub save: &'static str,
    /// Heading of the interpreter teams.
    pub teams: &'static str,
    /// Column and label of a team's languages.
    pub languages: &'static str,
    /// Hint under the languages.
    pub languages_hint: &'static str,
    /// Column and label of a team's sessions a day.
    pub sessions_per_day: &'static str,
    /// Column and label of a team's minutes a day.
    pub minutes_per_day: &'static str,
    /// Column and label of a team's break.
    pub break_min: &'static str,
    /// Hint under the break.
    pub break_hint: &'static str,
    /// Shown for no limit in a table.
    pub unlimited: &'static str,
    /// Button and heading of a new team.
    pub add_team: &'static str,
    /// When the meeting has no team.
    pub no_teams: &'static str,
    /// Heading of the bilateral rooms.
    pub bilateral_rooms: &'static str,
    /// Label of when a bilateral room opens.
    pub opens: &'static str,
    /// Label of when it closes.
    pub closes: &'static str,
    /// Hint under the hours.
    pub hours_hint: &'static str,
    /// Label of its slot length.
    pub slot_minutes: &'static str,
    /// Button and heading of a new bilateral room.
    pub add_bilateral: &'static str,
    /// When the meeting has no bilateral room.
    pub no_bilaterals: &'static str,
    /// Link to the bookings page.
    pub bookings_link: &'static str,
}

/// The set-up page's technical services in English.
pub const SERVICES: ServicesWords = ServicesWords {
    heading: "Technical services",
    lead: "What the venue can serve at once. The scheduler keeps every limit as a hard rule; a session that cannot be served is left out with the reason.",
    online_channels: "Online channels at once",
    captioners: "Real-time captioners at once",
    no_limit_hint: "Empty: no limit.",
    bilateral_daily_limit: "Bilateral bookings a delegation may hold a day",
    bilateral_daily_hint: "The same limit holds for each account.",
    save: "Save the services",
    teams: "Interpreter teams",
    languages: "Languages",
    languages_hint: "The languages it interprets into, by ISO code, separated by commas, e.g. ar, fr.",
    sessions_per_day: "Most sessions a day",
    minutes_per_day: "Most minutes a day",
    break_min: "Break between sessions (min)",
    break_hint: "From the end of one session to the start of the next.",
    unlimited: "no limit",
    add_team: "Add a team",
    no_teams: "No interpreter team yet: interpreted sessions are placed only by their rooms' booths.",
    bilateral_rooms: "Bilateral rooms",
    opens: "Opens",
    closes: "Closes",
    hours_hint: "Venue time, HH:MM.",
    slot_minutes: "Slot length (min)",
    add_bilateral: "Add a bilateral room",
    no_bilaterals: "No bilateral room yet.",
    bookings_link: "See the bookings",
};

/// The words of session reports: the meeting's summary page, the reports on a
/// session's page, and the organisers' and the secretariat's report pages.
pub struct ReportWords {
    /// Title of the summary page and its link.
    pub summary: &'static str,
    /// What the summary shows.
    pub summary_intro: &'static str,
    /// Heading of the report counts.
    pub reports: &'static str,
    /// The short report.
    pub short: &'static str,
    /// The full report.
    pub full: &'static str,
    /// Sessions that owe reports.
    pub sessions: &'static str,
    /// Reports filed.
    pub filed: &'static str,
    /// Filed by the deadline.
    pub on_time: &'static str,
    /// Filed after the deadline.
    pub filed_late: &'static str,
    /// Past its deadline and not filed.
    pub not_filed: &'static str,
    /// Not filed, and not due yet.
    pub not_due: &'static str,
    /// Accepted by the secretariat.
    pub accepted: &'static str,
    /// Heading of participation by session type.
    pub by_type: &'static str,
    /// Heading of participation by theme.
    pub by_theme: &'static str,
    /// Column: sessions with an accepted full report.
    pub reported: &'static str,
    /// People onsite.
    pub onsite: &'static str,
    /// People online.
    pub online: &'static str,
    /// Women (estimate).
    pub women: &'static str,
    /// Note under participation.
    pub participation_note: &'static str,
    /// Heading of the takeaways by theme.
    pub messages: &'static str,
    /// No accepted short report yet.
    pub no_messages: &'static str,
    /// Key takeaways.
    pub key_takeaways: &'static str,
    /// Calls to action.
    pub calls_to_action: &'static str,
    /// Heading of the session's full report.
    pub report: &'static str,
    /// Key issues raised.
    pub key_issues: &'static str,
    /// The discussion.
    pub discussion: &'static str,
    /// The way forward.
    pub way_forward: &'static str,
    /// Participants line.
    pub participants: &'static str,
    /// Link to the recording.
    pub recording: &'static str,
    /// Link to the transcript.
    pub transcript: &'static str,
    /// Nothing published yet.
    pub nothing_yet: &'static str,
    /// The chart's legend.
    pub legend: &'static str,
    /// One short report, as a page's title.
    pub short_one: &'static str,
    /// One full report, as a page's title.
    pub full_one: &'static str,
    /// Names a chart's table of numbers.
    pub in_numbers: &'static str,
    /// Title of the chart of reports against their deadlines.
    pub when_filed: &'static str,
    /// The desk's list of one's sessions and their reports.
    pub my_reports: &'static str,
    /// What the list is for.
    pub my_reports_intro: &'static str,
    /// No session to report on.
    pub no_sessions: &'static str,
    /// Filter: every session.
    pub all: &'static str,
    /// Filter: late reports.
    pub late: &'static str,
    /// Filter: waiting for review.
    pub waiting: &'static str,
    /// Column: the session.
    pub session: &'static str,
    /// Before the deadline.
    pub due: &'static str,
    /// A report's state in words, by code.
    pub states: [(&'static str, &'static str); 5],
    /// Hint under a list field.
    pub one_per_line: &'static str,
    /// Save button.
    pub save_draft: &'static str,
    /// Submit button.
    pub submit: &'static str,
    /// Accept button.
    pub accept: &'static str,
    /// Return button.
    pub return_it: &'static str,
    /// The review comment's label.
    pub comment: &'static str,
    /// Hint under the comment.
    pub comment_hint: &'static str,
    /// Heading of the review.
    pub review: &'static str,
    /// Heading of the trail.
    pub history: &'static str,
    /// Notice after a save.
    pub saved: &'static str,
    /// Notice after a submission.
    pub submitted: &'static str,
    /// Notice after a review.
    pub reviewed: &'static str,
    /// What the organisers cannot do while submitted.
    pub locked: &'static str,
    /// In whose zone a deadline is shown.
    pub in_zone_of: &'static str,
    /// After the number of sessions that owe reports.
    pub sessions_owe: &'static str,
    /// After the number of those that have ended.
    pub have_ended: &'static str,
}

/// The report words in English.
pub const REPORTS: ReportWords = ReportWords {
    summary: "Meeting summary",
    summary_intro: "What the sessions reported: how many reports came and when, who took part, and the key takeaways and calls to action. Figures for participation come from the full reports the secretariat has accepted.",
    reports: "Reports filed",
    short: "Short reports",
    full: "Full reports",
    sessions: "Sessions",
    filed: "Filed",
    on_time: "On time",
    filed_late: "Filed late",
    not_filed: "Overdue",
    not_due: "Not due yet",
    accepted: "Accepted",
    by_type: "Participation by session type",
    by_theme: "Participation by theme",
    reported: "With a full report",
    onsite: "Onsite",
    online: "Online",
    women: "Women (estimate)",
    participation_note: "Bars show people onsite and online in the sessions with an accepted full report; the table gives the numbers.",
    messages: "Key takeaways and calls to action by theme",
    no_messages: "No short report has been accepted yet.",
    key_takeaways: "Key takeaways",
    calls_to_action: "Calls to action",
    report: "Session report",
    key_issues: "Key issues raised",
    discussion: "Discussion",
    way_forward: "The way forward",
    participants: "Participants",
    recording: "Recording",
    transcript: "Transcript",
    nothing_yet: "The programme is not published yet, so no session owes a report.",
    legend: "Legend",
    short_one: "Short report",
    full_one: "Full report",
    in_numbers: "in numbers",
    when_filed: "When the reports came",
    my_reports: "Session reports",
    my_reports_intro: "Each session owes a short report soon after it ends and a full report some days after the meeting. Any of its organisers or its rapporteur writes it; the secretariat accepts it or returns it with a comment, and accepted reports are public.",
    no_sessions: "You organise no session of this meeting's published programme.",
    all: "All sessions",
    late: "Late",
    waiting: "Waiting for review",
    session: "Session",
    due: "Due",
    states: [
        ("not_started", "Not started"),
        ("draft", "Draft"),
        ("submitted", "Submitted, waiting for review"),
        ("returned", "Returned: please change it"),
        ("accepted", "Accepted"),
    ],
    one_per_line: "One per line.",
    save_draft: "Save draft",
    submit: "Submit for review",
    accept: "Accept",
    return_it: "Return with comment",
    comment: "Comment for the organisers",
    comment_hint: "Needed to return the report: say what to change.",
    review: "The secretariat's review",
    history: "History",
    saved: "Draft saved.",
    submitted: "Submitted. The secretariat will review it.",
    reviewed: "Review recorded.",
    locked: "This report is with the secretariat; it can be changed again if they return it.",
    in_zone_of: "for",
    sessions_owe: "sessions of the programme owe reports (ceremonies aside);",
    have_ended: "of them have ended.",
};
