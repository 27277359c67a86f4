ALTER TABLE interpreter_teams DROP COLUMN min_break_min;
ALTER TABLE interpreter_teams DROP COLUMN max_minutes_per_day;
