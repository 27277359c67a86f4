-- The evaluators who serve on a meeting's committee: assignment, scoring and results
-- use only them.
CREATE TABLE meeting_evaluators (
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    added_at TIMESTAMP NOT NULL,
    PRIMARY KEY (meeting_id, user_id)
);
CREATE INDEX meeting_evaluators_user ON meeting_evaluators (user_id);

-- Meetings evaluated before committees existed keep the evaluators they assigned.
INSERT INTO meeting_evaluators (meeting_id, user_id, added_at)
SELECT meeting_id, evaluator_id, MIN(created_at)
FROM evaluation_assignments
GROUP BY meeting_id, evaluator_id;
