-- Replays: rebuilding the history from offset 0 into a new table while the old one keeps serving readers, then
-- switching atomically. Each run records its progress and the digests that show the rebuilt history equals the live.
CREATE TABLE replay_run (
    replay_id      UUID        NOT NULL PRIMARY KEY,
    status         VARCHAR(16) NOT NULL,
    started_at     TIMESTAMPTZ NOT NULL,
    finished_at    TIMESTAMPTZ,
    total          BIGINT      NOT NULL,
    done           BIGINT      NOT NULL DEFAULT 0,
    digest_live    TEXT,
    digest_rebuilt TEXT,
    error          TEXT
);
