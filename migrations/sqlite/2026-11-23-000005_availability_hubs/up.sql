-- A period a room is closed or a person cannot take part (exactly one of the two).
CREATE TABLE unavailability (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    room_id BIGINT REFERENCES rooms (id) ON DELETE CASCADE,
    person_email TEXT,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    CHECK ((room_id IS NULL) <> (person_email IS NULL)),
    CHECK (starts_at < ends_at)
);
CREATE INDEX unavailability_meeting ON unavailability (meeting_id);

-- A remote hub: a place where people follow sessions together.
CREATE TABLE remote_hubs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    city TEXT NOT NULL,
    country TEXT NOT NULL,
    timezone TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX remote_hubs_meeting ON remote_hubs (meeting_id);

-- The sessions a hub follows.
CREATE TABLE hub_sessions (
    hub_id BIGINT NOT NULL REFERENCES remote_hubs (id) ON DELETE CASCADE,
    session_id BIGINT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    PRIMARY KEY (hub_id, session_id)
);
