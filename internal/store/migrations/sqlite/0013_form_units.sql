-- The units a matrix form was issued for (issue 12, item 6): a council delegate rates the
-- communes of their constituency, not all hundred. A matrix form with no rows here covers every
-- unit of its group's kind, as before. Rows are fixed when the form is issued.
CREATE TABLE form_units (
    form_id INTEGER NOT NULL REFERENCES issued_forms(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    UNIQUE (form_id, unit_id)
) STRICT;
CREATE INDEX form_units_unit ON form_units(unit_id);
