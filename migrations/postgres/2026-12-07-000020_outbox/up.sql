-- Webhook endpoints the secretariat registers per meeting, with the events they want
-- and the secret their deliveries are signed with; one that keeps failing is disabled
-- with the reason. Each delivery attempt is logged with its answer and time.
CREATE TABLE webhook_endpoints (
    id BIGSERIAL PRIMARY KEY,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    secret TEXT NOT NULL,
    allow_http BOOLEAN NOT NULL DEFAULT FALSE,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    disabled_reason TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX webhook_endpoints_meeting ON webhook_endpoints (meeting_id);
-- The outbox: every message the service owes the world (email and webhook deliveries),
-- written in the same transaction as the change it tells of, and sent by a worker on
-- any instance. `template` and `data` are what is rendered at sending (so the words
-- live in one place); `dedupe_key` makes one message per event and recipient; a
-- worker takes a message by setting `lease_until` (database time), and a message
-- whose lease ran out (its instance died) is taken again.
CREATE TABLE outbox (
    id BIGSERIAL PRIMARY KEY,
    meeting_id BIGINT REFERENCES meetings (id) ON DELETE CASCADE,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
    endpoint_id BIGINT REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
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
CREATE TABLE webhook_deliveries (
    id BIGSERIAL PRIMARY KEY,
    outbox_id BIGINT NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
    endpoint_id BIGINT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    attempt INTEGER NOT NULL,
    status INTEGER,
    duration_ms INTEGER NOT NULL,
    error TEXT,
    at TIMESTAMP NOT NULL
);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id);
