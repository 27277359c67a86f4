DROP INDEX schedule_jobs_one_active;
ALTER TABLE installation DROP COLUMN demo_seeded;
ALTER TABLE users DROP COLUMN token_version;
DROP INDEX throttle_window;
DROP TABLE throttle;
