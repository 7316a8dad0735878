-- Paper forms: returned batches, keyings, double entry and adjudication (issue 7).
-- Owned by the paper-forms work; replace this line with the tables.
SELECT 1;
