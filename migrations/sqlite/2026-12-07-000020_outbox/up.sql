-- The outbox: every message the service owes the world (email now, webhooks later),
-- written in the same transaction as the change it tells of, and sent by a worker on
-- any instance. `template` and `data` are what is rendered at sending (so the words
-- live in one place); `dedupe_key` makes one message per event and recipient; a
-- worker takes a message by setting `lease_until` (database time), and a message
-- whose lease ran out (its instance died) is taken again.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id BIGINT REFERENCES meetings (id) ON DELETE CASCADE,
    channel TEXT NOT NULL CHECK (channel IN ('email')),
    kind TEXT NOT NULL,
    dedupe_key TEXT NOT NULL UNIQUE,
    user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    recipient TEXT NOT NULL,
    template TEXT NOT NULL,
    data TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    lease_until TIMESTAMP,
    leased_by TEXT,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_meeting ON outbox (meeting_id, id);
