-- Paper forms (issue 7): who keys for a campaign, returned batches, keyings under double entry,
-- the supervisor's queue and adjudications. Times are UTC RFC 3339 text; a batch's receipt date
-- is a calendar day, YYYY-MM-DD in Asia/Ho_Chi_Minh.

-- The accounts that may key a campaign's paper forms; an enumerator sees no other campaign.
CREATE TABLE campaign_keyers (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    user_id     INTEGER NOT NULL REFERENCES users(id),
    added_at    TEXT NOT NULL,
    added_by    INTEGER REFERENCES users(id),
    PRIMARY KEY (campaign_id, user_id)
) STRICT, WITHOUT ROWID;

-- A batch of filled paper forms brought back: who, for which group and unit, how many, when.
-- Its receipt date is the date every form keyed from it arrived (domain.md, valid forms rule 2).
CREATE TABLE paper_batches (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    group_id    INTEGER NOT NULL REFERENCES respondent_groups(id),
    unit_id     INTEGER REFERENCES units(id), -- NULL: matrix forms, about every unit of the kind
    returned_by INTEGER NOT NULL REFERENCES users(id),
    form_count  INTEGER NOT NULL CHECK (form_count BETWEEN 1 AND 10000),
    received_on TEXT NOT NULL CHECK (received_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    note        TEXT NOT NULL DEFAULT '',
    recorded_by INTEGER REFERENCES users(id),
    recorded_at TEXT NOT NULL
) STRICT;
CREATE INDEX paper_batches_campaign ON paper_batches(campaign_id, group_id, unit_id);

-- One keying of one paper form by one keyer. A second keyer's keying is the verification pass
-- of double entry; the same keyer never keys a form twice. Keyings are evidence: never changed.
CREATE TABLE keyings (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    form_id     INTEGER NOT NULL REFERENCES issued_forms(id),
    batch_id    INTEGER NOT NULL REFERENCES paper_batches(id),
    keyer_id    INTEGER NOT NULL REFERENCES users(id),
    respondent  TEXT NOT NULL DEFAULT '{}', -- JSON: field key → option as keyed ("1".."9", "*"); blank left out
    digest      TEXT NOT NULL,              -- digest of respondent fields and answers, to compare keyings
    duration_ms INTEGER NOT NULL DEFAULT 0 CHECK (duration_ms >= 0),
    keyed_at    TEXT NOT NULL,
    UNIQUE (form_id, keyer_id)
) STRICT;
CREATE INDEX keyings_batch ON keyings(batch_id);
CREATE INDEX keyings_campaign_keyer ON keyings(campaign_id, keyer_id, keyed_at);
CREATE TRIGGER keyings_no_update BEFORE UPDATE ON keyings
BEGIN SELECT RAISE(ABORT, 'keyings are never changed'); END;
CREATE TRIGGER keyings_no_delete BEFORE DELETE ON keyings
BEGIN SELECT RAISE(ABORT, 'keyings are never deleted'); END;

CREATE TABLE keying_answers (
    keying_id INTEGER NOT NULL REFERENCES keyings(id),
    unit_id   INTEGER NOT NULL REFERENCES units(id),
    answers   TEXT NOT NULL, -- one character per question: 1..9 option, 0 blank, * several marks
    PRIMARY KEY (keying_id, unit_id)
) STRICT, WITHOUT ROWID;

-- The supervisor's queue: two keyings that differ, or a paper form keyed under a code that already
-- has an accepted response (online or imported). At most one open item per form.
CREATE TABLE paper_conflicts (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    form_id     INTEGER NOT NULL REFERENCES issued_forms(id),
    kind        TEXT NOT NULL CHECK (kind IN ('keyings_differ', 'already_answered')),
    detail      TEXT NOT NULL DEFAULT '{}',
    opened_at   TEXT NOT NULL,
    resolved_at TEXT,
    resolved_by INTEGER REFERENCES users(id),
    resolution  TEXT NOT NULL DEFAULT '' CHECK (resolution IN ('', 'adjudicated', 'kept_first')),
    note        TEXT NOT NULL DEFAULT '',
    CHECK ((resolved_at IS NULL) = (resolution = ''))
) STRICT;
CREATE UNIQUE INDEX paper_conflicts_open ON paper_conflicts(form_id) WHERE resolved_at IS NULL;
CREATE INDEX paper_conflicts_campaign ON paper_conflicts(campaign_id, resolved_at);

-- A supervisor's decision on two differing keyings: every differing item with both keyed values
-- and the value read on the paper, and the response it produced.
CREATE TABLE adjudications (
    form_id     INTEGER PRIMARY KEY REFERENCES issued_forms(id),
    conflict_id INTEGER NOT NULL UNIQUE REFERENCES paper_conflicts(id),
    response_id INTEGER NOT NULL UNIQUE REFERENCES responses(id),
    decisions   TEXT NOT NULL, -- JSON list of {item, first, second, chosen}
    decided_by  INTEGER NOT NULL REFERENCES users(id),
    decided_at  TEXT NOT NULL
) STRICT;
