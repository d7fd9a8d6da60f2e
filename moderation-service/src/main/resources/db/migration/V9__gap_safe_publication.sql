-- The publisher no longer tracks the store with Axon's gap-aware token, whose gaps expire (gapTimeout, maxGapOffset):
-- an event whose transaction stays open longer, or behind more than 10,000 later commits, would be skipped for good.
-- Instead (publishing/PublicationPosition) a gap is given up only once PostgreSQL proves that the transaction which
-- took that index has ended. The proof needs each appending transaction to hold its transaction id before it takes
-- a global index, so the index is now assigned by this trigger, after pg_current_xact_id(), instead of by a column
-- default (a default would be evaluated before any BEFORE trigger runs).
CREATE FUNCTION assign_global_index() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_current_xact_id();
    NEW.global_index := nextval('domain_event_entry_global_index_seq');
    RETURN NEW;
END;
$$;

ALTER TABLE domain_event_entry ALTER COLUMN global_index DROP DEFAULT;
-- Indexes must be handed out in the order they are taken (no per-session cache): the default, made explicit.
ALTER SEQUENCE domain_event_entry_global_index_seq CACHE 1;

CREATE TRIGGER domain_event_entry_global_index
    BEFORE INSERT ON domain_event_entry
    FOR EACH ROW EXECUTE FUNCTION assign_global_index();

-- Where the publisher stands: every event up to last_index has been acknowledged by Kafka, except the indexes in
-- the pending ranges [gap_from[i], gap_to[i]], which no committed event held when they were read past. Each range
-- is watched until every transaction with an id below gap_horizon[i] (an id assigned right after the gap was seen)
-- has ended.
CREATE TABLE publication_position (
    publisher   VARCHAR(64) NOT NULL PRIMARY KEY,
    last_index  BIGINT      NOT NULL,
    gap_from    BIGINT[]    NOT NULL,
    gap_to      BIGINT[]    NOT NULL,
    gap_horizon BIGINT[]    NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

-- An existing deployment continues from the token of the Axon processor that published until now; its gaps are
-- kept and watched from now on.
INSERT INTO publication_position (publisher, last_index, gap_from, gap_to, gap_horizon, updated_at)
SELECT 'kafka',
       (t.token_json ->> 'index')::BIGINT,
       ARRAY(SELECT g::BIGINT FROM jsonb_array_elements_text(t.token_json -> 'gaps') g ORDER BY 1),
       ARRAY(SELECT g::BIGINT FROM jsonb_array_elements_text(t.token_json -> 'gaps') g ORDER BY 1),
       ARRAY(SELECT pg_current_xact_id()::TEXT::BIGINT FROM jsonb_array_elements_text(t.token_json -> 'gaps')),
       now()
FROM (SELECT convert_from(token, 'UTF8')::JSONB AS token_json
      FROM token_entry
      WHERE processor_name = 'kafka-publisher' AND segment = 0 AND token IS NOT NULL) t
WHERE t.token_json ? 'index';

DELETE FROM token_entry WHERE processor_name = 'kafka-publisher';
