-- Feeds tell the truth at every moment. Every change to a meeting bumps its feed
-- revision in the same transaction, so that no instance serves a feed the database no
-- longer backs; each session of a published programme keeps the SEQUENCE and the time
-- of its last published change; and the installation keeps an id of its own, so that
-- its calendar UIDs are unique in the world.
ALTER TABLE meetings ADD COLUMN feed_revision BIGINT NOT NULL DEFAULT 0;
ALTER TABLE meetings ADD COLUMN feed_changed_at TIMESTAMP;
CREATE TABLE feed_sessions (
    session_id BIGINT PRIMARY KEY NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    meeting_id BIGINT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    sequence INTEGER NOT NULL,
    fingerprint TEXT NOT NULL,
    changed_at TIMESTAMP NOT NULL
);
CREATE INDEX feed_sessions_meeting ON feed_sessions (meeting_id);
CREATE TABLE installation (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    uid_domain TEXT NOT NULL
);
INSERT INTO installation (id, uid_domain) VALUES (1, lower(hex(randomblob(12))) || '.igf-scheduler');
