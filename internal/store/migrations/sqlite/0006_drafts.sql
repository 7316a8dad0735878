-- Drafts: a respondent's answers saved on the server as they are given (issue 13), so that a
-- form begun on one device is continued on another with the same link. A draft is not a
-- response: nothing reads it but the respondent's own page, and it ends with the form.
-- Times are UTC RFC 3339 text.

CREATE TABLE drafts (
    form_id       INTEGER PRIMARY KEY REFERENCES issued_forms(id),
    answers       TEXT NOT NULL,             -- JSON object: posted field name → value
    submission_id TEXT NOT NULL DEFAULT '',  -- the client's id of the submission in progress
    revision      INTEGER NOT NULL CHECK (revision > 0), -- +1 on every save: a device saving
                                             -- over answers it has not seen is refused
    saved_at      TEXT NOT NULL
) STRICT;

-- A form's draft ends in the transaction that stores its response, whatever the channel (a
-- paper form keyed in ends the online draft too), and when the form is voided.
CREATE TRIGGER drafts_end_with_response AFTER INSERT ON responses
BEGIN DELETE FROM drafts WHERE form_id = NEW.form_id; END;
CREATE TRIGGER drafts_end_with_void AFTER UPDATE OF voided_at ON issued_forms
WHEN NEW.voided_at IS NOT NULL
BEGIN DELETE FROM drafts WHERE form_id = NEW.id; END;
