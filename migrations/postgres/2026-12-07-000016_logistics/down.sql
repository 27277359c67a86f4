ALTER TABLE schedule_placements DROP COLUMN interpreter_teams;
DROP TABLE interpreter_teams;
ALTER TABLE meetings DROP COLUMN captioners;
ALTER TABLE meetings DROP COLUMN online_channels;
ALTER TABLE sessions DROP COLUMN sign_language;
ALTER TABLE sessions DROP COLUMN captioning;
ALTER TABLE sessions DROP COLUMN interpretation;
ALTER TABLE rooms DROP COLUMN caption_display;
ALTER TABLE rooms DROP COLUMN booths;
