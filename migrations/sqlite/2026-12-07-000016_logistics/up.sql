-- Logistics: what each session needs (interpretation into languages, real-time
-- captioning, sign language; every hybrid session also needs an online channel), what
-- each room has (interpretation booths by language, a caption display), and what the
-- meeting has at once (online channels, captioners) and its interpreter teams. A
-- stored schedule names the teams that serve each interpreted session.
ALTER TABLE rooms ADD COLUMN booths TEXT NOT NULL DEFAULT '[]';
ALTER TABLE rooms ADD COLUMN caption_display BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN interpretation TEXT NOT NULL DEFAULT '[]';
ALTER TABLE sessions ADD COLUMN captioning BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN sign_language BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE meetings ADD COLUMN online_channels INTEGER CHECK (online_channels >= 0);
ALTER TABLE meetings ADD COLUMN captioners INTEGER CHECK (captioners >= 0);
CREATE TABLE interpreter_teams (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    languages TEXT NOT NULL,
    max_sessions_per_day INTEGER CHECK (max_sessions_per_day > 0),
    UNIQUE (meeting_id, name)
);
ALTER TABLE schedule_placements ADD COLUMN interpreter_teams TEXT NOT NULL DEFAULT '[]';
