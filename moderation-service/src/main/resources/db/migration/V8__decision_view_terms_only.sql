-- decision_view keeps a decision's terms once, as the JSON its event carried; the columns that repeated parts of it
-- (and were never read) go.
ALTER TABLE decision_view
    DROP COLUMN scope,
    DROP COLUMN policy_id,
    DROP COLUMN policy_version,
    DROP COLUMN clause,
    DROP COLUMN statement,
    DROP COLUMN effective_from,
    DROP COLUMN expires_at;
ALTER TABLE decision_view ALTER COLUMN terms SET NOT NULL;
