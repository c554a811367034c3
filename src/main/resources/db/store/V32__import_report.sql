-- Reports of imports from event logs (importexport/ImportReports): not a read model (nothing in the ledger
-- says how a file was imported), so it lives with the store and is never reset. The report is kept as the
-- JSON of importexport.api.ImportReport, rewritten after every batch while the import runs.
CREATE TABLE import_report (
    import_id   VARCHAR(36)              NOT NULL PRIMARY KEY,
    status      VARCHAR(16)              NOT NULL,
    started_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    report      VARCHAR                  NOT NULL
);
