-- What a proposal asks of the venue's services, carried to its session when it is
-- accepted: interpretation languages (a JSON array of ISO 639 codes), real-time
-- captioning, sign language.
ALTER TABLE proposals ADD COLUMN interpretation TEXT NOT NULL DEFAULT '[]';
ALTER TABLE proposals ADD COLUMN captioning BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE proposals ADD COLUMN sign_language BOOLEAN NOT NULL DEFAULT FALSE;
