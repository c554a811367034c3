-- Read model of processing group "journey-figures" (dk.casejourney.evaluation.JourneyProjection).
-- journey_event keeps each case's events (without personal data) so its figures can be recomputed by the
-- one calculator whenever an event arrives; the other tables hold the computed figures, shaped for the
-- evaluation's filters and groupings. Rebuildable: a reset empties them all.
CREATE TABLE journey_event (
    case_id         VARCHAR(64)              NOT NULL,
    sequence_number BIGINT                   NOT NULL,
    recorded_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    event_type      VARCHAR(40)              NOT NULL,
    payload         VARCHAR                  NOT NULL,
    PRIMARY KEY (case_id, sequence_number)
);

-- One row per case: its figures (durations in milliseconds) and the dimensions the evaluation groups by.
-- For open cases the durations run to as_of, the time they were computed.
CREATE TABLE journey_case (
    case_id                          VARCHAR(64)              NOT NULL PRIMARY KEY,
    status                           VARCHAR(16)              NOT NULL,
    as_of                            TIMESTAMP WITH TIME ZONE,
    opened_at                        TIMESTAMP WITH TIME ZONE NOT NULL,
    resolved_at                      TIMESTAMP WITH TIME ZONE,
    citizen_group                    VARCHAR(32)              NOT NULL,
    age_band                         VARCHAR(16)              NOT NULL,
    service_area                     VARCHAR(40)              NOT NULL,
    municipality                     VARCHAR(3)               NOT NULL,
    entry_unit                       VARCHAR(100)             NOT NULL,
    first_channel                    VARCHAR(32)              NOT NULL,
    digital_first                    BOOLEAN                  NOT NULL,
    opened_month                     VARCHAR(7)               NOT NULL,
    opened_quarter                   VARCHAR(7)               NOT NULL,
    opened_year                      VARCHAR(4)               NOT NULL,
    lead_ms                          BIGINT                   NOT NULL,
    lead_business_ms                 BIGINT                   NOT NULL,
    handling_ms                      BIGINT                   NOT NULL,
    waiting_citizen_ms               BIGINT                   NOT NULL,
    waiting_citizen_business_ms      BIGINT                   NOT NULL,
    waiting_municipality_ms          BIGINT                   NOT NULL,
    waiting_municipality_business_ms BIGINT                   NOT NULL,
    staff_ms                         BIGINT                   NOT NULL,
    service_steps                    INT                      NOT NULL,
    touchpoints                      INT                      NOT NULL,
    handovers                        INT                      NOT NULL,
    returns                          INT                      NOT NULL,
    repeated_information             INT                      NOT NULL,
    first_contact_resolution         BOOLEAN                  NOT NULL,
    avoidable_contacts               INT                      NOT NULL
);
CREATE INDEX journey_case_by_opening ON journey_case (opened_at);

CREATE TABLE journey_contact (
    case_id     VARCHAR(64)  NOT NULL,
    position    INT          NOT NULL,
    channel     VARCHAR(32)  NOT NULL,
    unit        VARCHAR(100) NOT NULL,
    purpose     VARCHAR(32)  NOT NULL,
    avoidable   BOOLEAN      NOT NULL,
    queue_ms    BIGINT,
    duration_ms BIGINT       NOT NULL,
    PRIMARY KEY (case_id, position)
);

-- delay_ms is null when the case was resolved before the receiving unit acted.
CREATE TABLE journey_handover (
    case_id           VARCHAR(64)  NOT NULL,
    position          INT          NOT NULL,
    from_unit         VARCHAR(100) NOT NULL,
    to_unit           VARCHAR(100) NOT NULL,
    delay_ms          BIGINT,
    delay_business_ms BIGINT,
    pending           BOOLEAN      NOT NULL,
    is_return         BOOLEAN      NOT NULL,
    PRIMARY KEY (case_id, position)
);

CREATE TABLE journey_satisfaction (
    case_id  VARCHAR(64) NOT NULL,
    position INT         NOT NULL,
    score    INT         NOT NULL,
    channel  VARCHAR(32) NOT NULL,
    PRIMARY KEY (case_id, position)
);

CREATE TABLE journey_repeated_information (
    case_id          VARCHAR(64) NOT NULL,
    information_type VARCHAR(32) NOT NULL,
    repeats          INT         NOT NULL,
    PRIMARY KEY (case_id, information_type)
);

-- Directly-follows pairs for the process map; level is ACTIVITY or UNIT.
CREATE TABLE journey_flow (
    case_id   VARCHAR(64)  NOT NULL,
    level     VARCHAR(8)   NOT NULL,
    position  INT          NOT NULL,
    from_node VARCHAR(100) NOT NULL,
    to_node   VARCHAR(100) NOT NULL,
    gap_ms    BIGINT       NOT NULL,
    PRIMARY KEY (case_id, level, position)
);
