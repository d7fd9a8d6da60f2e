-- Every event exactly as it was published (the envelope's JSON text, byte for byte), with the columns the
-- queries filter on. event_id is the idempotency key of the consumer: a redelivered event changes nothing.
CREATE TABLE audit_event (
    event_id        UUID         NOT NULL PRIMARY KEY,
    advertiser_id   TEXT         NOT NULL,
    sequence        BIGINT       NOT NULL,
    event_type      VARCHAR(128) NOT NULL,
    schema_version  INT          NOT NULL,
    occurred_at     TIMESTAMPTZ  NOT NULL,
    effective_at    TIMESTAMPTZ  NOT NULL,
    actor_id        TEXT,
    envelope        TEXT         NOT NULL,
    topic_partition INT          NOT NULL,
    topic_offset    BIGINT       NOT NULL,
    received_at     TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX audit_event_advertiser_sequence ON audit_event (advertiser_id, sequence);

-- The consumer's position per partition, written in the same transaction as the rows it covers; on assignment
-- the consumer seeks here, so a crash between the two is impossible by construction.
CREATE TABLE consumer_position (
    topic       TEXT   NOT NULL,
    partition   INT    NOT NULL,
    next_offset BIGINT NOT NULL,
    PRIMARY KEY (topic, partition)
);

-- Records that could not be read as an envelope: kept verbatim with the reason, never dropped.
CREATE TABLE unreadable_record (
    id           BIGSERIAL   NOT NULL PRIMARY KEY,
    topic        TEXT        NOT NULL,
    partition    INT         NOT NULL,
    record_offset BIGINT     NOT NULL,
    record_key   TEXT,
    record_value BYTEA,
    reason       TEXT        NOT NULL,
    received_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT unreadable_record_position UNIQUE (topic, partition, record_offset)
);

-- Who read what, when: reads of the audit history are themselves part of the audit.
CREATE TABLE access_log (
    id         BIGSERIAL   NOT NULL PRIMARY KEY,
    at         TIMESTAMPTZ NOT NULL,
    principal  TEXT        NOT NULL,
    roles      TEXT        NOT NULL,
    method     VARCHAR(8)  NOT NULL,
    path       TEXT        NOT NULL,
    query      TEXT,
    status     INT         NOT NULL
);
CREATE INDEX access_log_at ON access_log (at);
