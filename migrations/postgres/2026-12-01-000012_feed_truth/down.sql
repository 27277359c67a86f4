DROP TABLE installation;
DROP INDEX feed_sessions_meeting;
DROP TABLE feed_sessions;
ALTER TABLE meetings DROP COLUMN feed_changed_at;
ALTER TABLE meetings DROP COLUMN feed_revision;
