-- Idempotency-Key records: one per principal and key, written in the same transaction as the command's events,
-- so a repeated request can only ever replay the first answer and never record a second event.
CREATE TABLE idempotency_record (
    principal       VARCHAR(128) NOT NULL,
    idempotency_key VARCHAR(256) NOT NULL,
    request_hash    CHAR(64)     NOT NULL,
    response        TEXT         NOT NULL,
    location        TEXT         NOT NULL,
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (principal, idempotency_key)
);
