-- Campaign definitions uploaded in the web (a workbook or a zip of YAML) and kept as drafts
-- until an administrator publishes them. The upload is kept as it came, so that it is checked
-- again by the binary that publishes it and can be downloaded back for fixing.
CREATE TABLE definition_drafts (
    id           INTEGER PRIMARY KEY,
    file_name    TEXT NOT NULL,
    format       TEXT NOT NULL CHECK (format IN ('xlsx', 'zip')),
    content      BLOB NOT NULL,
    -- code and name of the campaign the upload defines, '' while it does not read.
    code         TEXT NOT NULL DEFAULT '',
    name         TEXT NOT NULL DEFAULT '',
    -- the campaign its changes are shown against when it is not the one of the same code
    -- (a new year's campaign copied from last year's).
    source_id    INTEGER REFERENCES campaigns (id) ON DELETE SET NULL,
    created_by   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    published_at TEXT,
    published_id INTEGER REFERENCES campaigns (id) ON DELETE SET NULL
) STRICT;
CREATE INDEX definition_drafts_updated ON definition_drafts (updated_at);
