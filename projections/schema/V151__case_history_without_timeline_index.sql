-- Read model "case-views" (dk.casejourney.journey.CaseViewProjection): case_history loses its second index.
-- Its one reader (CaseViewQueries: a case's entries in occurredAt order, ties in recording order) finds a case's
-- rows through the primary key's first column as well, and sorts the few rows of one case itself. The index
-- (case_id, occurred_at, sequence_number) cost an entry per history row, one row per event, on every import, live
-- write and rebuild (docs/benchmarks.md, twentieth session).
DROP INDEX case_history_timeline;
