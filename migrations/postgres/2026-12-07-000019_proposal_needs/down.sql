ALTER TABLE proposals DROP COLUMN sign_language;
ALTER TABLE proposals DROP COLUMN captioning;
ALTER TABLE proposals DROP COLUMN interpretation;
