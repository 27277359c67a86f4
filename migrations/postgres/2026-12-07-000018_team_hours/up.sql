-- An interpreter team's working day: most minutes of sessions a day, and the least
-- rest between the end of one session it serves and the start of the next.
ALTER TABLE interpreter_teams ADD COLUMN max_minutes_per_day INTEGER;
ALTER TABLE interpreter_teams ADD COLUMN min_break_min INTEGER;
