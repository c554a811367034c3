-- Read model "journey-figures": what the evaluation's in-memory copy (dk.casejourney.evaluation.EvaluationFacts)
-- needs to stay exactly equal to these tables on every instance.
-- * journey_figures_version: one row. Every write of figure rows adds 1 to version in its own transaction, first,
--   so the row stays locked until that transaction ends: versions commit in the order they are given, and a reader
--   that sees version V knows every write up to V is committed. generation grows when everything is deleted (a
--   reset before a replay): a copy of an older generation is read anew.
-- * journey_case.figures_version: the version that wrote the case's rows (0 for rows older than this table), so a
--   copy at version V reads back only the cases written after V.
CREATE TABLE journey_figures_version (
    id         INT    NOT NULL PRIMARY KEY,
    version    BIGINT NOT NULL,
    generation BIGINT NOT NULL
);
INSERT INTO journey_figures_version (id, version, generation) VALUES (1, 0, 0);

ALTER TABLE journey_case ADD COLUMN figures_version BIGINT DEFAULT 0 NOT NULL;
CREATE INDEX journey_case_figures_version ON journey_case (figures_version);
