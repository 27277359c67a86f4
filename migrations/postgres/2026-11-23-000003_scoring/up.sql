-- A meeting's evaluation: its phase, criteria and review mode.
CREATE TABLE evaluation_settings (
    meeting_id BIGINT PRIMARY KEY REFERENCES meetings (id) ON DELETE CASCADE,
    phase TEXT NOT NULL,
    criteria TEXT NOT NULL,
    blind_review BOOLEAN NOT NULL DEFAULT FALSE,
    published_at TIMESTAMP,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TIMESTAMP NOT NULL
);

-- An evaluator's scores for one assigned proposal; goes with its assignment.
CREATE TABLE evaluation_scores (
    id BIGSERIAL PRIMARY KEY,
    assignment_id BIGINT NOT NULL UNIQUE REFERENCES evaluation_assignments (id) ON DELETE CASCADE,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    proposal_id BIGINT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    evaluator_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    scores TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    could_merge_with BIGINT REFERENCES proposals (id) ON DELETE SET NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX evaluation_scores_meeting ON evaluation_scores (meeting_id);

-- One run of the selection optimiser: what was asked and what it proposed.
CREATE TABLE selection_runs (
    id BIGSERIAL PRIMARY KEY,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    params TEXT NOT NULL,
    result TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX selection_runs_meeting ON selection_runs (meeting_id);

-- The secretariat's decision on a proposal.
CREATE TABLE proposal_decisions (
    proposal_id BIGINT PRIMARY KEY REFERENCES proposals (id) ON DELETE CASCADE,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    outcome TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    merge_with BIGINT REFERENCES proposals (id) ON DELETE SET NULL,
    selection_run_id BIGINT REFERENCES selection_runs (id) ON DELETE SET NULL,
    decided_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    decided_at TIMESTAMP NOT NULL
);
CREATE INDEX proposal_decisions_meeting ON proposal_decisions (meeting_id);
