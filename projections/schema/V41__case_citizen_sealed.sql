-- Read model "case-views": the citizen's CPR number is kept sealed, as in the event, and opened only when a
-- case is shown. Destroying the citizen's key therefore makes this table unreadable too, and no rebuild can
-- bring the number back. A reset of "case-views" refills it.
ALTER TABLE case_citizen DROP COLUMN cpr;
ALTER TABLE case_citizen ADD COLUMN key_id VARCHAR(36);
ALTER TABLE case_citizen ADD COLUMN sealed_cpr VARCHAR(200);
