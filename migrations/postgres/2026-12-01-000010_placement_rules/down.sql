ALTER TABLE session_types DROP COLUMN placement;
ALTER TABLE meetings DROP COLUMN scheduling_rules;
