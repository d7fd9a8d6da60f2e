-- How long a replay's swap paused live ingestion (swap_millis: the whole swap transaction, writers wait) and how long
-- it kept readers out (lock_millis: the renames under the exclusive lock), so that "short" is a figure, not a claim.
ALTER TABLE replay_run
    ADD COLUMN swap_millis BIGINT,
    ADD COLUMN lock_millis BIGINT;
