-- Read model "journey-figures": per case, the trace name of an imported case, the activities done on it and
-- rework (repetitions of an activity label after its first; repeated_activities is a JSON object label ->
-- repetitions). Rows computed before this migration hold the defaults until "journey-figures" is reset.
ALTER TABLE journey_case ADD COLUMN source_ref VARCHAR(200);
ALTER TABLE journey_case ADD COLUMN events INT NOT NULL DEFAULT 0;
ALTER TABLE journey_case ADD COLUMN rework INT NOT NULL DEFAULT 0;
ALTER TABLE journey_case ADD COLUMN repeated_activities VARCHAR NOT NULL DEFAULT '{}';
