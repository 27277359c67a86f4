-- Whether an account has shown that its email is its own (by a link sent to it, or by
-- a password reset through it): only a confirmed address stands for its owner where
-- the service matches accounts by email (the people of a session who file its reports).
-- Accounts made before are taken as confirmed: the secretariat made them, or they were
-- in use before the service asked.
ALTER TABLE users ADD COLUMN email_confirmed_at TIMESTAMP;
UPDATE users SET email_confirmed_at = created_at;
-- Single-use secrets sent by email to an account's address: to confirm the address
-- or to set a new password. Only a digest is kept; each expires and is used once.
CREATE TABLE account_tokens (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('confirm_email', 'reset_password')),
    digest TEXT NOT NULL UNIQUE,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose);
