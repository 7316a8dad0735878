-- A password an administrator set must be changed at the next sign-in; a session ends after a
-- while without use, as well as at its absolute expiry.
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1));
ALTER TABLE sessions ADD COLUMN last_seen TEXT NOT NULL DEFAULT '';
UPDATE sessions SET last_seen = created_at;
