//! Table definitions shared by both backends. Only the portable type subset is used
//! (`BigInt`, `Integer`, `Text`, `Bool`, `Double`, `Date`, `Timestamp`): instants are
//! stored as UTC `Timestamp`, lists and rule sets as JSON `Text`.

diesel::table! {
    /// Accounts of proposers, MAG evaluators and the secretariat.
    users (id) {
        id -> BigInt,
        email -> Text,
        name -> Text,
        password_hash -> Text,
        role -> Text,
        active -> Bool,
        created_at -> Timestamp,
        token_version -> Integer,
        email_confirmed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// Single-use secrets sent to an account's address (a digest of each).
    account_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        purpose -> Text,
        digest -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// A meeting: venue, time zone, call-for-proposals window and screening rules.
    meetings (id) {
        id -> BigInt,
        name -> Text,
        year -> Integer,
        venue -> Text,
        timezone -> Text,
        cfp_opens_at -> Timestamp,
        cfp_closes_at -> Timestamp,
        published -> Bool,
        screening_rules -> Text,
        developing_countries -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        scheduling_rules -> Text,
        archived_at -> Nullable<Timestamp>,
        feed_revision -> BigInt,
        feed_changed_at -> Nullable<Timestamp>,
        online_channels -> Nullable<Integer>,
        captioners -> Nullable<Integer>,
        bilateral_daily_limit -> Integer,
        short_report_hours -> Integer,
        full_report_days -> Integer,
    }
}

diesel::table! {
    /// Each session of a published programme as its feeds last showed it: SEQUENCE,
    /// a fingerprint of what SEQUENCE counts, and when that last changed.
    feed_sessions (session_id) {
        session_id -> BigInt,
        meeting_id -> BigInt,
        sequence -> Integer,
        fingerprint -> Text,
        changed_at -> Timestamp,
    }
}

diesel::table! {
    /// This installation: the domain its calendar UIDs end in.
    installation (id) {
        id -> Integer,
        uid_domain -> Text,
        demo_seeded -> Bool,
    }
}

diesel::table! {
    /// Requests counted per key (an account and address, an address and action) over
    /// a window, for limits that hold across every instance.
    throttle (key) {
        key -> Text,
        count -> Integer,
        window_start -> Timestamp,
        blocked_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// The meeting's days in venue-local dates; day 0 is the pre-event day.
    meeting_days (id) {
        id -> BigInt,
        meeting_id -> BigInt,
        day_number -> Integer,
        date -> Date,
    }
}

diesel::table! {
    /// Themes (tracks) with an optional target share of the programme.
    themes (id) {
        id -> BigInt,
        meeting_id -> BigInt,
        position -> Integer,
        name -> Text,
        description -> Text,
        target_share -> Nullable<Double>,
    }
}

diesel::table! {
    /// Session types and the durations each allows (JSON array of minutes).
    session_types (id) {
        id -> BigInt,
        meeting_id -> BigInt,
        code -> Text,
        name -> Text,
        durations -> Text,
        from_call -> Bool,
        exclusive -> Bool,
        placement -> Text,
    }
}

diesel::table! {
    /// Rooms of the venue.
    rooms (id) {
        id -> BigInt,
        meeting_id -> BigInt,
        name -> Text,
        capacity -> Integer,
        hybrid -> Bool,
        layout -> Text,
        booths -> Text,
        caption_display -> Bool,
    }
}

diesel::table! {
    /// Time slots as UTC instants, generated from a venue-local day template.
    time_slots (id) {
        id -> BigInt,
        meeting_id -> BigInt,
        day_id -> BigInt,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
    }
}

diesel::table! {
    /// Session proposals from the call, from draft to submission or withdrawal.
    proposals (id) {
        id -> BigInt,
        meeting_id -> BigInt,
        proposer_id -> BigInt,
        status -> Text,
        title -> Text,
        description -> Text,
        policy_questions -> Text,
        theme_id -> Nullable<BigInt>,
        session_type_id -> Nullable<BigInt>,
        duration_min -> Nullable<Integer>,
        format -> Nullable<Text>,
        layout -> Nullable<Text>,
        sdgs -> Text,
        expected_outcomes -> Text,
        hybrid_plan -> Text,
        first_time -> Bool,
        developing_country -> Bool,
        past_organiser -> Bool,
        previous_report_url -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        submitted_at -> Nullable<Timestamp>,
        withdrawn_at -> Nullable<Timestamp>,
        interpretation -> Text,
        captioning -> Bool,
        sign_language -> Bool,
    }
}

diesel::table! {
    /// People named on a proposal, one row per role they take.
    proposal_participants (id) {
        id -> BigInt,
        proposal_id -> BigInt,
        position -> Integer,
        role -> Text,
        name -> Text,
        email -> Nullable<Text>,
        organisation -> Nullable<Text>,
        country -> Nullable<Text>,
        stakeholder_group -> Nullable<Text>,
        regional_group -> Nullable<Text>,
        gender -> Nullable<Text>,
        timezone -> Nullable<Text>,
        participation -> Nullable<Text>,
    }
}

diesel::table! {
    /// Who changed what and when, for every write to meetings and proposals.
    audit_log (id) {
        id -> BigInt,
        at -> Timestamp,
        actor_id -> Nullable<BigInt>,
        action -> Text,
        entity_type -> Text,
        entity_id -> BigInt,
        meeting_id -> Nullable<BigInt>,
        changes -> Text,
    }
}

diesel::table! {
    /// What the assignment needs to know about a MAG evaluator.
    evaluator_profiles (user_id) {
        user_id -> BigInt,
        stakeholder_group -> Nullable<Text>,
        regional_group -> Nullable<Text>,
        organisation -> Nullable<Text>,
        expertise -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Conflicts of interest an evaluator declared on a proposal.
    conflict_declarations (id) {
        id -> BigInt,
        evaluator_id -> BigInt,
        proposal_id -> BigInt,
        reason -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Which evaluator evaluates which proposal.
    evaluation_assignments (id) {
        id -> BigInt,
        meeting_id -> BigInt,
        proposal_id -> BigInt,
        evaluator_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// The evaluators who serve on a meeting's committee.
    meeting_evaluators (meeting_id, user_id) {
        meeting_id -> BigInt,
        user_id -> BigInt,
        added_at -> Timestamp,
    }
}

diesel::table! {
    evaluation_settings (meeting_id) {
        meeting_id -> BigInt,
        phase -> Text,
        criteria -> Text,
        blind_review -> Bool,
        published_at -> Nullable<Timestamp>,
        version -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    evaluation_scores (id) {
        id -> BigInt,
        assignment_id -> BigInt,
        meeting_id -> BigInt,
        proposal_id -> BigInt,
        evaluator_id -> BigInt,
        scores -> Text,
        comment -> Text,
        could_merge_with -> Nullable<BigInt>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    selection_runs (id) {
        id -> BigInt,
        meeting_id -> BigInt,
        created_by -> Nullable<BigInt>,
        params -> Text,
        result -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    proposal_decisions (proposal_id) {
        proposal_id -> BigInt,
        meeting_id -> BigInt,
        outcome -> Text,
        reason -> Text,
        merge_with -> Nullable<BigInt>,
        selection_run_id -> Nullable<BigInt>,
        decided_by -> Nullable<BigInt>,
        decided_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id) {
        id -> BigInt,
        meeting_id -> BigInt,
        proposal_id -> Nullable<BigInt>,
        session_type_id -> BigInt,
        theme_id -> Nullable<BigInt>,
        title -> Text,
        description -> Text,
        duration_min -> Integer,
        expected_attendance -> Integer,
        hybrid -> Bool,
        join_url -> Nullable<Text>,
        status -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        pinned_room_id -> Nullable<BigInt>,
        pinned_slot_id -> Nullable<BigInt>,
        interpretation -> Text,
        captioning -> Bool,
        sign_language -> Bool,
    }
}

diesel::table! {
    session_people (id) {
        id -> BigInt,
        session_id -> BigInt,
        position -> Integer,
        role -> Text,
        name -> Text,
        email -> Nullable<Text>,
        organisation -> Nullable<Text>,
        stakeholder_group -> Nullable<Text>,
        regional_group -> Nullable<Text>,
        gender -> Nullable<Text>,
        timezone -> Nullable<Text>,
        participation -> Nullable<Text>,
    }
}

diesel::table! {
    schedule_versions (id) {
        id -> BigInt,
        meeting_id -> BigInt,
        number -> Integer,
        source -> Text,
        parent_id -> Nullable<BigInt>,
        hard -> Integer,
        soft -> BigInt,
        evaluation -> Text,
        stats -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        published_at -> Nullable<Timestamp>,
        publication -> Nullable<BigInt>,
    }
}

diesel::table! {
    schedule_placements (version_id, session_id) {
        version_id -> BigInt,
        session_id -> BigInt,
        room_id -> BigInt,
        slot_id -> BigInt,
        interpreter_teams -> Text,
    }
}

diesel::table! {
    schedule_jobs (id) {
        id -> BigInt,
        meeting_id -> BigInt,
        kind -> Text,
        status -> Text,
        params -> Text,
        attempts -> Integer,
        claimed_by -> Nullable<Text>,
        heartbeat_at -> Nullable<Timestamp>,
        progress -> Nullable<Text>,
        cancel_requested -> Bool,
        version_id -> Nullable<BigInt>,
        error -> Nullable<Text>,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        started_at -> Nullable<Timestamp>,
        finished_at -> Nullable<Timestamp>,
        result -> Nullable<Text>,
    }
}

diesel::table! {
    /// Interpreter teams of a meeting: the languages each interprets into and its limit.
    interpreter_teams (id) {
        id -> BigInt,
        meeting_id -> BigInt,
        name -> Text,
        languages -> Text,
        max_sessions_per_day -> Nullable<Integer>,
        max_minutes_per_day -> Nullable<Integer>,
        min_break_min -> Nullable<Integer>,
    }
}

diesel::table! {
    /// A small room that delegations book in short slots during set (venue-local) hours.
    bilateral_rooms (id) {
        id -> BigInt,
        meeting_id -> BigInt,
        name -> Text,
        capacity -> Integer,
        opens -> Text,
        closes -> Text,
        slot_minutes -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// A bilateral room held for a delegation, or blocked by the secretariat.
    bilateral_bookings (id) {
        id -> BigInt,
        meeting_id -> BigInt,
        room_id -> BigInt,
        kind -> Text,
        user_id -> BigInt,
        delegation -> Text,
        delegation_key -> Text,
        note -> Text,
        day -> Date,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        created_at -> Timestamp,
    }
}

diesel::table! {
    unavailability (id) {
        id -> BigInt,
        meeting_id -> BigInt,
        room_id -> Nullable<BigInt>,
        person_email -> Nullable<Text>,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        reason -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    remote_hubs (id) {
        id -> BigInt,
        meeting_id -> BigInt,
        name -> Text,
        city -> Text,
        country -> Text,
        timezone -> Text,
        contact_email -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    hub_sessions (hub_id, session_id) {
        hub_id -> BigInt,
        session_id -> BigInt,
    }
}

diesel::table! {
    agendas (id) {
        id -> BigInt,
        meeting_id -> BigInt,
        token_hash -> Text,
        name -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    agenda_sessions (agenda_id, session_id) {
        agenda_id -> BigInt,
        session_id -> BigInt,
    }
}

diesel::table! {
    /// Signed-in browsers of the working pages: the SHA-256 of the cookie's secret,
    /// the CSRF token of their forms, and the token version they were made at.
    web_sessions (key_hash) {
        key_hash -> Text,
        user_id -> BigInt,
        token_version -> Integer,
        csrf -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::joinable!(web_sessions -> users (user_id));
diesel::joinable!(account_tokens -> users (user_id));
diesel::joinable!(meeting_days -> meetings (meeting_id));
diesel::joinable!(themes -> meetings (meeting_id));
diesel::joinable!(session_types -> meetings (meeting_id));
diesel::joinable!(rooms -> meetings (meeting_id));
diesel::joinable!(time_slots -> meeting_days (day_id));
diesel::joinable!(proposals -> meetings (meeting_id));
diesel::joinable!(proposals -> users (proposer_id));
diesel::joinable!(proposal_participants -> proposals (proposal_id));
diesel::joinable!(proposals -> themes (theme_id));
diesel::joinable!(proposals -> session_types (session_type_id));
diesel::joinable!(evaluator_profiles -> users (user_id));
diesel::joinable!(meeting_evaluators -> users (user_id));
diesel::joinable!(evaluation_assignments -> proposals (proposal_id));
diesel::joinable!(evaluation_scores -> evaluation_assignments (assignment_id));
diesel::joinable!(proposal_decisions -> selection_runs (selection_run_id));
diesel::joinable!(proposal_decisions -> proposals (proposal_id));
diesel::joinable!(sessions -> session_types (session_type_id));
diesel::joinable!(sessions -> themes (theme_id));
diesel::joinable!(session_people -> sessions (session_id));
diesel::joinable!(schedule_placements -> sessions (session_id));
diesel::joinable!(schedule_placements -> rooms (room_id));
diesel::joinable!(schedule_placements -> time_slots (slot_id));
diesel::joinable!(hub_sessions -> remote_hubs (hub_id));
diesel::joinable!(hub_sessions -> sessions (session_id));
diesel::table! {
    /// Webhook endpoints of a meeting.
    webhook_endpoints (id) {
        id -> BigInt,
        meeting_id -> BigInt,
        url -> Text,
        events -> Text,
        secret -> Text,
        allow_http -> Bool,
        active -> Bool,
        disabled_reason -> Nullable<Text>,
        failures -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Each attempt to deliver a webhook message.
    webhook_deliveries (id) {
        id -> BigInt,
        outbox_id -> BigInt,
        endpoint_id -> BigInt,
        attempt -> Integer,
        status -> Nullable<Integer>,
        duration_ms -> Integer,
        error -> Nullable<Text>,
        at -> Timestamp,
    }
}

diesel::table! {
    /// Messages owed to the world, sent by a worker on any instance.
    outbox (id) {
        id -> BigInt,
        meeting_id -> Nullable<BigInt>,
        channel -> Text,
        endpoint_id -> Nullable<BigInt>,
        kind -> Text,
        dedupe_key -> Text,
        user_id -> Nullable<BigInt>,
        recipient -> Text,
        template -> Text,
        data -> Text,
        state -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        lease_until -> Nullable<Timestamp>,
        leased_by -> Nullable<Text>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// Each session's short and full report, from draft to the secretariat's review.
    session_reports (id) {
        id -> BigInt,
        meeting_id -> BigInt,
        session_id -> BigInt,
        kind -> Text,
        state -> Text,
        content -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        updated_by -> Nullable<BigInt>,
        first_submitted_at -> Nullable<Timestamp>,
        submitted_at -> Nullable<Timestamp>,
        reviewed_at -> Nullable<Timestamp>,
        reviewed_by -> Nullable<BigInt>,
        review_comment -> Nullable<Text>,
    }
}

diesel::joinable!(session_reports -> sessions (session_id));
diesel::joinable!(outbox -> webhook_endpoints (endpoint_id));
diesel::joinable!(bilateral_bookings -> bilateral_rooms (room_id));
diesel::joinable!(bilateral_bookings -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    account_tokens,
    session_reports,
    outbox,
    webhook_endpoints,
    webhook_deliveries,
    users,
    meetings,
    feed_sessions,
    installation,
    throttle,
    web_sessions,
    meeting_days,
    themes,
    session_types,
    rooms,
    time_slots,
    proposals,
    proposal_participants,
    audit_log,
    evaluator_profiles,
    conflict_declarations,
    evaluation_assignments,
    meeting_evaluators,
    evaluation_settings,
    evaluation_scores,
    selection_runs,
    proposal_decisions,
    sessions,
    session_people,
    schedule_versions,
    schedule_placements,
    schedule_jobs,
    interpreter_teams,
    bilateral_rooms,
    bilateral_bookings,
    unavailability,
    remote_hubs,
    hub_sessions,
    agendas,
    agenda_sessions
);
