-- The policy catalogue. A version, once registered, never changes: there is no UPDATE path, and a new text is a
-- new version. Decisions copy the clause text into their event, so the history never depends on this table.
CREATE TABLE policy_version (
    policy_id     VARCHAR(128)  NOT NULL,
    version       VARCHAR(64)   NOT NULL,
    title         VARCHAR(500)  NOT NULL,
    clauses       JSONB         NOT NULL,
    registered_at TIMESTAMPTZ   NOT NULL,
    registered_by VARCHAR(128)  NOT NULL,
    PRIMARY KEY (policy_id, version)
);
