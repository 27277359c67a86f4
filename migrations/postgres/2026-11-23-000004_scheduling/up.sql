-- A session of the programme: from an accepted proposal, or created by the secretariat.
CREATE TABLE sessions (
    id BIGSERIAL PRIMARY KEY,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    proposal_id BIGINT UNIQUE REFERENCES proposals (id) ON DELETE SET NULL,
    session_type_id BIGINT NOT NULL REFERENCES session_types (id),
    theme_id BIGINT REFERENCES themes (id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    duration_min INTEGER NOT NULL,
    expected_attendance INTEGER NOT NULL,
    hybrid BOOLEAN NOT NULL,
    join_url TEXT,
    status TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_meeting ON sessions (meeting_id);

-- The people of a session, with their role.
CREATE TABLE session_people (
    id BIGSERIAL PRIMARY KEY,
    session_id BIGINT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT,
    organisation TEXT,
    stakeholder_group TEXT,
    regional_group TEXT,
    gender TEXT,
    timezone TEXT,
    participation TEXT
);
CREATE INDEX session_people_session ON session_people (session_id);

-- A schedule: every session's room and slot. Never changed once written.
CREATE TABLE schedule_versions (
    id BIGSERIAL PRIMARY KEY,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    source TEXT NOT NULL,
    parent_id BIGINT REFERENCES schedule_versions (id) ON DELETE SET NULL,
    hard INTEGER NOT NULL,
    soft BIGINT NOT NULL,
    evaluation TEXT NOT NULL,
    stats TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    published_at TIMESTAMP,
    UNIQUE (meeting_id, number)
);

CREATE TABLE schedule_placements (
    version_id BIGINT NOT NULL REFERENCES schedule_versions (id) ON DELETE CASCADE,
    session_id BIGINT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    room_id BIGINT NOT NULL REFERENCES rooms (id),
    slot_id BIGINT NOT NULL REFERENCES time_slots (id),
    PRIMARY KEY (version_id, session_id)
);

-- A solve or repair, run by one service instance's worker.
CREATE TABLE schedule_jobs (
    id BIGSERIAL PRIMARY KEY,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    params TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    claimed_by TEXT,
    heartbeat_at TIMESTAMP,
    progress TEXT,
    cancel_requested BOOLEAN NOT NULL DEFAULT FALSE,
    version_id BIGINT REFERENCES schedule_versions (id) ON DELETE SET NULL,
    error TEXT,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    started_at TIMESTAMP,
    finished_at TIMESTAMP
);
CREATE INDEX schedule_jobs_status ON schedule_jobs (status);
