-- The messages that carry these links are dropped with them.
DELETE FROM outbox WHERE kind IN ('confirm_email', 'account_exists', 'password_reset');
DROP TABLE account_tokens;
ALTER TABLE users DROP COLUMN email_confirmed_at;
