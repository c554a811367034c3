-- Rebuilds of read models (audit/Rebuilds), readable from every instance: the step the rebuild is at (every
-- instance's processor of the group is held stopped while the step needs it), its progress as written by the
-- instance running it, and its result. active_group is the processing group while the rebuild is unfinished and
-- NULL after: the unique constraint allows one unfinished rebuild per group.
CREATE TABLE projection_rebuild (
    rebuild_id        VARCHAR(64)              NOT NULL PRIMARY KEY,
    processing_group  VARCHAR(255)             NOT NULL,
    active_group      VARCHAR(255),
    step              VARCHAR(16)              NOT NULL,
    started_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at       TIMESTAMP WITH TIME ZONE,
    started_by        VARCHAR(255)             NOT NULL,
    run_by_instance   VARCHAR(64)              NOT NULL,
    run_by            VARCHAR(255)             NOT NULL,
    takeovers         INTEGER                  NOT NULL,
    copied            BIGINT,
    tail_position     BIGINT,
    head_position     BIGINT,
    events_done       BIGINT                   NOT NULL,
    events_total      BIGINT                   NOT NULL,
    events_per_second DOUBLE PRECISION         NOT NULL,
    seconds_left      BIGINT,
    replay_started_at TIMESTAMP WITH TIME ZONE,
    verification      VARCHAR,
    error             VARCHAR,
    CONSTRAINT projection_rebuild_one_active UNIQUE (active_group)
);
