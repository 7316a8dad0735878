-- Open-ended answers (Ý kiến, kiến nghị): the text a respondent wrote or a keyer typed for a
-- question of kind text, one row per response, unit and question. The answers string of
-- response_answers holds '1' (có ý kiến) or '0' for the question; a campaign that keys only
-- "có ý kiến" has the '1' and no row here. Never scored.
CREATE TABLE text_answers (
    response_id INTEGER NOT NULL REFERENCES responses(id),
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    question    TEXT NOT NULL CHECK (question <> ''),
    body        TEXT NOT NULL CHECK (body <> ''), -- NFC, within the question's max_length
    PRIMARY KEY (response_id, unit_id, question)
) STRICT, WITHOUT ROWID;
CREATE INDEX text_answers_unit ON text_answers(unit_id);

-- The open answers typed by one keying, by item name (q_<code>, q_<code>_<unit> on a matrix
-- form): kept so that a supervisor's decision on two differing keyings still has them. Double
-- entry compares the "có ý kiến" marks, not the texts.
CREATE TABLE keying_texts (
    keying_id INTEGER NOT NULL REFERENCES keyings(id),
    item      TEXT NOT NULL CHECK (item <> ''),
    body      TEXT NOT NULL CHECK (body <> ''),
    PRIMARY KEY (keying_id, item)
) STRICT, WITHOUT ROWID;
