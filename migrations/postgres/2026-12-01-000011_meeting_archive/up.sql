-- A meeting with published work is archived rather than deleted: kept, readable and
-- out of the default list.
ALTER TABLE meetings ADD COLUMN archived_at TIMESTAMP;
