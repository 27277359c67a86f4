DROP INDEX schedule_versions_publication;
ALTER TABLE schedule_versions DROP COLUMN publication;
