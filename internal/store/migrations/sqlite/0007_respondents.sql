-- Respondent lists, invitations and reminders (issue 13). A list names the officials of one
-- group × unit; each person is issued a form of their own, whose link they are sent. The person ↔
-- form mapping is personal data: only administrators and supervisors see it, and once the
-- campaign is closed it can be destroyed (every row below deleted, an audited action).
-- Times are UTC RFC 3339 text.

CREATE TABLE respondents (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    group_id    INTEGER NOT NULL REFERENCES respondent_groups(id),
    unit_id     INTEGER REFERENCES units(id),                        -- NULL: a matrix group's list
    form_id     INTEGER NOT NULL UNIQUE REFERENCES issued_forms(id), -- one person, one form
    full_name   TEXT NOT NULL CHECK (full_name <> ''),
    position    TEXT NOT NULL DEFAULT '',
    workplace   TEXT NOT NULL DEFAULT '', -- the person's own office, not the unit evaluated
    phone       TEXT NOT NULL DEFAULT '', -- a mobile number as 0xxxxxxxxx, or ''
    email       TEXT NOT NULL DEFAULT '', -- lower-case, or ''
    source      TEXT NOT NULL DEFAULT '', -- the file and line it came from
    imported_at TEXT NOT NULL,
    imported_by INTEGER REFERENCES users(id),
    opened_at   TEXT                      -- when the link was first opened
) STRICT;
CREATE INDEX respondents_list ON respondents(campaign_id, group_id, unit_id);
-- A person is on a list once: the same mobile number or address twice in one list is a mistake.
CREATE UNIQUE INDEX respondents_phone ON respondents(group_id, ifnull(unit_id, 0), phone) WHERE phone <> '';
CREATE UNIQUE INDEX respondents_email ON respondents(group_id, ifnull(unit_id, 0), email) WHERE email <> '';

-- An e-mail run: the invitations or reminders queued together and sent in the background.
CREATE TABLE outreach_sends (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    kind        TEXT NOT NULL CHECK (kind IN ('invitation', 'reminder')),
    scope       TEXT NOT NULL DEFAULT '', -- the group and unit chosen, "" for all
    created_at  TEXT NOT NULL,
    created_by  INTEGER REFERENCES users(id)
) STRICT;
CREATE INDEX outreach_sends_campaign ON outreach_sends(campaign_id, id);

-- Every invitation and reminder a person was sent: the channel and when; for e-mail also whether
-- the server took it (queued, then sent or failed with its attempts and last error, or skipped
-- when the person answered, the form was voided or the campaign closed before it went out).
CREATE TABLE outreach_messages (
    id            INTEGER PRIMARY KEY,
    campaign_id   INTEGER NOT NULL REFERENCES campaigns(id),
    respondent_id INTEGER NOT NULL REFERENCES respondents(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('invitation', 'reminder')),
    channel       TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'zalo')),
    send_id       INTEGER REFERENCES outreach_sends(id) ON DELETE CASCADE,
    status        TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed', 'skipped')),
    attempts      INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_at       TEXT NOT NULL DEFAULT '', -- a queued e-mail is not tried before this
    error         TEXT NOT NULL DEFAULT '', -- the last failure, for staff
    created_at    TEXT NOT NULL,
    created_by    INTEGER REFERENCES users(id),
    sent_at       TEXT,
    CHECK ((channel = 'email') = (send_id IS NOT NULL)),
    CHECK ((status = 'sent') = (sent_at IS NOT NULL))
) STRICT;
CREATE INDEX outreach_messages_respondent ON outreach_messages(respondent_id, id);
CREATE INDEX outreach_messages_send ON outreach_messages(send_id, status);
CREATE INDEX outreach_messages_queue ON outreach_messages(next_at, id) WHERE status = 'queued';
-- One e-mail waiting per person: asking to send again before it went out queues nothing more.
CREATE UNIQUE INDEX outreach_messages_queued ON outreach_messages(respondent_id) WHERE status = 'queued';
