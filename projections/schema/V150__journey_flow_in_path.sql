-- Read model "journey-figures" (dk.casejourney.evaluation.JourneyProjection): a case's transitions are kept with
-- its path instead of one journey_flow row each. A transition is always two neighbours of the path at its level
-- (ACTIVITY: consecutive activities; UNIT: consecutive service steps), so journey_path.gaps holds only the time
-- between each node and the next, in milliseconds, as a JSON array one shorter than the path. A receipt-log import
-- wrote 12,583 flow rows against 2,868 path rows: a sixth of every row an import or rebuild wrote (see
-- docs/benchmarks.md, twentieth session).
-- Existing rows are carried over: each path takes the gaps of its case's flow rows at its level, in position order
-- (a case with one node has none: []). The statement is the same on H2 (MODE=PostgreSQL) and PostgreSQL.
ALTER TABLE journey_path ADD COLUMN gaps VARCHAR;
UPDATE journey_path p
   SET gaps = '[' || COALESCE((SELECT STRING_AGG(CAST(f.gap_ms AS VARCHAR), ',' ORDER BY f.position)
                                 FROM journey_flow f
                                WHERE f.case_id = p.case_id AND f.level = p.level), '') || ']';
ALTER TABLE journey_path ALTER COLUMN gaps SET NOT NULL;
DROP TABLE journey_flow;
