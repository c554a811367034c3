-- Read model "journey-figures" (dk.casejourney.evaluation.JourneyProjection), for process maps, variants and
-- repeated information across a citizen's cases:
-- * activity names of imported work (the log's names, up to 200 characters) become process-map nodes;
-- * journey_path holds each case's path per level (ACTIVITY: the activity map's nodes in order; UNIT: the units
--   of its service steps): its first and last node (start and end of the process map) and the path itself
--   (a JSON array) with a SHA-256 hash to group variants by;
-- * journey_information holds, per case and information type, how often the citizen provided it, and
--   journey_case the citizen's pseudonym (never a CPR number), so repetitions are counted across cases.
-- Cases computed before this migration have no rows here until "journey-figures" is reset.
ALTER TABLE journey_flow ALTER COLUMN from_node SET DATA TYPE VARCHAR(200);
ALTER TABLE journey_flow ALTER COLUMN to_node SET DATA TYPE VARCHAR(200);
ALTER TABLE journey_case ADD COLUMN citizen_pseudonym VARCHAR(64);

CREATE TABLE journey_path (
    case_id    VARCHAR(64)  NOT NULL,
    level      VARCHAR(8)   NOT NULL,
    path_hash  VARCHAR(64)  NOT NULL,
    first_node VARCHAR(200),
    last_node  VARCHAR(200),
    length     INT          NOT NULL,
    path       VARCHAR      NOT NULL,
    PRIMARY KEY (case_id, level)
);

CREATE TABLE journey_information (
    case_id          VARCHAR(64) NOT NULL,
    information_type VARCHAR(32) NOT NULL,
    provisions       INT         NOT NULL,
    PRIMARY KEY (case_id, information_type)
);
