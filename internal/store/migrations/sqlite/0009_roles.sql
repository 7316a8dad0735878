-- Roles and scope (issue 15): five roles, each account limited to some campaigns or one
-- organisation if need be; the audit log becomes a hash chain, and changes to stored responses
-- made outside parsurvey leave an audit row behind.

-- The role column gains analyst and viewer. A CHECK cannot be altered in place, so a new column
-- takes the values and replaces the old one; existing accounts keep their role.
ALTER TABLE users ADD COLUMN role_new TEXT NOT NULL DEFAULT 'viewer'
    CHECK (role_new IN ('admin', 'analyst', 'supervisor', 'enumerator', 'viewer'));
UPDATE users SET role_new = role;
ALTER TABLE users DROP COLUMN role;
ALTER TABLE users RENAME COLUMN role_new TO role;

-- organisation limits an account to the campaigns whose definition names it as organizer; ''
-- is no such limit.
ALTER TABLE users ADD COLUMN organisation TEXT NOT NULL DEFAULT '';

-- user_campaigns limits an account to the campaigns listed; an account with no row and no
-- organisation sees every campaign.
CREATE TABLE user_campaigns (
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, campaign_id)
) STRICT, WITHOUT ROWID;

-- hash chains the audit log: sha256 of the previous row's hash and this row's fields, written
-- by parsurvey (store/audit.go) and checked by `parsurvey verify`. Rows from before this
-- migration have '' and are reported as unsealed.
ALTER TABLE audit_log ADD COLUMN hash TEXT NOT NULL DEFAULT '';
-- request_id is the web request's id (the X-Request-ID the log carries too), '' off the web.
ALTER TABLE audit_log ADD COLUMN request_id TEXT NOT NULL DEFAULT '';
CREATE INDEX audit_log_campaign ON audit_log(campaign_id, id);
CREATE INDEX audit_log_action ON audit_log(action, id);

-- parsurvey never changes what a response says once stored (only its validity, recomputed
-- under the rules) and never deletes one. A change or a deletion made with another tool writes
-- an unsealed audit row, which `parsurvey verify` reports.
CREATE TRIGGER responses_changed AFTER UPDATE OF campaign_id, form_id, channel, submission_id, body_digest,
    receipt, received_at, respondent, created_at ON responses
BEGIN
    INSERT INTO audit_log (at, action, campaign_id, subject, detail)
    VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'db.response_changed', OLD.campaign_id, OLD.id,
        json_object('form_before', OLD.form_id, 'form_after', NEW.form_id, 'respondent_before', OLD.respondent));
END;
CREATE TRIGGER responses_deleted AFTER DELETE ON responses
BEGIN
    INSERT INTO audit_log (at, action, campaign_id, subject, detail)
    VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'db.response_deleted', OLD.campaign_id, OLD.id,
        json_object('form', OLD.form_id, 'receipt', OLD.receipt));
END;
CREATE TRIGGER response_answers_changed AFTER UPDATE OF response_id, unit_id, answers ON response_answers
BEGIN
    INSERT INTO audit_log (at, action, subject, detail)
    VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'db.answers_changed', OLD.response_id,
        json_object('unit', OLD.unit_id, 'before', OLD.answers, 'after', NEW.answers));
END;
CREATE TRIGGER response_answers_deleted AFTER DELETE ON response_answers
BEGIN
    INSERT INTO audit_log (at, action, subject, detail)
    VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'db.answers_deleted', OLD.response_id,
        json_object('unit', OLD.unit_id, 'answers', OLD.answers));
END;

-- The chain begins after the rows and responses already stored: Verify reports those as
-- written before it, not as tampered.
INSERT INTO settings (key, value) VALUES
    ('audit_chain_audit_baseline', (SELECT CAST(ifnull(max(id), 0) AS TEXT) FROM audit_log)),
    ('audit_chain_response_baseline', (SELECT CAST(ifnull(max(id), 0) AS TEXT) FROM responses));
