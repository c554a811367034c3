-- Citizens' data keys, wrapped by a key-encryption key that is never in the database, and the directory from a
-- CPR number's keyed hash (lookup) to the citizen's random pseudonym. Erasure deletes the citizen's rows from
-- both: the key and the only link from the number to the cases. Used where the key store is the database
-- (PostgreSQL); the embedded default keeps them in files of their own (see docs/security.md). Not read models:
-- never reset or rebuilt. Keys of earlier versions (table citizen_key, unwrapped) are moved here, or to the
-- files, at start.
CREATE TABLE citizen_directory (
    lookup     VARCHAR(64)              NOT NULL PRIMARY KEY,
    pseudonym  VARCHAR(64)              NOT NULL UNIQUE,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE TABLE citizen_data_key (
    key_id      VARCHAR(36)              NOT NULL PRIMARY KEY,
    pseudonym   VARCHAR(64)              NOT NULL,
    kek_id      VARCHAR(64)              NOT NULL,
    wrapped_key BYTEA                    NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX citizen_data_key_by_pseudonym ON citizen_data_key (pseudonym);
