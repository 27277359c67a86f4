-- Many instances behave as one. Limits on requests are counted in the database; an
-- account's tokens carry its token version, which changing the password, signing out
-- everywhere, a role change or deactivation moves on; the installation remembers
-- whether it was seeded with the demo (whose accounts share a published password);
-- and at most one schedule job per meeting is queued or running, which the database
-- itself enforces.
CREATE TABLE throttle (
    key TEXT PRIMARY KEY NOT NULL,
    count INTEGER NOT NULL,
    window_start TIMESTAMP NOT NULL,
    blocked_until TIMESTAMP
);
CREATE INDEX throttle_window ON throttle (window_start);
ALTER TABLE users ADD COLUMN token_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE installation ADD COLUMN demo_seeded BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE installation SET demo_seeded = TRUE
WHERE EXISTS (SELECT 1 FROM users WHERE email LIKE '%@demo.igf.test');
UPDATE schedule_jobs
SET status = 'failed',
    error = 'another job of this meeting was already queued or running',
    finished_at = CURRENT_TIMESTAMP
WHERE status IN ('queued', 'running')
  AND id NOT IN (
      SELECT min(id) FROM schedule_jobs
      WHERE status IN ('queued', 'running')
      GROUP BY meeting_id
  );
CREATE UNIQUE INDEX schedule_jobs_one_active ON schedule_jobs (meeting_id)
WHERE status IN ('queued', 'running');
