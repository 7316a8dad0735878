-- Paper forms handed to enumerators: who holds which code, since when (issue 4).
CREATE TABLE assignments (
    form_id       INTEGER PRIMARY KEY REFERENCES issued_forms(id),
    enumerator_id INTEGER NOT NULL REFERENCES users(id),
    assigned_at   TEXT NOT NULL,
    assigned_by   INTEGER REFERENCES users(id)
) STRICT;
CREATE INDEX assignments_enumerator ON assignments(enumerator_id);
