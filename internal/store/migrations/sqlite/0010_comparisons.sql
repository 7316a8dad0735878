-- Year on year (issue 14): a campaign linked to an earlier one, and the uploaded mapping of its
-- units onto the earlier campaign's where codes do not match them. Times are UTC RFC 3339 text.

-- A campaign compares with at most one earlier campaign.
CREATE TABLE comparison_links (
    campaign_id INTEGER PRIMARY KEY REFERENCES campaigns(id),
    earlier_id  INTEGER NOT NULL REFERENCES campaigns(id),
    source      TEXT NOT NULL DEFAULT '', -- the mapping sheet's file name; '' = units matched by code
    linked_at   TEXT NOT NULL,
    linked_by   INTEGER REFERENCES users(id),
    CHECK (earlier_id <> campaign_id)
) STRICT;

-- The mapping sheet's rows: a unit of the campaign draws on one or several units of the earlier
-- campaign with a weight (normalised when the change is computed), or is not comparable
-- (earlier_code '' and weight ''). Units not listed are matched by code.
CREATE TABLE unit_mappings (
    campaign_id  INTEGER NOT NULL REFERENCES comparison_links(campaign_id) ON DELETE CASCADE,
    unit_code    TEXT NOT NULL,
    earlier_code TEXT NOT NULL DEFAULT '',
    weight       TEXT NOT NULL DEFAULT '', -- exact, "a/b" or a whole number, above 0
    source_row   INTEGER NOT NULL,         -- the sheet row it came from (1 = the header row)
    PRIMARY KEY (campaign_id, unit_code, earlier_code),
    CHECK ((earlier_code = '') = (weight = ''))
) STRICT, WITHOUT ROWID;
