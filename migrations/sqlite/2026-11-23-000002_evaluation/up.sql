-- What the assignment needs to know about a MAG evaluator.
CREATE TABLE evaluator_profiles (
    user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    stakeholder_group TEXT,
    regional_group TEXT,
    organisation TEXT,
    expertise TEXT NOT NULL DEFAULT '[]',
    updated_at TIMESTAMP NOT NULL
);

-- Conflicts of interest an evaluator declared on a proposal.
CREATE TABLE conflict_declarations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    evaluator_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    proposal_id BIGINT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (evaluator_id, proposal_id)
);

-- Which evaluator evaluates which proposal.
CREATE TABLE evaluation_assignments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    proposal_id BIGINT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    evaluator_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (proposal_id, evaluator_id)
);
CREATE INDEX evaluation_assignments_meeting ON evaluation_assignments (meeting_id);
CREATE INDEX evaluation_assignments_evaluator ON evaluation_assignments (evaluator_id);
