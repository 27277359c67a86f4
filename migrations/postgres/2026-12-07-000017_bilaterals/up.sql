-- Bilateral rooms: small rooms that delegations book in short slots during set hours.
-- A booking (or a time the secretariat blocks) holds [starts_at, ends_at) of one room;
-- two never overlap in a room, which the database itself refuses (an exclusion
-- constraint over the time range), not only a check before the insert. `day` is the
-- venue-local date, for the per-delegation daily limit; `delegation_key` the
-- delegation's name folded for comparison. `bilateral_daily_limit` is how many
-- bookings a delegation (and a user) may hold per day.
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE meetings ADD COLUMN bilateral_daily_limit INTEGER NOT NULL DEFAULT 2
    CHECK (bilateral_daily_limit > 0);
CREATE TABLE bilateral_rooms (
    id BIGSERIAL PRIMARY KEY,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    capacity INTEGER NOT NULL CHECK (capacity > 0),
    opens TEXT NOT NULL,
    closes TEXT NOT NULL,
    slot_minutes INTEGER NOT NULL DEFAULT 30 CHECK (slot_minutes BETWEEN 5 AND 240),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (meeting_id, name)
);
CREATE TABLE bilateral_bookings (
    id BIGSERIAL PRIMARY KEY,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    room_id BIGINT NOT NULL REFERENCES bilateral_rooms (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('booking', 'block')),
    user_id BIGINT NOT NULL REFERENCES users (id),
    delegation TEXT NOT NULL,
    delegation_key TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    day DATE NOT NULL,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CHECK (ends_at > starts_at),
    CONSTRAINT bilateral_bookings_no_overlap
        EXCLUDE USING gist (room_id WITH =, tsrange(starts_at, ends_at) WITH &&)
);
CREATE INDEX bilateral_bookings_meeting_day ON bilateral_bookings (meeting_id, day);
