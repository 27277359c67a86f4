ALTER TABLE meetings DROP COLUMN archived_at;
