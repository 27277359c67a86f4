-- Session reports: each held session owes a short report (key takeaways, calls to
-- action) some hours after it ends and a full report some days after the meeting's
-- last day; both delays are settings of the meeting. A report is written by any of
-- the session's organisers as a draft, submitted, and accepted or returned with a
-- comment by the secretariat. `content` is the report's fields as JSON;
-- `first_submitted_at` decides whether it came on time.
ALTER TABLE meetings ADD COLUMN short_report_hours INTEGER NOT NULL DEFAULT 24;
ALTER TABLE meetings ADD COLUMN full_report_days INTEGER NOT NULL DEFAULT 14;
CREATE TABLE session_reports (
    id BIGSERIAL PRIMARY KEY,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    session_id BIGINT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('short', 'full')),
    state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'accepted', 'returned')),
    content TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    first_submitted_at TIMESTAMP,
    submitted_at TIMESTAMP,
    reviewed_at TIMESTAMP,
    reviewed_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    review_comment TEXT,
    UNIQUE (session_id, kind)
);
CREATE INDEX session_reports_meeting ON session_reports (meeting_id, kind, state);
