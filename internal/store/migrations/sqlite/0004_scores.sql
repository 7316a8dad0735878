-- Score runs, rule and method settings, imported ratios and API tokens (issue 6).
-- Times are UTC RFC 3339 text.

-- The method options and valid-form rules a campaign changed after its definition was loaded:
-- effective settings = the definition's, overridden by the keys present here (JSON object).
-- Older values are in the audit log (action settings.update).
CREATE TABLE campaign_settings (
    campaign_id       INTEGER PRIMARY KEY REFERENCES campaigns(id),
    settings          TEXT NOT NULL DEFAULT '{}',
    -- every response with an id up to this one has been judged under these settings; later
    -- ones are judged again before a score run
    validated_through INTEGER NOT NULL DEFAULT 0,
    updated_at        TEXT NOT NULL,
    updated_by        INTEGER REFERENCES users(id)
) STRICT;

-- A score run is a snapshot: the definition version and settings used, a digest of every input,
-- when and who, and every figure exactly. Runs are never changed or deleted.
CREATE TABLE score_runs (
    id               INTEGER PRIMARY KEY,
    campaign_id      INTEGER NOT NULL REFERENCES campaigns(id),
    campaign_version INTEGER NOT NULL,
    settings         TEXT NOT NULL,  -- JSON of the overrides in force (as in campaign_settings)
    method           TEXT NOT NULL,  -- JSON of the effective method options and their statement
    input_digest     TEXT NOT NULL,  -- sha256 over definition, settings, counted answers, ratios
    result_digest    TEXT NOT NULL,  -- sha256 of result
    forms            INTEGER NOT NULL,
    result           TEXT NOT NULL,  -- JSON: every figure as an exact fraction, flags, ranks, bands
    created_at       TEXT NOT NULL,
    created_by       INTEGER REFERENCES users(id),
    FOREIGN KEY (campaign_id, campaign_version) REFERENCES campaign_versions(campaign_id, version)
) STRICT;
CREATE INDEX score_runs_campaign ON score_runs(campaign_id, id);
CREATE TRIGGER score_runs_no_update BEFORE UPDATE ON score_runs
BEGIN SELECT RAISE(ABORT, 'score_runs are snapshots'); END;
CREATE TRIGGER score_runs_no_delete BEFORE DELETE ON score_runs
BEGIN SELECT RAISE(ABORT, 'score_runs are snapshots'); END;

-- Satisfaction ratios of an imported group (SIPAS) per unit, and optionally per sub-criterion
-- (domain.md, scoring step 8). An upload replaces all ratios of its group.
CREATE TABLE imported_ratios (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    group_id    INTEGER NOT NULL REFERENCES respondent_groups(id) ON DELETE CASCADE,
    unit_id     INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    sub         TEXT NOT NULL DEFAULT '', -- '' = every sub-criterion the group is mapped to
    ratio       TEXT NOT NULL,            -- exact, "a/b" or a whole number, in [0, 1]
    source      TEXT NOT NULL,            -- file name and row it came from
    imported_at TEXT NOT NULL,
    imported_by INTEGER REFERENCES users(id),
    PRIMARY KEY (group_id, unit_id, sub)
) STRICT;
CREATE INDEX imported_ratios_campaign ON imported_ratios(campaign_id);

-- Tokens of the systems that read the JSON feed. Only a hash is kept; the token is shown once.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    campaign_id  INTEGER REFERENCES campaigns(id), -- NULL: every campaign
    created_at   TEXT NOT NULL,
    created_by   INTEGER REFERENCES users(id),
    last_used_at TEXT,
    revoked_at   TEXT
) STRICT;
