-- Read model "case-views": a case imported from an event log keeps its trace's name (CaseOpened revision 2),
-- searchable as GET /api/cases?sourceRef=...; null for live cases. A reset of "case-views" refills it.
ALTER TABLE case_view ADD COLUMN source_ref VARCHAR(200);
CREATE INDEX case_view_by_source_ref ON case_view (source_ref);
