-- Citizens' data keys (crypto-shredding). Not a read model: never reset or rebuilt, since the ledger's sealed
-- personal data can only be opened with these keys. Erasure sets key_bytes to NULL and erased_at.
CREATE TABLE citizen_key (
    key_id     VARCHAR(36)              NOT NULL PRIMARY KEY,
    pseudonym  VARCHAR(64)              NOT NULL,
    key_bytes  BYTEA,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    erased_at  TIMESTAMP WITH TIME ZONE,
    CONSTRAINT citizen_key_erased_has_no_key CHECK (erased_at IS NULL OR key_bytes IS NULL)
);
CREATE INDEX citizen_key_by_pseudonym ON citizen_key (pseudonym);
