-- Cases left out of a rebuild's comparison because they received events after the read model was copied:
-- their rows legitimately differ from the copy.
CREATE TABLE rebuild_excluded_case (
    rebuild_id VARCHAR(64)  NOT NULL,
    case_id    VARCHAR(255) NOT NULL,
    PRIMARY KEY (rebuild_id, case_id)
);
