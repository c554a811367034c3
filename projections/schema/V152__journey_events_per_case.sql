-- Read model "journey-figures" (dk.casejourney.evaluation.JourneyProjection): the events it keeps of a case are one
-- row per case instead of one row each. A receipt-log import wrote 16,885 journey_event rows against 1,434 cases,
-- and writing them was a fifth of the read model's thread (docs/benchmarks.md, twenty-first session): each row is
-- an entry in the table and in its key, both visited again at commit, where one row per case costs about a sixth.
-- events is a JSON array in sequence order of
--   {"sequence":n,"recordedAtMicros":m,"type":"SimpleTypeName","event":{...the event as journey_event held it...}}
-- with no spaces: the layout EventCodec.keep writes, character for character, so that a rebuild after the upgrade
-- finds the rows it replaces equal. recordedAtMicros is the recorded time in microseconds since the epoch, as the
-- timestamp column held it. The statement is the same on H2 (MODE=PostgreSQL) and PostgreSQL.
CREATE TABLE journey_case_events (
    case_id VARCHAR(64) NOT NULL PRIMARY KEY,
    events  VARCHAR     NOT NULL
);
INSERT INTO journey_case_events (case_id, events)
SELECT case_id,
       '[' || STRING_AGG('{"sequence":' || CAST(sequence_number AS VARCHAR)
                             || ',"recordedAtMicros":'
                             || CAST(CAST(EXTRACT(EPOCH FROM recorded_at) * 1000000 AS BIGINT) AS VARCHAR)
                             || ',"type":"' || event_type || '","event":' || payload || '}',
                         ',' ORDER BY sequence_number) || ']'
  FROM journey_event
 GROUP BY case_id;
DROP TABLE journey_event;
