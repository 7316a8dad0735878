-- Score runs, rule settings, imported ratios and API tokens (issue 6).
-- Owned by the scoring work; replace this line with the tables.
SELECT 1;
