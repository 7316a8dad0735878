-- Short links (issue 13): every issued form gets a short code of 12 characters, so that its link
-- <base URL>/<short code> can be typed from a slip or an SMS. The characters are lower-case
-- letters and digits without 0/o and 1/l (formcode.ShortAlphabet), 5 random bits each: 60 bits,
-- far beyond what the limit on unknown links lets anyone guess. The 128-bit token and its link
-- /p/<token> stay as they were, so links printed before keep working.
--
-- The codes are drawn here, in SQL, for the forms issued before and, by a trigger, for every form
-- inserted after: whichever way a form is issued, it has its short code. random() is SQLite's
-- ChaCha20 generator, seeded by the operating system; its 5 low bits pick each character.
ALTER TABLE issued_forms ADD COLUMN short_code TEXT NOT NULL DEFAULT '';

UPDATE issued_forms SET short_code =
    substr('23456789abcdefghijkmnpqrstuvwxyz', 1 + (random() & 31), 1) ||
    substr('23456789abcdefghijkmnpqrstuvwxyz', 1 + (random() & 31), 1) ||
    substr('23456789abcdefghijkmnpqrstuvwxyz', 1 + (random() & 31), 1) ||
    substr('23456789abcdefghijkmnpqrstuvwxyz', 1 + (random() & 31), 1) ||
    substr('23456789abcdefghijkmnpqrstuvwxyz', 1 + (random() & 31), 1) ||
    substr('23456789abcdefghijkmnpqrstuvwxyz', 1 + (random() & 31), 1) ||
    substr('23456789abcdefghijkmnpqrstuvwxyz', 1 + (random() & 31), 1) ||
    substr('23456789abcdefghijkmnpqrstuvwxyz', 1 + (random() & 31), 1) ||
    substr('23456789abcdefghijkmnpqrstuvwxyz', 1 + (random() & 31), 1) ||
    substr('23456789abcdefghijkmnpqrstuvwxyz', 1 + (random() & 31), 1) ||
    substr('23456789abcdefghijkmnpqrstuvwxyz', 1 + (random() & 31), 1) ||
    substr('23456789abcdefghijkmnpqrstuvwxyz', 1 + (random() & 31), 1);

CREATE UNIQUE INDEX issued_forms_short_code ON issued_forms(short_code);

CREATE TRIGGER issued_forms_short_code AFTER INSERT ON issued_forms WHEN NEW.short_code = ''
BEGIN
    UPDATE issued_forms SET short_code =
        substr('23456789abcdefghijkmnpqrstuvwxyz', 1 + (random() & 31), 1) ||
        substr('23456789abcdefghijkmnpqrstuvwxyz', 1 + (random() & 31), 1) ||
        substr('23456789abcdefghijkmnpqrstuvwxyz', 1 + (random() & 31), 1) ||
        substr('23456789abcdefghijkmnpqrstuvwxyz', 1 + (random() & 31), 1) ||
        substr('23456789abcdefghijkmnpqrstuvwxyz', 1 + (random() & 31), 1) ||
        substr('23456789abcdefghijkmnpqrstuvwxyz', 1 + (random() & 31), 1) ||
        substr('23456789abcdefghijkmnpqrstuvwxyz', 1 + (random() & 31), 1) ||
        substr('23456789abcdefghijkmnpqrstuvwxyz', 1 + (random() & 31), 1) ||
        substr('23456789abcdefghijkmnpqrstuvwxyz', 1 + (random() & 31), 1) ||
        substr('23456789abcdefghijkmnpqrstuvwxyz', 1 + (random() & 31), 1) ||
        substr('23456789abcdefghijkmnpqrstuvwxyz', 1 + (random() & 31), 1) ||
        substr('23456789abcdefghijkmnpqrstuvwxyz', 1 + (random() & 31), 1)
    WHERE id = NEW.id;
END;
