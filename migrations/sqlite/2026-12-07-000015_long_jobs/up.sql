-- The job queue carries every long action of a meeting (the evaluators' assignment and
-- the selection as well as solves and repairs); `result` holds what a finished action
-- answered, or, when it failed for its request, the fields and rules at fault.
ALTER TABLE schedule_jobs ADD COLUMN result TEXT;
