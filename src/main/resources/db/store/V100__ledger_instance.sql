-- The instances of the ledger that share this database (common/Instances): each renews its heartbeat here, and
-- one whose heartbeat is older than the token claim timeout counts as dead. Times are the database's own.
CREATE TABLE ledger_instance (
    instance_id  VARCHAR(64)              NOT NULL PRIMARY KEY,
    node_id      VARCHAR(255)             NOT NULL,
    started_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    heartbeat_at TIMESTAMP WITH TIME ZONE NOT NULL
);
