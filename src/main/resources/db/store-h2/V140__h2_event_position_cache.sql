-- H2 only (Flyway location db/store-{vendor}): the event store's global_index identity hands out positions from
-- a cache of 1,000 instead of H2's 32. H2 stores an identity's reserved value each time its cache runs out, a
-- second store of the database file within the commit that took the value (WRITE_DELAY=0); with 32 that was
-- every 32nd appended event. The cost: a process killed mid-write leaves up to 1,000 unused positions, a gap
-- that every reader of positions already tolerates (see docs/reliability.md, "Gaps in positions").
-- PostgreSQL's sequences have no such store: its db/store-postgresql holds no migration.
ALTER TABLE domain_event_entry ALTER COLUMN global_index SET CACHE 1000;
