-- Signed-in browsers of the working pages. Each sign-in is a row, so that signing out
-- ends it on every instance; the cookie holds a secret whose SHA-256 is the key here.
-- The row keeps the CSRF token its forms carry and the account's token version when it
-- was made, so that a password change, signing out everywhere, a role change or
-- deactivation ends it as they end the API's tokens.
CREATE TABLE web_sessions (
    key_hash TEXT PRIMARY KEY NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_version INTEGER NOT NULL,
    csrf TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX web_sessions_user ON web_sessions (user_id);
CREATE INDEX web_sessions_expires ON web_sessions (expires_at);
