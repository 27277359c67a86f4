ALTER TABLE schedule_jobs DROP COLUMN result;
