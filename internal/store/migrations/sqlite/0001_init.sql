-- Foundation: staff, sessions, audit, campaigns and their units and groups, issued forms, responses.
-- Times are UTC RFC 3339 text.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- kv backs short-lived middleware state (CSRF tokens) so that a restart loses none of it.
CREATE TABLE kv (
    key        TEXT PRIMARY KEY,
    value      BLOB NOT NULL,
    expires_at INTEGER NOT NULL DEFAULT 0 -- unix seconds, 0 = never
) STRICT;

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    full_name     TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'enumerator')),
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at    TEXT NOT NULL
) STRICT;

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
) STRICT;
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    user_id     INTEGER REFERENCES users(id),
    action      TEXT NOT NULL,
    campaign_id INTEGER,
    subject     TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT '{}'
) STRICT;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE campaigns (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    year       INTEGER NOT NULL,
    version    INTEGER NOT NULL,
    digest     TEXT NOT NULL,
    definition TEXT NOT NULL, -- JSON of the checked definition
    loaded_at  TEXT NOT NULL,
    locked_at  TEXT
) STRICT;

-- Every definition a campaign ever had, so an earlier score run can say what it used.
CREATE TABLE campaign_versions (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    version     INTEGER NOT NULL,
    digest      TEXT NOT NULL,
    definition  TEXT NOT NULL,
    loaded_at   TEXT NOT NULL,
    PRIMARY KEY (campaign_id, version)
) STRICT;

CREATE TABLE units (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    code        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    parent_code TEXT NOT NULL DEFAULT '',
    UNIQUE (campaign_id, code)
) STRICT;

CREATE TABLE respondent_groups (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    evaluates   TEXT NOT NULL,
    form_code   TEXT NOT NULL DEFAULT '',
    UNIQUE (campaign_id, code)
) STRICT;

CREATE TABLE issued_forms (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    group_id    INTEGER NOT NULL REFERENCES respondent_groups(id),
    unit_id     INTEGER REFERENCES units(id), -- NULL: a matrix form about every unit of the kind
    serial      INTEGER NOT NULL,
    code        TEXT NOT NULL UNIQUE,
    token       TEXT NOT NULL UNIQUE,
    channel     TEXT NOT NULL CHECK (channel IN ('online', 'paper')),
    reserve     INTEGER NOT NULL DEFAULT 0 CHECK (reserve IN (0, 1)),
    issued_at   TEXT NOT NULL,
    voided_at   TEXT,
    void_reason TEXT NOT NULL DEFAULT '',
    replaces_id INTEGER REFERENCES issued_forms(id),
    token_used_at TEXT
) STRICT;
CREATE UNIQUE INDEX issued_forms_serial ON issued_forms(group_id, ifnull(unit_id, 0), serial);
CREATE INDEX issued_forms_campaign ON issued_forms(campaign_id, group_id, unit_id);

CREATE TABLE responses (
    id            INTEGER PRIMARY KEY,
    campaign_id   INTEGER NOT NULL REFERENCES campaigns(id),
    form_id       INTEGER NOT NULL UNIQUE REFERENCES issued_forms(id), -- one accepted response per code
    channel       TEXT NOT NULL CHECK (channel IN ('online', 'paper', 'import')),
    submission_id TEXT UNIQUE,          -- the client's id for an online submit (idempotency)
    body_digest   TEXT NOT NULL,        -- digest of the answers, to tell a replay from a different body
    receipt       TEXT NOT NULL UNIQUE, -- short receipt number shown to the respondent
    received_at   TEXT NOT NULL,        -- server time online; the batch's receipt date on paper
    respondent    TEXT NOT NULL DEFAULT '{}', -- JSON of respondent fields (never a name, never an IP)
    valid         INTEGER CHECK (valid IN (0, 1)),
    reasons       TEXT NOT NULL DEFAULT '[]',
    created_at    TEXT NOT NULL
) STRICT;
CREATE INDEX responses_campaign ON responses(campaign_id);

CREATE TABLE response_answers (
    response_id INTEGER NOT NULL REFERENCES responses(id),
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    answers     TEXT NOT NULL, -- one character per question: 1..9 option, 0 blank, * several marks
    valid       INTEGER NOT NULL DEFAULT 1 CHECK (valid IN (0, 1)), -- a matrix form counts per unit
    PRIMARY KEY (response_id, unit_id)
) STRICT, WITHOUT ROWID;
