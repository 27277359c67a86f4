-- Accounts of proposers, MAG evaluators and the secretariat.
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('proposer', 'evaluator', 'secretariat')),
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL
);

-- One annual meeting (or any conference run the same way). Instants are UTC.
CREATE TABLE meetings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    year INTEGER NOT NULL,
    venue TEXT NOT NULL,
    timezone TEXT NOT NULL,
    cfp_opens_at TIMESTAMP NOT NULL,
    cfp_closes_at TIMESTAMP NOT NULL,
    published BOOLEAN NOT NULL DEFAULT 0,
    screening_rules TEXT NOT NULL,
    developing_countries TEXT NOT NULL DEFAULT '[]',
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE meeting_days (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    day_number INTEGER NOT NULL,
    date DATE NOT NULL,
    UNIQUE (meeting_id, date),
    UNIQUE (meeting_id, day_number)
);

CREATE TABLE themes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    target_share DOUBLE PRECISION,
    UNIQUE (meeting_id, name)
);

CREATE TABLE session_types (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    durations TEXT NOT NULL,
    from_call BOOLEAN NOT NULL,
    exclusive BOOLEAN NOT NULL,
    UNIQUE (meeting_id, code)
);

CREATE TABLE rooms (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    capacity INTEGER NOT NULL CHECK (capacity > 0),
    hybrid BOOLEAN NOT NULL,
    layout TEXT NOT NULL,
    UNIQUE (meeting_id, name)
);

CREATE TABLE time_slots (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    day_id BIGINT NOT NULL REFERENCES meeting_days (id) ON DELETE CASCADE,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    CHECK (ends_at > starts_at),
    UNIQUE (meeting_id, starts_at, ends_at)
);

CREATE TABLE proposals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    proposer_id BIGINT NOT NULL REFERENCES users (id),
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'withdrawn')),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    policy_questions TEXT NOT NULL DEFAULT '[]',
    theme_id BIGINT REFERENCES themes (id),
    session_type_id BIGINT REFERENCES session_types (id),
    duration_min INTEGER,
    format TEXT,
    layout TEXT,
    sdgs TEXT NOT NULL DEFAULT '[]',
    expected_outcomes TEXT NOT NULL DEFAULT '',
    hybrid_plan TEXT NOT NULL DEFAULT '',
    first_time BOOLEAN NOT NULL DEFAULT 0,
    developing_country BOOLEAN NOT NULL DEFAULT 0,
    past_organiser BOOLEAN NOT NULL DEFAULT 0,
    previous_report_url TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    submitted_at TIMESTAMP,
    withdrawn_at TIMESTAMP
);
CREATE INDEX proposals_meeting_status ON proposals (meeting_id, status);
CREATE INDEX proposals_proposer ON proposals (proposer_id);

-- A person as named on one proposal, with one role; the same person may appear
-- on several proposals (matched by email) and in several roles.
CREATE TABLE proposal_participants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    proposal_id BIGINT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT,
    organisation TEXT,
    country TEXT,
    stakeholder_group TEXT,
    regional_group TEXT,
    gender TEXT,
    timezone TEXT,
    participation TEXT,
    UNIQUE (proposal_id, position)
);
CREATE INDEX proposal_participants_email ON proposal_participants (email);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TIMESTAMP NOT NULL,
    actor_id BIGINT,
    action TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    meeting_id BIGINT,
    changes TEXT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id);
CREATE INDEX audit_log_meeting ON audit_log (meeting_id);
