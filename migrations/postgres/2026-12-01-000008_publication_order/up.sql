-- Publications are ordered by the database, not by clock seconds: each publish of a
-- meeting takes the next number, so the published version is the one with the highest.
ALTER TABLE schedule_versions ADD COLUMN publication BIGINT;

UPDATE schedule_versions
SET publication = (
    SELECT COUNT(*)
    FROM schedule_versions o
    WHERE o.meeting_id = schedule_versions.meeting_id
      AND o.published_at IS NOT NULL
      AND (o.published_at < schedule_versions.published_at
           OR (o.published_at = schedule_versions.published_at AND o.id <= schedule_versions.id))
)
WHERE published_at IS NOT NULL;

CREATE UNIQUE INDEX schedule_versions_publication ON schedule_versions (meeting_id, publication);
