-- Read model of processing group "case-views" (CaseViewProjection). Rebuildable: a reset empties these
-- tables and the processor replays the ledger into them.
CREATE TABLE case_view (
    case_id           VARCHAR(64)              NOT NULL PRIMARY KEY,
    citizen_pseudonym VARCHAR(64)              NOT NULL,
    citizen_group     VARCHAR(32)              NOT NULL,
    age_band          VARCHAR(16)              NOT NULL,
    service_area      VARCHAR(40)              NOT NULL,
    municipality      VARCHAR(3)               NOT NULL,
    status            VARCHAR(16)              NOT NULL,
    holder_unit       VARCHAR(100)             NOT NULL,
    holder_since      TIMESTAMP WITH TIME ZONE NOT NULL,
    opened_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    resolved_at       TIMESTAMP WITH TIME ZONE,
    last_activity_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    version           BIGINT                   NOT NULL
);
CREATE INDEX case_view_by_citizen ON case_view (citizen_pseudonym);
CREATE INDEX case_view_by_holder ON case_view (holder_unit, status);
CREATE INDEX case_view_by_opening ON case_view (opened_at);

-- The only read table with a CPR number: shown to caseworkers on the case, never used for search.
CREATE TABLE case_citizen (
    case_id VARCHAR(64) NOT NULL PRIMARY KEY,
    cpr     VARCHAR(10)
);

CREATE TABLE case_history (
    case_id         VARCHAR(64)              NOT NULL,
    entry_id        VARCHAR(64)              NOT NULL,
    sequence_number BIGINT                   NOT NULL,
    entry_type      VARCHAR(40)              NOT NULL,
    occurred_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    recorded_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    recorded_by     VARCHAR(200),
    details         VARCHAR                  NOT NULL,
    state           VARCHAR(16)              NOT NULL,
    current_details VARCHAR,
    corrects        VARCHAR(64),
    PRIMARY KEY (case_id, entry_id)
);
CREATE INDEX case_history_timeline ON case_history (case_id, occurred_at, sequence_number);
